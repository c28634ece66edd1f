package dev.sieve.core.spark;

import dev.sieve.core.Lake;
import dev.sieve.core.StageRunRecord;
import dev.sieve.core.config.SieveConfig;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Bookkeeping for one stage run in {@code _sieve/stage_runs}: a {@code RUNNING} row when it
 * starts, the final row (status, versions read and written, counts) when it ends. While it is
 * open, every Delta commit made through the session carries the run's {@code userMetadata}
 * (run id, stage, config hash), so {@code DESCRIBE HISTORY} tells who wrote what.
 *
 * <pre>{@code
 * try (StageRun run = StageRun.start(spark, lake, "filter", config, runId)) {
 *   long v = run.read(Lake.BRONZE_DOCUMENTS);
 *   ...
 *   run.wrote(Lake.SILVER_FILTERED, DeltaTables.merge(...));
 *   run.succeed(in, out);
 * }   // closing without succeed() records FAILED
 * }</pre>
 */
public final class StageRun implements AutoCloseable {
  /** Delta's session setting whose value lands in each commit's {@code userMetadata}. */
  public static final String USER_METADATA_CONF = "spark.databricks.delta.commitInfo.userMetadata";

  public static final StructType SCHEMA = new StructType()
      .add("stage", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("started_at", DataTypes.TimestampType, false)
      .add("ended_at", DataTypes.TimestampType, true)
      .add("status", DataTypes.StringType, false)
      .add("config_json", DataTypes.StringType, false)
      .add("config_hash", DataTypes.StringType, false)
      .add("versions_read", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
      .add("versions_written", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
      .add("count_in", DataTypes.LongType, false)
      .add("count_out", DataTypes.LongType, false)
      .add("counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
      .add("error", DataTypes.StringType, true);

  private final SparkSession spark;
  private final Lake lake;
  private final StageRunRecord record;
  private final String previousUserMetadata;
  private boolean closed;

  private StageRun(SparkSession spark, Lake lake, StageRunRecord record) {
    this.spark = spark;
    this.lake = lake;
    this.record = record;
    this.previousUserMetadata = spark.conf().getOption(USER_METADATA_CONF).getOrElse(() -> null);
  }

  /** Records the start of a run and tags the session's Delta commits with it. */
  public static StageRun start(SparkSession spark, Lake lake, String stage, SieveConfig config, String runId) {
    StageRunRecord rec = new StageRunRecord(stage, runId, config.toJson(), config.hash(), Instant.now());
    StageRun run = new StageRun(spark, lake, rec);
    spark.conf().set(USER_METADATA_CONF, rec.userMetadata());
    spark.sparkContext().setJobGroup(stage + ":" + runId, "sieve " + stage + " (run " + runId + ")", false);
    run.persist();
    return run;
  }

  /**
   * Records the start of a run whose settings are not a {@link SieveConfig}: a training run, whose
   * row carries its job spec as {@code config_json} and that spec's hash (in the commits'
   * userMetadata too).
   */
  public static StageRun start(SparkSession spark, Lake lake, String stage, String configJson, String configHash, String runId) {
    StageRunRecord rec = new StageRunRecord(stage, runId, configJson, configHash, Instant.now());
    StageRun run = new StageRun(spark, lake, rec);
    spark.conf().set(USER_METADATA_CONF, rec.userMetadata());
    spark.sparkContext().setJobGroup(stage + ":" + runId, "sieve " + stage + " (run " + runId + ")", false);
    run.persist();
    return run;
  }

  public StageRunRecord record() { return record; }
  public String runId() { return record.runId(); }
  public Lake lake() { return lake; }
  public SparkSession spark() { return spark; }

  /** Records that this run reads {@code table} at its current version, and returns that version (-1 if absent). */
  public long read(String table) {
    long v = DeltaTables.version(spark, lake.path(table));
    record.recordRead(table, v);
    return v;
  }

  /** Records the version this run left {@code table} at. */
  public void wrote(String table, long version) {
    record.recordWritten(table, version);
  }

  /** Adds to a named count (e.g. {@code dropped_gopher_short_doc}). */
  public void count(String name, long n) {
    record.addCount(name, n);
  }

  /** Marks the run as done with its input and output document counts. */
  public void succeed(long countIn, long countOut) {
    record.setCountIn(countIn);
    record.setCountOut(countOut);
    record.succeed(Instant.now());
    finish();
  }

  /** Marks the run as failed; the error message (one line) is kept in the row. */
  public void fail(Throwable error) {
    String msg = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    int nl = msg.indexOf('\n');
    record.fail(Instant.now(), nl < 0 ? msg : msg.substring(0, nl));
    finish();
  }

  @Override
  public void close() {
    if (!closed) {
      record.fail(Instant.now(), "run ended without reporting success");
      finish();
    }
  }

  private void finish() {
    if (closed) return;
    closed = true;
    try {
      persist();
    } finally {
      if (previousUserMetadata == null) spark.conf().unset(USER_METADATA_CONF);
      else spark.conf().set(USER_METADATA_CONF, previousUserMetadata);
      spark.sparkContext().clearJobGroup();
    }
  }

  private void persist() {
    Row row = RowFactory.create(
        record.stage(),
        record.runId(),
        Timestamp.from(record.startedAt()),
        record.endedAt() == null ? null : Timestamp.from(record.endedAt()),
        record.status().name(),
        record.configJson(),
        record.configHash(),
        new java.util.TreeMap<>(record.versionsRead()),
        new java.util.TreeMap<>(record.versionsWritten()),
        record.countIn(),
        record.countOut(),
        new java.util.TreeMap<>(record.counts()),
        record.error());
    Dataset<Row> df = spark.createDataFrame(List.of(row), SCHEMA);
    DeltaTables.merge(df, lake.path(Lake.STAGE_RUNS), DeltaTables.OnMatch.UPDATE, "run_id", "stage");
  }

}
