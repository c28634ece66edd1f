package dev.sieve.filter.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TableDigest;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.generate.CorpusGenerator;
import dev.sieve.generate.GenerateSettings;
import dev.sieve.ingest.spark.IngestJob;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An increment reads only what bronze gained ({@code input_rows_read}), and every way of getting
 * there leaves the tables filtering everything at once leaves: after appends, after a run killed
 * between its two writes, and after a MERGE of bronze or a DELETE from an output (the whole table
 * is read then).
 */
class FilterIncrementTest {
  private final SparkSession spark = TestSpark.session();
  /** Bronze rows of three generated corpora (150, 40 and 20 documents), ingested once for every test. */
  private static Dataset<Row> c1, c2, c3;

  @BeforeAll
  static void ingestOnce(@TempDir Path dir) throws IOException {
    SparkSession spark = TestSpark.session();
    Lake src = new Lake(dir.resolve("src").toString());
    List<String> inputs = List.of(corpus(dir.resolve("c1"), 150, 5), corpus(dir.resolve("c2"), 40, 7), corpus(dir.resolve("c3"), 20, 9));
    IngestJob.run(spark, src, SieveConfig.defaults(), "ingest", inputs);
    Dataset<Row> bronze = DeltaTables.read(spark, src.path(Lake.BRONZE_DOCUMENTS)).cache();
    c1 = bronze.where(functions.col("source_file").contains("/c1/"));
    c2 = bronze.where(functions.col("source_file").contains("/c2/"));
    c3 = bronze.where(functions.col("source_file").contains("/c3/"));
  }

  @Test
  void anIncrementReadsOnlyTheAppendedRowsAndEndsAsOneRunWould(@TempDir Path dir) throws Exception {
    Lake once = new Lake(dir.resolve("once").toString());
    append(once, c1);
    append(once, c2);
    FilterJob.run(spark, once, SieveConfig.defaults(), "f-once", false);

    Lake inc = new Lake(dir.resolve("inc").toString());
    append(inc, c1);
    FilterJob.Result first = FilterJob.run(spark, inc, SieveConfig.defaults(), "f1", false);
    long bronze1 = DeltaTables.count(spark, inc.path(Lake.BRONZE_DOCUMENTS));
    assertEquals(bronze1, counts(inc, "f1").get("input_rows_read"));
    assertEquals(1L, counts(inc, "f1").get("input_read_whole"), "a first run reads the whole table");
    assertEquals(bronze1, first.in());
    append(inc, c2);
    long gained = DeltaTables.count(spark, inc.path(Lake.BRONZE_DOCUMENTS)) - bronze1;
    assertTrue(gained > 30, "the second corpus adds documents: " + gained);
    Lake crashed = copy(inc, dir.resolve("crashed"));

    FilterJob.Result second = FilterJob.run(spark, inc, SieveConfig.defaults(), "f2", false);
    assertEquals(gained, second.in());
    assertEquals(gained, counts(inc, "f2").get("input_rows_read"), "the increment reads exactly the appended rows");
    assertNull(counts(inc, "f2").get("input_read_whole"));
    assertEquals(silver(once), silver(inc));

    // A run killed between its two writes left the increment's kept documents in silver/filtered.
    Dataset<Row> newIds = DeltaTables.read(spark, crashed.path(Lake.BRONZE_DOCUMENTS)).select("doc_id")
        .join(DeltaTables.read(spark, crashed.path(Lake.SILVER_FILTERED)).select("doc_id"), "doc_id", "left_anti")
        .join(DeltaTables.read(spark, crashed.path(Lake.SILVER_REJECTED)).select("doc_id"), "doc_id", "left_anti");
    Dataset<Row> written = DeltaTables.read(spark, inc.path(Lake.SILVER_FILTERED)).join(newIds, "doc_id", "left_semi");
    DeltaTables.merge(written, crashed.path(Lake.SILVER_FILTERED), DeltaTables.OnMatch.KEEP, "doc_id");
    FilterJob.Result rerun = FilterJob.run(spark, crashed, SieveConfig.defaults(), "f2-again", false);
    assertEquals(gained, counts(crashed, "f2-again").get("input_rows_read"));
    assertEquals(second.in() - second.kept(), rerun.in(), "only the documents the killed run did not write");
    assertEquals(0, rerun.kept());
    assertEquals(silver(once), silver(crashed));
  }

