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
  void countComesFromTheChecksumFileListAndAgreesWithACountQuery(@TempDir Path dir) {
    String table = dir.resolve("t").toString();
    assertEquals(0, DeltaTables.count(spark, table));
    DeltaTables.merge(docs("r1", "a", "b", "c"), table, DeltaTables.OnMatch.UPDATE, "doc_id");
    DeltaTables.append(docs("r2", "d", "e"), table);
    io.delta.tables.DeltaTable.forPath(spark, table).delete("doc_id = 'b'");
    // A fresh log (as the next command sees it) reads the checksum from disk.
    org.apache.spark.sql.delta.DeltaLog.clearCache();
    var snapshot = org.apache.spark.sql.delta.DeltaLog.forTable(spark, table).update(false, scala.Option.empty(), scala.Option.empty());
    assertEquals(4, DeltaTables.countFromChecksum(snapshot), "a, c, d, e: answered from the checksum, no count query");
    assertEquals(4, DeltaTables.count(spark, table));
    DeltaTables.overwrite(docs("r3", "x"), table);
    assertEquals(1, DeltaTables.count(spark, table));
    assertEquals(DeltaTables.read(spark, table).count(), DeltaTables.count(spark, table));
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

  @Test
  void aRunInFlightIsAMarkerThenOneRowAndADeadRunsMarkerBecomesAnAbandonedRow(@TempDir Path dir) throws Exception {
    Lake lake = new Lake(dir.toString());
    SieveConfig config = SieveConfig.defaults();
    Path running = dir.resolve(StageRun.RUNNING_DIR);
    Stage.run(spark, lake, "tiny", config, "live-1", run -> {
      assertTrue(java.nio.file.Files.exists(running.resolve("tiny%7Elive-1.json")), "a run in flight leaves its marker");
      assertFalse(DeltaTables.exists(spark, lake.path(Lake.STAGE_RUNS)), "and no row until it ends");
      return null;
    });
    assertEquals(List.of(), List.of(running.toFile().list()), "the marker goes once the row is in");
    assertEquals(1, DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).count());

    // A run killed in flight leaves only its marker: the next run on the lake records it as abandoned.
    java.nio.file.Files.writeString(running.resolve("filter%7Edead-1.json"),
        "{\"stage\":\"filter\",\"run_id\":\"dead-1\",\"started_at\":\"2026-01-02T03:04:05Z\",\"config_hash\":\"h\",\"config_json\":\"{}\"}");
    Stage.run(spark, lake, "tiny", config, "next-1", run -> null);
    Row dead = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("run_id = 'dead-1'").head();
    assertEquals("filter", dead.getAs("stage"));
    assertEquals("FAILED", dead.getAs("status"));
    assertEquals(java.sql.Timestamp.from(java.time.Instant.parse("2026-01-02T03:04:05Z")), dead.getAs("started_at"));
    assertEquals("abandoned: the run died without recording its end (found by run next-1)", dead.getAs("error"));
    assertEquals(List.of(), List.of(running.toFile().list()));

    // A run id used again for the same stage keeps one row, the latest outcome.
    Stage.run(spark, lake, "tiny", config, "live-1", run -> {
      run.count("again", 1);
      return null;
    });
    List<Row> again = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("run_id = 'live-1'").collectAsList();
    assertEquals(1, again.size());
    assertEquals(Map.of("again", 1L), again.get(0).getJavaMap(again.get(0).fieldIndex("counts")));
    assertEquals(3, DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).count(), "live-1, dead-1, next-1");
  }

  @Test
  void inputsUnchangedOnlyAtTheVersionsTheLastSucceededRunWithTheSameConfigRead(@TempDir Path dir) {
    Lake lake = new Lake(dir.toString());
    SieveConfig config = SieveConfig.defaults();
    SieveConfig other = SieveConfig.parse("spark:\n  app_name: other\n");
    String bronze = lake.path(Lake.BRONZE_DOCUMENTS);
    DeltaTables.append(docs("in", "a"), bronze);
    java.util.function.BiFunction<SieveConfig, String, Boolean> probe = (c, id) -> Stage.run(spark, lake, "tiny", c, id, run -> {
      run.read(Lake.BRONZE_DOCUMENTS);
      return run.inputsUnchanged();
    });
    assertFalse(probe.apply(config, "t1"), "no earlier run");
    assertTrue(probe.apply(config, "t2"), "bronze unchanged since t1");
    assertFalse(probe.apply(other, "t3"), "another config");
    DeltaTables.append(docs("in", "b"), bronze);
    assertFalse(probe.apply(config, "t4"), "bronze gained a commit");
    assertTrue(probe.apply(config, "t5"));
    assertThrows(IllegalStateException.class, () -> Stage.run(spark, lake, "tiny", config, "t6", run -> {
      throw new IllegalStateException("boom");
    }));
    assertTrue(probe.apply(config, "t7"), "a failed run does not count");
    boolean nothingRead = Stage.run(spark, lake, "tiny", config, "t8", run -> run.inputsUnchanged());
    assertFalse(nothingRead, "nothing read");
  }
}
