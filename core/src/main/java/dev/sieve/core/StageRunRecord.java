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

  public void recordRead(String table, long version) { versionsRead.put(table, version); }
  public void recordWritten(String table, long version) { versionsWritten.put(table, version); }
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

  /** The JSON put into each Delta commit's {@code userMetadata}: run id, stage and config hash. */
  public String userMetadata() {
    return "{\"run_id\":\"" + runId + "\",\"stage\":\"" + stage + "\",\"config_hash\":\"" + configHash + "\"}";
  }
}
