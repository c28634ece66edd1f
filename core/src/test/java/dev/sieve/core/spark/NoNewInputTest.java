package dev.sieve.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import dev.sieve.core.StageRunRecord;
import dev.sieve.core.config.SieveConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "nothing new" decision before Spark: remembered input versions, pending records, their flush. */
class NoNewInputTest {
  private static final StructType SCHEMA = new StructType().add("doc_id", DataTypes.StringType, false);
  private static final SieveConfig CONFIG = SieveConfig.parse("spark:\n  app_name: noop-test\n");

  private final SparkSession spark = TestSpark.session();

  private void addDocs(Lake lake, String... ids) {
    List<Row> rows = new java.util.ArrayList<>();
    for (String id : ids) rows.add(RowFactory.create(id));
    DeltaTables.append(spark.createDataFrame(rows, SCHEMA), lake.path(Lake.BRONZE_DOCUMENTS));
  }

  /** A stage like filter: reads bronze, returns early when it is unchanged, else counts it. */
  private long runStage(Lake lake, SieveConfig config, String runId) {
    return Stage.run(spark, lake, "tiny", config, runId, run -> {
      run.readInput(Lake.BRONZE_DOCUMENTS, "sieve ingest");
      if (run.inputsUnchanged()) return 0L;
      long n = DeltaTables.count(spark, lake.path(Lake.BRONZE_DOCUMENTS));
      run.in(n);
      run.out(n);
      return n;
    });
  }

  private static boolean decide(Lake lake, SieveConfig config, String runId) {
    return NoNewInput.decide(lake, "tiny", config, runId, null, Map.of());
  }

  private Dataset<Row> stageRuns(Lake lake) {
    return DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("stage = 'tiny'");
  }

  @Test
  void latestVersionFromTheLogListing(@TempDir Path dir) {
    Lake lake = new Lake(dir.toString());
    Configuration conf = new Configuration();
    assertEquals(-1, NoNewInput.latestVersion(conf, lake.path(Lake.BRONZE_DOCUMENTS)));
    addDocs(lake, "a");
    addDocs(lake, "b");
    assertEquals(1, NoNewInput.latestVersion(conf, lake.path(Lake.BRONZE_DOCUMENTS)));
    assertEquals(DeltaTables.version(spark, lake.path(Lake.BRONZE_DOCUMENTS)), NoNewInput.latestVersion(conf, lake.path(Lake.BRONZE_DOCUMENTS)));
  }

  @Test
  void nothingNewIsRecordedPendingAndAppendedByTheNextRun(@TempDir Path dir) {
    Lake lake = new Lake(dir.toString());
    addDocs(lake, "a", "b");
    // No run remembered yet: decide with Spark.
    assertFalse(decide(lake, CONFIG, "run-0"));
    assertEquals(2L, runStage(lake, CONFIG, "run-1"));

    // With a Spark session in this JVM the stage decides itself.
    assertFalse(NoNewInput.check(lake, "tiny", CONFIG, "run-2"));
    // Bronze still at the version run-1 read: nothing new, recorded without Spark.
    assertTrue(decide(lake, CONFIG, "run-2"));
    List<StageRunRecord> pending = PendingRuns.pending(new Configuration(), lake);
    assertEquals(1, pending.size());
    StageRunRecord p = pending.get(0);
    assertEquals("run-2", p.runId());
    assertEquals(StageRunRecord.Status.SUCCEEDED, p.status());
    assertEquals(CONFIG.hash(), p.configHash());
    assertEquals(Map.of(Lake.BRONZE_DOCUMENTS, 0L), p.versionsRead());
    assertEquals(0, p.countIn());
    assertEquals(1, stageRuns(lake).count(), "not in the table yet");
    assertEquals(2, PendingRuns.withPending(spark, lake, stageRuns(lake)).count(), "but a query of the table sees it");

    // The same run id again, another config: decide with Spark.
    assertFalse(decide(lake, CONFIG, "run-1"));
    assertFalse(decide(lake, SieveConfig.parse("spark:\n  app_name: other\n"), "run-x"));
    // A run in flight (or that died in flight): decide with Spark, which records it.
    Path marker = dir.resolve(StageRun.RUNNING_DIR).resolve("tiny~dead.json");
    try {
      Files.createDirectories(marker.getParent());
      Files.writeString(marker, "{\"stage\":\"tiny\",\"run_id\":\"dead\",\"started_at\":\"2026-01-01T00:00:00Z\"}");
      assertFalse(decide(lake, CONFIG, "run-y"));
      Files.delete(marker);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }

    // New input: the check says run, and that run appends the pending row first.
    addDocs(lake, "c");
    assertFalse(decide(lake, CONFIG, "run-3"));
    assertEquals(3L, runStage(lake, CONFIG, "run-3"));
    assertTrue(PendingRuns.pending(new Configuration(), lake).isEmpty());
    Row flushed = stageRuns(lake).where("run_id = 'run-2'").head();
    assertEquals("SUCCEEDED", flushed.getAs("status"));
    assertEquals(0L, (long) flushed.getAs("count_in"));
    assertEquals(Map.of(Lake.BRONZE_DOCUMENTS, 0L), flushed.getJavaMap(flushed.fieldIndex("versions_read")));
    assertEquals(3, stageRuns(lake).count());

    // And the Spark path agrees with the check afterwards: unchanged input, nothing processed.
    assertTrue(decide(lake, CONFIG, "run-4"));
    assertEquals(0L, runStage(lake, CONFIG, "run-5"));
    assertEquals(5, stageRuns(lake).count());
  }

  @Test
  void inputFingerprintMustMatch(@TempDir Path dir) {
    Lake lake = new Lake(dir.toString());
    addDocs(lake, "a");
    NoNewInput.rememberInputs(lake, "ingest", CONFIG, "ingest-1", "fingerprint-1", List.of(Lake.BRONZE_DOCUMENTS));
    assertFalse(NoNewInput.decide(lake, "ingest", CONFIG, "ingest-2", "fingerprint-2", Map.of()), "other files");
    assertFalse(NoNewInput.decide(lake, "ingest", CONFIG, "ingest-2", null, Map.of()), "no fingerprint given");
    assertTrue(NoNewInput.decide(lake, "ingest", CONFIG, "ingest-2", "fingerprint-1", Map.of("files_found", 4L)));
    StageRunRecord p = PendingRuns.pending(new Configuration(), lake).get(0);
    assertEquals(Map.of("files_found", 4L), p.counts());
    assertEquals(Map.of(Lake.BRONZE_DOCUMENTS, 0L), p.versionsRead());
    addDocs(lake, "b");
    assertFalse(NoNewInput.decide(lake, "ingest", CONFIG, "ingest-3", "fingerprint-1", Map.of()), "the table moved");
  }
}
