package dev.sieve.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny stage writes a Delta table through the core helpers, with its stage_runs bookkeeping. */
class StageRunDeltaTest {
  private static final StructType SCHEMA = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("text", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false);

  private final SparkSession spark = TestSpark.session();

  private Dataset<Row> docs(String runId, String... ids) {
    List<Row> rows = new java.util.ArrayList<>();
    for (String id : ids) rows.add(RowFactory.create(id, "text of " + id, runId));
    return spark.createDataFrame(rows, SCHEMA);
  }

  private long runTinyStage(Lake lake, SieveConfig config, String runId, String... ids) {
    try (StageRun run = StageRun.start(spark, lake, "tiny", config, runId)) {
      run.read(Lake.BRONZE_DOCUMENTS);
      long v = DeltaTables.merge(docs(runId, ids), lake.path(Lake.SILVER_FILTERED), DeltaTables.OnMatch.KEEP, "doc_id");
      run.wrote(Lake.SILVER_FILTERED, v);
      run.count("kept", ids.length);
      run.succeed(ids.length, ids.length);
      return v;
    }
  }

  @Test
  void stageRunRowUserMetadataAndIdempotentMerge(@TempDir Path dir) {
    Lake lake = new Lake(dir.toString());
    SieveConfig config = SieveConfig.parse("spark:\n  app_name: tiny-test\n");
    String table = lake.path(Lake.SILVER_FILTERED);

    long v0 = runTinyStage(lake, config, "run-1", "a", "b", "c");
    assertEquals(0, v0);
    assertEquals(3, DeltaTables.count(spark, table));

    Row run = spark.read().format("delta").load(lake.path(Lake.STAGE_RUNS)).where("run_id = 'run-1'").head();
    assertEquals("tiny", run.getAs("stage"));
    assertEquals("SUCCEEDED", run.getAs("status"));
    assertEquals(config.toJson(), run.getAs("config_json"));
    assertEquals(config.hash(), run.getAs("config_hash"));
    assertEquals(3L, (long) run.getAs("count_in"));
    assertEquals(Map.of("kept", 3L), run.getJavaMap(run.fieldIndex("counts")));
    assertEquals(Map.of(Lake.SILVER_FILTERED, 0L), run.getJavaMap(run.fieldIndex("versions_written")));
    assertEquals(Map.of(Lake.BRONZE_DOCUMENTS, -1L), run.getJavaMap(run.fieldIndex("versions_read")));
    assertNotNull(run.getAs("ended_at"));

    Row commit = spark.sql("DESCRIBE HISTORY delta.`" + table + "`").where("version = 0").head();
    String meta = commit.getAs("userMetadata");
    assertEquals("{\"run_id\":\"run-1\",\"stage\":\"tiny\",\"config_hash\":\"" + config.hash() + "\"}", meta);

    // A rerun over the same input plus one new id: the MERGE adds only the new row.
    runTinyStage(lake, config, "run-2", "a", "b", "c");
    assertEquals(3, DeltaTables.count(spark, table));
    runTinyStage(lake, config, "run-3", "a", "b", "c", "d", "d");
    assertEquals(4, DeltaTables.count(spark, table));
    assertEquals("run-1", spark.read().format("delta").load(table).where("doc_id = 'a'").head().getAs("run_id"));
    String lastMeta = spark.sql("DESCRIBE HISTORY delta.`" + table + "`").orderBy(org.apache.spark.sql.functions.desc("version")).head().getAs("userMetadata");
    assertTrue(lastMeta.contains("\"run_id\":\"run-3\""), lastMeta);

    // stage_runs holds one row per run, each finished.
    assertEquals(3, spark.read().format("delta").load(lake.path(Lake.STAGE_RUNS)).where("status = 'SUCCEEDED'").count());
    // The session no longer tags commits once the run is over.
    assertTrue(spark.conf().getOption(StageRun.USER_METADATA_CONF).isEmpty());
  }