  @Test
  void aMergeOfBronzeOrADeleteFromAnOutputReadsTheWholeTable(@TempDir Path dir) throws Exception {
    Lake lake = new Lake(dir.resolve("lake").toString());
    append(lake, c1);
    FilterJob.run(spark, lake, SieveConfig.defaults(), "f1", false);
    long bronze1 = DeltaTables.count(spark, lake.path(Lake.BRONZE_DOCUMENTS));
    Map<String, Long> rules = rules(lake);

    // An UPDATE rewrites bronze files: the range is no longer appends only.
    DeltaTable.forPath(spark, lake.path(Lake.BRONZE_DOCUMENTS)).updateExpr(Map.of("title", "'x'"));
    FilterJob.Result afterUpdate = FilterJob.run(spark, lake, SieveConfig.defaults(), "f2", false);
    assertEquals(0, afterUpdate.in(), "the documents are all filtered already");
    assertEquals(1L, counts(lake, "f2").get("input_read_whole"));
    assertEquals(bronze1, counts(lake, "f2").get("input_rows_read"));

    // A DELETE from an output: its documents are filtered again, with the documents an append brings.
    String rule = rules.keySet().iterator().next();
    DeltaTable.forPath(spark, lake.path(Lake.SILVER_REJECTED)).delete("rule = '" + rule + "'");
    append(lake, c2);
    long bronze2 = DeltaTables.count(spark, lake.path(Lake.BRONZE_DOCUMENTS));
    FilterJob.Result afterDelete = FilterJob.run(spark, lake, SieveConfig.defaults(), "f3", false);
    assertEquals(1L, counts(lake, "f3").get("input_read_whole"));
    assertEquals(bronze2, counts(lake, "f3").get("input_rows_read"));
    assertEquals(rules.get(rule) + bronze2 - bronze1, afterDelete.in());
    assertTrue(rules(lake).get(rule) >= rules.get(rule), "the deleted rejections come back: " + rules(lake));
    assertEquals(bronze2, DeltaTables.count(spark, lake.path(Lake.SILVER_FILTERED)) + DeltaTables.count(spark, lake.path(Lake.SILVER_REJECTED)));

    // From here on, appends are read alone again.
    append(lake, c3);
    FilterJob.run(spark, lake, SieveConfig.defaults(), "f4", false);
    assertEquals(DeltaTables.count(spark, lake.path(Lake.BRONZE_DOCUMENTS)) - bronze2, counts(lake, "f4").get("input_rows_read"));
  }

  private static String corpus(Path dir, int docs, long seed) throws IOException {
    GenerateSettings g = new GenerateSettings();
    g.docs = docs;
    g.seed = seed;
    new CorpusGenerator(g).generate(dir, null);
    return dir.toString();
  }

  /** What {@code sieve ingest} of new files commits to bronze: an append of their rows. */
  private static void append(Lake lake, Dataset<Row> rows) {
    DeltaTables.append(rows, lake.path(Lake.BRONZE_DOCUMENTS));
  }

  private Map<String, Long> counts(Lake lake, String runId) {
    Row r = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("stage = 'filter' AND run_id = '" + runId + "'").head();
    return r.getJavaMap(r.fieldIndex("counts"));
  }

  private Map<String, Long> rules(Lake lake) {
    Map<String, Long> out = new java.util.TreeMap<>();
    for (Row r : DeltaTables.read(spark, lake.path(Lake.SILVER_REJECTED)).groupBy("rule").count().collectAsList()) out.put(r.getString(0), r.getLong(1));
    return out;
  }

  /** Digests of the two filter outputs (rows and a content hash, run ids and times left out). */
  private List<String> silver(Lake lake) {
    return Stream.of(Lake.SILVER_FILTERED, Lake.SILVER_REJECTED)
        .map(t -> TableDigest.of(DeltaTables.read(spark, lake.path(t)), TableDigest.VOLATILE)).toList();
  }

  /** A copy of the lake's files, modification times kept (as {@code cp -a} copies a lake). */
  private static Lake copy(Lake lake, Path to) throws IOException {
    Path from = Path.of(lake.root());
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return new Lake(to.toString());
  }
}
