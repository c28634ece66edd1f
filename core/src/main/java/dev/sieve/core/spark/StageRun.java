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
      .add("error", DataTypes.StringType, true)
      .add("dropped", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true)
      .add("rows_gained", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true);

  /** Columns added after the first release: lakes written before get them on the next run (ALTER TABLE ADD COLUMNS). */
  private static final java.util.List<String> ADDED_COLUMNS = java.util.List.of("dropped", "rows_gained");

  private final SparkSession spark;
  private final Lake lake;
  private final StageRunRecord record;
  private final String previousUserMetadata;
  private boolean closed;
  /** Output tables declared with {@link #output}: rows before the run wrote. */
  private final java.util.Map<String, Long> rowsBefore = new java.util.LinkedHashMap<>();
  /** What the stage says each output table gained. */
  private final java.util.Map<String, Long> expectedGain = new java.util.LinkedHashMap<>();

  private StageRun(SparkSession spark, Lake lake, StageRunRecord record) {
    this.spark = spark;
    this.lake = lake;
    this.record = record;
    this.previousUserMetadata = spark.conf().getOption(USER_METADATA_CONF).getOrElse(() -> null);
  }

  /** Records the start of a run and tags the session's Delta commits with it. */
  public static StageRun start(SparkSession spark, Lake lake, String stage, SieveConfig config, String runId) {
    return start(spark, lake, stage, config.toJson(), config.hash(), runId);
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

  /**
   * Marks the runs still {@code RUNNING} in {@code _sieve/stage_runs} as {@code FAILED}
   * ("abandoned"): called by a run that holds the lake's lock, so no other run can be live. They
   * died (kill -9, a lost node) without recording their end.
   *
   * @return how many were marked
   */
  public static long markAbandoned(SparkSession spark, Lake lake, String foundBy) {
    String path = lake.path(Lake.STAGE_RUNS);
    if (!DeltaTables.exists(spark, path)) return 0;
    long n = DeltaTables.read(spark, path).where("status = 'RUNNING' AND run_id <> '" + foundBy.replace("'", "''") + "'").count();
    if (n > 0) {
      io.delta.tables.DeltaTable.forPath(spark, path).updateExpr("status = 'RUNNING' AND run_id <> '" + foundBy.replace("'", "''") + "'",
          Map.of("status", "'FAILED'", "ended_at", "current_timestamp()",
              "error", "'abandoned: the run died without recording its end (found by run " + foundBy.replace("'", "") + ")'"));
    }
    return n;
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

  /**
   * Like {@link #read}, for the table this stage consumes: when it is absent, a one-line usage
   * error saying which command makes it ("no silver/filtered in lake ./lake: run 'sieve filter' first").
   */
  public long readInput(String table, String producedBy) {
    long v = read(table);
    if (v < 0) {
      throw lake.missing(table, producedBy);
    }
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

  /** Adds {@code n} documents to what this run read (the {@code in} of the ledger). */
  public void in(long n) { record.addCountIn(n); }

  /** Adds {@code n} documents to what this run passed on to its output table (the {@code out}). */
  public void out(long n) { record.addCountOut(n); }

  /** Records that {@code n} documents left the pipeline for {@code reason} (also a count of that name). */
  public void dropped(String reason, long n) { record.addDropped(reason, n); }

  /**
   * Declares that this run writes {@code table} and notes its rows now (a metadata-only count
   * of the Delta log's file statistics), before anything is written. Call before writing it.
   *
   * @return the rows it holds now (0 when absent)
   */
  public long output(String table) {
    long n = DeltaTables.count(spark, lake.path(table));
    rowsBefore.put(table, n);
    return n;
  }

  /** Rows {@code table} held when {@link #output} declared it. */
  public long rowsBefore(String table) {
    Long n = rowsBefore.get(table);
    if (n == null) throw new IllegalStateException("table " + table + " was not declared with output() before writing");
    return n;
  }

  /**
   * What the stage says it did to {@code table}: it gained {@code n} rows (negative when it
   * removed more than it added). {@link #reconcile} checks the table against it.
   */
  public void gained(String table, long n) {
    rowsBefore(table);
    expectedGain.merge(table, n, Long::sum);
  }

  /**
   * Checks the run before it can succeed: documents in = out + Σ dropped by reason, and each output
   * table gained the rows the stage says it wrote (measured at the version the run left it at).
   *
   * @throws ReconciliationException with one line naming the numbers, when anything differs
   */
  public void reconcile() {
    String mismatch = record.ledgerMismatch();
    if (mismatch != null) throw new ReconciliationException(mismatch);
    for (var e : rowsBefore.entrySet()) {
      String table = e.getKey();
      String path = lake.path(table);
      Long version = record.versionsWritten().get(table);
      long after = !DeltaTables.exists(spark, path) ? 0
          : version == null ? DeltaTables.count(spark, path) : DeltaTables.read(spark, path, version).count();
      long gained = after - e.getValue();
      record.recordRowsGained(table, gained);
      Long expected = expectedGain.get(table);
      if (expected != null && expected != gained) {
        throw new ReconciliationException(record.stage() + " run " + record.runId() + " does not reconcile: " + table + " gained " + gained
            + " rows (" + e.getValue() + " -> " + after + "), the stage says " + expected);
      }
    }
  }

  /** Marks the run as done; the ledger is what {@link #in}, {@link #out} and {@link #dropped} recorded. */
  public void succeed() {
    record.succeed(Instant.now());
    finish();
  }

  /** Marks the run as done with its input and output document counts (replacing the ledger's). */
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
        record.error(),
        new java.util.TreeMap<>(record.dropped()),
        new java.util.TreeMap<>(record.rowsGained()));
    Dataset<Row> df = spark.createDataFrame(List.of(row), SCHEMA);
    String path = lake.path(Lake.STAGE_RUNS);
    addMissingColumns(path);
    DeltaTables.merge(df, path, DeltaTables.OnMatch.UPDATE, "run_id", "stage");
  }

  /** stage_runs tables this JVM already brought up to {@link #SCHEMA}: checked once, not at every persist. */
  private static final java.util.Set<String> UP_TO_DATE = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private void addMissingColumns(String path) {
    if (UP_TO_DATE.contains(path) || !DeltaTables.exists(spark, path)) return;
    java.util.Set<String> have = java.util.Set.of(DeltaTables.read(spark, path).columns());
    for (String c : ADDED_COLUMNS) {
      if (!have.contains(c)) {
        spark.sql("ALTER TABLE delta.`" + path.replace("`", "``") + "` ADD COLUMNS (" + c + " MAP<STRING, BIGINT>)");
      }
    }
    UP_TO_DATE.add(path);
  }

  /** A stage's counts do not add up, or a table did not gain what the stage says it wrote. Exit code 1. */
  public static final class ReconciliationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReconciliationException(String message) {
      super(message);
    }
  }

}
