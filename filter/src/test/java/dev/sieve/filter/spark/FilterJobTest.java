package dev.sieve.filter.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.generate.CorpusGenerator;
import dev.sieve.generate.GenerateSettings;
import dev.sieve.ingest.spark.IngestJob;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coarse filter on real Delta tables: every bronze document lands in exactly one output, reruns add nothing, YAML changes results. */
class FilterJobTest {
  private final SparkSession spark = TestSpark.session();

  @Test
  void bronzeSplitsIntoFilteredAndRejected(@TempDir Path dir) throws Exception {
    GenerateSettings g = new GenerateSettings();
    g.docs = 300;
    g.seed = 5;
    new CorpusGenerator(g).generate(dir.resolve("corpus"), null);
    Lake lake = new Lake(dir.resolve("lake").toString());
    IngestJob.run(spark, lake, SieveConfig.defaults(), "ingest-1", List.of(dir.resolve("corpus").toString()));
    long bronze = DeltaTables.count(spark, lake.path(Lake.BRONZE_DOCUMENTS));

    FilterJob.Result r = FilterJob.run(spark, lake, SieveConfig.defaults(), "filter-1", false);
    long rejected = r.rejectedByRule().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(bronze, r.in());
    assertEquals(bronze, r.kept() + rejected);
    assertEquals(r.kept(), DeltaTables.count(spark, lake.path(Lake.SILVER_FILTERED)));
    assertEquals(rejected, DeltaTables.count(spark, lake.path(Lake.SILVER_REJECTED)));
    assertTrue(rejected > 0 && r.kept() > rejected, r.toString());
    Row rej = DeltaTables.read(spark, lake.path(Lake.SILVER_REJECTED)).where("rule = 'language_mismatch'").head();
    assertEquals("coarse", rej.getAs("stage"));
    assertTrue(((String) rej.getAs("text")).length() > 0, "the whole document is kept with its rejection");
    Row kept = DeltaTables.read(spark, lake.path(Lake.SILVER_FILTERED)).head();
    Map<String, Double> signals = kept.getJavaMap(kept.fieldIndex("signals"));
    assertTrue(signals.get("words") > 0);
    Row stage = spark.read().format("delta").load(lake.path(Lake.STAGE_RUNS)).where("run_id = 'filter-1'").head();
    Map<String, Long> counts = stage.getJavaMap(stage.fieldIndex("counts"));
    assertEquals(r.kept(), counts.get("kept"));
    assertEquals(r.rejectedByRule().get("language_mismatch"), counts.get("rejected_language_mismatch"));

    // A rerun finds nothing new.
    assertEquals(0, FilterJob.run(spark, lake, SieveConfig.defaults(), "filter-2", false).in());

    // A stricter threshold in YAML, re-filtering everything, rejects more.
    SieveConfig strict = SieveConfig.parse("filter:\n  gopher_quality:\n    min_words: 400\n");
    FilterJob.Result s = FilterJob.run(spark, lake, strict, "filter-3", true);
    assertEquals(bronze, s.in());
    assertTrue(s.kept() < r.kept(), s.kept() + " < " + r.kept());
    assertEquals(s.kept(), DeltaTables.count(spark, lake.path(Lake.SILVER_FILTERED)));
  }
}
