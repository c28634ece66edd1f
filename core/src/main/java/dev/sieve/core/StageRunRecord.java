package dev.sieve.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code _sieve/stage_runs}: what ran, with which resolved config, on which Delta
 * versions, with what counts and outcome. Mutable while the run is in flight; the Spark side
 * ({@code dev.sieve.core.spark.StageRun}) persists it at start and at the end.
 */
public final class StageRunRecord {
  /** Values of {@link #status()}. */
  public enum Status { RUNNING, SUCCEEDED, FAILED }

  private final String stage;
  private final String runId;
  private final String configJson;
  private final String configHash;
  private final Instant startedAt;
  private Instant endedAt;
  private Status status = Status.RUNNING;
  private final Map<String, Long> versionsRead = new LinkedHashMap<>();
  private final Map<String, Long> versionsWritten = new LinkedHashMap<>();
  private long countIn;
  private long countOut;
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final Map<String, Long> dropped = new LinkedHashMap<>();
  private final Map<String, Long> rowsGained = new LinkedHashMap<>();
  private String error;

  public StageRunRecord(String stage, String runId, String configJson, String configHash, Instant startedAt) {
    this.stage = stage;
    this.runId = runId;
    this.configJson = configJson;
    this.configHash = configHash;
    this.startedAt = startedAt;
  }

  public String stage() { return stage; }
  public String runId() { return runId; }
  public String configJson() { return configJson; }
  public String configHash() { return configHash; }
  public Instant startedAt() { return startedAt; }
  public Instant endedAt() { return endedAt; }
  public Status status() { return status; }
  public Map<String, Long> versionsRead() { return Collections.unmodifiableMap(versionsRead); }
  public Map<String, Long> versionsWritten() { return Collections.unmodifiableMap(versionsWritten); }
  public long countIn() { return countIn; }
  public long countOut() { return countOut; }
  public Map<String, Long> counts() { return Collections.unmodifiableMap(counts); }
  public String error() { return error; }
  /** Documents that left the pipeline in this run, by reason (rejected by a rule, duplicate, quarantined…). */
  public Map<String, Long> dropped() { return Collections.unmodifiableMap(dropped); }
  /** Rows each output table gained in this run (after minus before, measured on the table). */
  public Map<String, Long> rowsGained() { return Collections.unmodifiableMap(rowsGained); }

  public void recordRead(String table, long version) { versionsRead.put(table, version); }
  public void recordWritten(String table, long version) { versionsWritten.put(table, version); }
  /** Records that {@code n} documents left the pipeline for {@code reason} (also counted under that name). */
  public void addDropped(String reason, long n) {
    if (n < 0) throw new IllegalArgumentException("negative drop count for " + reason + ": " + n);
    dropped.merge(reason, n, Long::sum);
    counts.merge(reason, n, Long::sum);
  }
  public void recordRowsGained(String table, long n) { rowsGained.put(table, n); }
  public void addCountIn(long n) { countIn += n; }
  public void addCountOut(long n) { countOut += n; }
  public void setCountIn(long n) { countIn = n; }
  public void setCountOut(long n) { countOut = n; }
  /** Adds {@code n} to a named count (e.g. a rejection reason). */
  public void addCount(String name, long n) { counts.merge(name, n, Long::sum); }

  public void succeed(Instant at) {
    status = Status.SUCCEEDED;
    endedAt = at;
  }

  public void fail(Instant at, String message) {
    status = Status.FAILED;
    endedAt = at;
    error = message;
  }

  /** Σ {@link #dropped()}. */
  public long droppedTotal() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Whether the documents reconcile: {@code in = out + Σ dropped by reason}. Returns null when they
   * do, or one line naming the numbers when they do not.
   */
  public String ledgerMismatch() {
    long d = droppedTotal();
    if (countIn == countOut + d) return null;
    return stage + " run " + runId + " does not reconcile: " + countIn + " documents in, " + countOut + " out + " + d + " dropped "
        + dropped + " = " + (countOut + d) + " (" + (countIn - countOut - d) + " unaccounted for)";
  }

  /** The JSON put into each Delta commit's {@code userMetadata}: run id, stage and config hash. */
  public String userMetadata() {
    return "{\"run_id\":\"" + runId + "\",\"stage\":\"" + stage + "\",\"config_hash\":\"" + configHash + "\"}";
  }
}
