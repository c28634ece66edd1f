package dev.sieve.core.spark;

import dev.sieve.core.Lake;
import dev.sieve.core.StageRunRecord;
import dev.sieve.core.config.SieveConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Bookkeeping for one stage run in {@code _sieve/stage_runs}: one row per run (stage, run id),
 * appended when the run ends with its status, versions read and written, counts and ledger. While
 * the run is in flight it is a small marker file, {@code _sieve/running/<stage>~<run id>.json}
 * (stage, run id, start time, config), not a row: a run killed before it ended leaves its marker,
 * and the next run on the lake (which holds the {@link LakeLock}, so no other run is live) turns it
 * into a {@code FAILED} ("abandoned") row. Appending one row costs one small Delta commit, where
 * a MERGE costs several Spark jobs: a stage with nothing to do stays cheap. A run id used again
 * for the same stage (a training run's metrics loaded again) replaces its row with a MERGE.
 *
 * <p>While the run is open, every Delta commit made through the session carries the run's
 * {@code userMetadata} (run id, stage, config hash), so {@code DESCRIBE HISTORY} tells who wrote
 * what.
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

  /** The columns of {@code _sieve/stage_runs} ({@link StageRunsTable#SCHEMA}). */
  public static final StructType SCHEMA = StageRunsTable.SCHEMA;

  /** Where runs in flight leave their marker, relative to the lake root. */
  public static final String RUNNING_DIR = "_sieve/running";
  private final SparkSession spark;
  private final Lake lake;
  private final StageRunRecord record;
  private final String previousUserMetadata;
  private boolean closed;
  /** This stage's earlier rows in stage_runs (read once, at start). */
  private final List<Row> earlierRuns;
  /** The output tables declared with {@link #output} and what the stage says they gained. */
  private final Reconciliation tables;

  private StageRun(SparkSession spark, Lake lake, StageRunRecord record) {
    this.spark = spark;
    this.lake = lake;
    this.record = record;
    this.tables = new Reconciliation(spark, lake);
    this.earlierRuns = StageRunsTable.earlierRuns(spark, lake, record.stage());
    this.previousUserMetadata = spark.conf().getOption(USER_METADATA_CONF).getOrElse(() -> null);
  }

  /** Records the start of a run (its marker file) and tags the session's Delta commits with it. */
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
    run.writeMarker();
    return run;
  }

  /**
   * Turns the markers of runs that died in flight (kill -9, a lost node) into {@code FAILED}
   * ("abandoned") rows of {@code _sieve/stage_runs}, and removes the markers. Called by a run that
   * holds the lake's lock, so no other run can be live; a marker of {@code foundBy}'s own stage
   * and run id (an earlier attempt of the same run) is only removed, as the run records itself.
   *
   * @return how many rows were recorded
   */
  public static long markAbandoned(SparkSession spark, Lake lake, String stage, String foundBy) {
    List<Map<String, Object>> dead = RunMarkers.list(spark, lake);
    long n = 0;
    for (Map<String, Object> m : dead) {
      String deadStage = String.valueOf(m.get("stage"));
      String deadRun = String.valueOf(m.get("run_id"));
      if (!(deadStage.equals(stage) && deadRun.equals(foundBy))) {
        StageRunRecord rec = new StageRunRecord(deadStage, deadRun, String.valueOf(m.getOrDefault("config_json", "{}")),
            String.valueOf(m.getOrDefault("config_hash", "")), Instant.parse(String.valueOf(m.get("started_at"))));
        rec.fail(Instant.now(), "abandoned: the run died without recording its end (found by run " + foundBy + ")");
        StageRunsTable.write(spark, lake, rec, StageRunsTable.earlierRuns(spark, lake, deadStage));
        n++;
      }
      RunMarkers.remove(spark, lake, deadStage, deadRun);
    }
    return n;
  }

  /**
   * The runs in flight on {@code lake} now (or that died in flight and no run has recorded yet):
   * their markers, each with {@code stage}, {@code run_id} and {@code started_at} (ISO-8601).
   */
  public static List<Map<String, Object>> inFlight(SparkSession spark, Lake lake) {
    return RunMarkers.list(spark, lake);
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
    return tables.output(table);
  }

  /** Rows {@code table} held when {@link #output} declared it. */
  public long rowsBefore(String table) {
    return tables.rowsBefore(table);
  }

  /**
   * What the stage says it did to {@code table}: it gained {@code n} rows (negative when it
   * removed more than it added). {@link #reconcile} checks the table against it.
   */
  public void gained(String table, long n) {
    tables.gained(table, n);
  }

  /**
   * Checks the run before it can succeed: documents in = out + Σ dropped by reason, and each output
   * table gained the rows the stage says it wrote (measured at the version the run left it at).
   *
   * @throws ReconciliationException with one line naming the numbers, when anything differs
   */
  public void reconcile() {
    tables.check(record);
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
      StageRunsTable.write(spark, lake, record, earlierRuns);
      RunMarkers.remove(spark, lake, record.stage(), record.runId());
    } finally {
      if (previousUserMetadata == null) spark.conf().unset(USER_METADATA_CONF);
      else spark.conf().set(USER_METADATA_CONF, previousUserMetadata);
      spark.sparkContext().clearJobGroup();
    }
  }

  private void writeMarker() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("stage", record.stage());
    m.put("run_id", record.runId());
    m.put("started_at", record.startedAt().toString());
    m.put("config_hash", record.configHash());
    m.put("config_json", record.configJson());
    RunMarkers.write(spark, lake, m);
  }

  /**
   * The versions of its inputs that the latest succeeded run of this stage with the same config
   * hash read, or an empty map when there was none. A stage whose inputs are still at those
   * versions has nothing new to do.
   */
  public Map<String, Long> lastSucceededReads() {
    return StageRunsTable.lastSucceededReads(earlierRuns, record);
  }

  /**
   * The latest succeeded run of this stage, whatever its config, that recorded the version it left
   * each of {@code tables} at (its {@code versions_written}); null when there is none.
   */
  public EarlierRun lastSucceededWriting(java.util.Collection<String> tables) {
    return StageRunsTable.lastSucceededWriting(earlierRuns, tables);
  }

  /** An earlier run of a stage: id, start and end, and the table versions it read and left written. */
  public record EarlierRun(String runId, Instant startedAt, Instant endedAt, Map<String, Long> read, Map<String, Long> written) {}

  /** The tables and versions an earlier run of this stage read (its {@code versions_read}), or an empty map when it is unknown. */
  public Map<String, Long> versionsReadBy(String runId) {
    return StageRunsTable.versionsReadBy(earlierRuns, runId);
  }

  /**
   * Whether every table this run has read so far ({@link #read}, {@link #readInput}) is at the
   * version the latest succeeded run of this stage, with the same config hash, read: an incremental
   * stage whose output is a function of those inputs and its config then has nothing new to
   * process and can finish without a Spark job. False when nothing was read or there was no such
   * run (a first run, a changed config, a new tokenize dataset).
   */
  public boolean inputsUnchanged() {
    Map<String, Long> before = lastSucceededReads();
    Map<String, Long> now = record.versionsRead();
    if (before.isEmpty() || now.isEmpty()) return false;
    for (var e : now.entrySet()) {
      if (e.getValue() < 0 || !e.getValue().equals(before.get(e.getKey()))) return false;
    }
    return true;
  }

  /** A stage's counts do not add up, or a table did not gain what the stage says it wrote. Exit code 1. */
  public static final class ReconciliationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReconciliationException(String message) {
      super(message);
    }
  }
}