  @Test
  void updateModeReplacesMatchedRows(@TempDir Path dir) {
    String table = dir.resolve("t").toString();
    DeltaTables.merge(docs("r1", "a", "b"), table, DeltaTables.OnMatch.UPDATE, "doc_id");
    DeltaTables.merge(docs("r2", "b", "c"), table, DeltaTables.OnMatch.UPDATE, "doc_id");
    assertEquals(3, DeltaTables.count(spark, table));
    assertEquals("r2", DeltaTables.read(spark, table).where("doc_id = 'b'").head().getAs("run_id"));
    assertEquals(2, DeltaTables.read(spark, table, 0).count());
    assertEquals(1, DeltaTables.version(spark, table));
  }

  @Test
  void failedRunIsRecorded(@TempDir Path dir) {
    Lake lake = new Lake(dir.toString());
    SieveConfig config = SieveConfig.defaults();
    assertThrows(IllegalStateException.class, () -> {
      try (StageRun run = StageRun.start(spark, lake, "boom", config, "run-x")) {
        try {
          throw new IllegalStateException("disk on fire\nsecond line");
        } catch (IllegalStateException e) {
          run.fail(e);
          throw e;
        }
      }
    });
    Row row = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).head();
    assertEquals("FAILED", row.getAs("status"));
    assertEquals("IllegalStateException: disk on fire", row.getAs("error"));

    try (StageRun run = StageRun.start(spark, lake, "abandoned", config, "run-y")) {
      run.count("x", 1);
    }
    Row abandoned = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("run_id = 'run-y'").head();
    assertEquals("FAILED", abandoned.getAs("status"));
  }

  @Test
  void theSkeletonReconcilesBeforeItRecordsSuccess(@TempDir Path dir) {
    Lake lake = new Lake(dir.toString());
    SieveConfig config = SieveConfig.defaults();
    String table = lake.path(Lake.SILVER_FILTERED);

    // Honest: 3 in, 2 out + 1 dropped, the table gained 2.
    String result = Stage.run(spark, lake, "tiny", config, "ok-1", run -> {
      run.output(Lake.SILVER_FILTERED);
      run.wrote(Lake.SILVER_FILTERED, DeltaTables.merge(docs("ok-1", "a", "b"), table, DeltaTables.OnMatch.KEEP, "doc_id"));
      run.in(3);
      run.out(2);
      run.dropped("rejected_tiny", 1);
      run.gained(Lake.SILVER_FILTERED, 2);
      return "done";
    });
    assertEquals("done", result);
    Row ok = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("run_id = 'ok-1'").head();
    assertEquals("SUCCEEDED", ok.getAs("status"));
    assertEquals(Map.of("rejected_tiny", 1L), ok.getJavaMap(ok.fieldIndex("dropped")));
    assertEquals(Map.of(Lake.SILVER_FILTERED, 2L), ok.getJavaMap(ok.fieldIndex("rows_gained")));

    // Says it wrote 2 new rows, but "b" was there already: the table gained 1. The run fails, naming the numbers.
    StageRun.ReconciliationException e = assertThrows(StageRun.ReconciliationException.class,
        () -> Stage.run(spark, lake, "tiny", config, "liar-1", run -> {
          run.output(Lake.SILVER_FILTERED);
          run.wrote(Lake.SILVER_FILTERED, DeltaTables.merge(docs("liar-1", "b", "c"), table, DeltaTables.OnMatch.KEEP, "doc_id"));
          run.in(2);
          run.out(2);
          run.gained(Lake.SILVER_FILTERED, 2);
          return null;
        }));
    assertEquals("tiny run liar-1 does not reconcile: silver/filtered gained 1 rows (2 -> 3), the stage says 2", e.getMessage());
    Row liar = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("run_id = 'liar-1'").head();
    assertEquals("FAILED", liar.getAs("status"));
    assertTrue(liar.<String>getAs("error").contains("does not reconcile"), liar.<String>getAs("error"));

    // Documents that vanish without a reason.
    assertThrows(StageRun.ReconciliationException.class, () -> Stage.run(spark, lake, "tiny", config, "leak-1", run -> {
      run.in(5);
      run.out(4);
      return null;
    }));
    assertFalse(java.nio.file.Files.exists(dir.resolve(LakeLock.FILE)), "the lake lock is released after a failed run");
  }
}
