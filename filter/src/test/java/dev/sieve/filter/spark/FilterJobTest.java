package dev.sieve.filter.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.generate.CorpusGenerator;
import dev.sieve.generate.GeneratedCorpus;
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

  @Test
  void fineStageScoresWithTheClassifier(@TempDir Path dir) throws Exception {
    // Train on one generated corpus, filter another.
    GenerateSettings train = new GenerateSettings();
    train.docs = 2000;
    train.seed = 31;
    train.lowQualityRate = 0.3;
    GeneratedCorpus trainCorpus = GeneratedCorpus.cached(train);
    java.util.List<String> good = new java.util.ArrayList<>(), bad = new java.util.ArrayList<>();
    java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> truth = trainCorpus.truth().docsByKey();
    for (GeneratedCorpus.Doc d : trainCorpus.jsonl()) (truth.get(d.key()).get("quality").asText().equals("good") ? good : bad).add(d.text());
    var trained = dev.sieve.filter.QualityClassifier.train(good, bad, dir.resolve("model"), 3);
    Path model = trained.classifier().path();
    trained.classifier().close();

    GenerateSettings g = new GenerateSettings();
    g.docs = 300;
    g.seed = 6;
    new CorpusGenerator(g).generate(dir.resolve("corpus"), null);
    Lake lake = new Lake(dir.resolve("lake").toString());
    IngestJob.run(spark, lake, SieveConfig.defaults(), "ingest-q", List.of(dir.resolve("corpus").toString()));
    SieveConfig withModel = SieveConfig.parse("filter:\n  classifier:\n    model: " + model + "\n    threshold: 0.5\n");
    FilterJob.Result r = FilterJob.run(spark, lake, withModel, "filter-q", false);
    Row scores = DeltaTables.read(spark, lake.path(Lake.SILVER_FILTERED))
        .selectExpr("count(*) AS n", "count(quality_score) AS scored", "min(quality_score) AS lo").head();
    assertEquals(r.kept(), scores.getLong(0));
    assertEquals(r.kept(), scores.getLong(1), "every kept document has a quality_score");
    assertTrue(scores.getDouble(2) >= 0.5, "kept documents score at least the threshold: " + scores.getDouble(2));
    long byClassifier = DeltaTables.read(spark, lake.path(Lake.SILVER_REJECTED)).where("stage = 'quality'").count();
    assertEquals(r.rejectedByRule().getOrDefault("quality_classifier", 0L), byClassifier);
    System.out.println("fine stage: kept " + r.kept() + " of " + r.in() + ", rejected by the classifier: " + byClassifier);

    SieveConfig missing = SieveConfig.parse("filter:\n  classifier:\n    model: " + dir.resolve("nope.bin") + "\n");
    dev.sieve.core.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(dev.sieve.core.config.ConfigException.class,
        () -> FilterJob.run(spark, lake, missing, "filter-missing", true));
    assertTrue(e.getMessage().startsWith("bad value for 'filter.classifier.model'"), e.getMessage());
  }
}
