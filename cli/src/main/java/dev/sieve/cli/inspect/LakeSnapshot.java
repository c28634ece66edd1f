package dev.sieve.cli.inspect;

import java.util.List;
import java.util.Map;

/**
 * Everything {@code sieve inspect} prints and {@code sieve report} draws, as plain values: read
 * from the lake once by {@link SnapshotReader} (the only part that needs Spark), then formatted by
 * {@link InspectText}, {@link InspectJson} and {@link ReportHtml} without Spark.
 *
 * <p>Sections whose tables are absent are {@code null} (shards, training) or empty lists; a
 * section that could not be read is named in {@link #notes()} instead of failing the command.
 */
public record LakeSnapshot(
    String lake,
    String takenAt,
    List<TableInfo> tables,
    List<StageRunSummary> stageRuns,
    List<Reconciliation> reconciliation,
    Funnel funnel,
    Samples samples,
    ShardSummary shards,
    TrainingSummary training,
    Charts charts,
    List<String> notes) {

  /** One table named in DESIGN.md; {@code version} is -1 when the table does not exist yet. */
  public record TableInfo(String path, String view, long version, long rows, List<CommitInfo> history) {
    public boolean exists() {
      return version >= 0;
    }
  }

  /**
   * One Delta commit from {@code DESCRIBE HISTORY}; run id, stage and config hash come from its
   * {@code userMetadata}, rows added/deleted from its operation metrics (null when not reported).
   */
  public record CommitInfo(long version, String timestamp, String operation, String runId, String stage, String configHash,
      Long rowsAdded, Long rowsDeleted) {}

  /** The runs of one stage in {@code _sieve/stage_runs}: how many, and the latest one in full. */
  public record StageRunSummary(String stage, int runs, int failed, String lastRunId, String lastStatus, String lastStartedAt,
      Double lastSeconds, long lastCountIn, long lastCountOut, long totalCountIn, long totalCountOut, Map<String, Long> lastCounts,
      String lastError) {}

  /**
   * One stage run's ledger: documents in, out, dropped by reason (quarantined is the part of it
   * whose reason starts with {@code quarantined}), the rows each output table gained, and the
   * verdict: {@code ok} (in = out + Σ dropped, tables checked), {@code mismatch} (the run failed
   * its reconciliation), {@code failed} (failed otherwise), {@code running}, or {@code unrecorded}
   * (a run from before the ledger existed).
   */
  public record Reconciliation(String stage, String runId, String status, String startedAt, long in, long out, Map<String, Long> dropped,
      long quarantined, Map<String, Long> rowsGained, String verdict, String error) {
    public static final String OK = "ok";
    public static final String MISMATCH = "mismatch";
  }

  /** Documents after each stage (current table counts), and why documents left. */
  public record Funnel(List<FunnelStep> steps, long rejected, List<RuleDrop> ruleDrops, DedupSummary dedup, PiiSummary pii,
      ContaminationSummary contamination, long quarantined, Map<String, Long> quarantineByKind) {}

  /** One step of the funnel; {@code documents} is null when its table does not exist yet. */
  public record FunnelStep(String step, String table, Long documents, Long tokens) {}

  /** Documents {@code silver/rejected} holds for one rule of one filter stage. */
  public record RuleDrop(String stage, String rule, long documents) {}

  /** {@code silver/dup_clusters}: clusters of two or more documents and the duplicates removed. */
  public record DedupSummary(long clusters, long documentsInClusters, long exactRemoved, long nearRemoved) {}

  /**
   * {@code silver/contamination}: documents that shared an n-gram with a benchmark item, per action the run took
   * ({@code dropped}, or {@code cut}: the matched spans removed and the document kept) and per benchmark (a document
   * matching two benchmarks counts under each); null when decontamination never ran.
   */
  public record ContaminationSummary(long documents, Map<String, Long> documentsByAction, Map<String, Long> documentsByBenchmark) {}

  /** {@code silver/clean}: documents scrubbed, how many had PII, and spans replaced per kind. */
  public record PiiSummary(long documents, long documentsWithPii, Map<String, Long> spansByKind) {}

  public record Samples(int perSection, List<RejectedSample> rejected, List<ClusterSample> clusters, List<PiiSample> pii) {}

  /** A rejected document; {@code snippet} is its text's first 100 characters. */
  public record RejectedSample(String docId, String stage, String rule, Double value, Double threshold, String snippet) {}

  public record ClusterSample(String clusterId, int size, List<ClusterMember> members) {}

  /** A cluster member; {@code match} is exact or near relative to the kept document. */
  public record ClusterMember(String docId, boolean kept, String match, Double similarity, String snippet) {}

  /** A scrubbed document with its PII counts; the snippet is scrubbed text around the first tag. */
  public record PiiSample(String docId, Map<String, Long> counts, String snippet) {}

  /** {@code gold/shard_manifest} summed per dataset and split, and tokens per language and source. */
  public record ShardSummary(List<ShardGroup> groups, List<String> tokenizers, long tokens, Map<String, Long> tokensByLanguage,
      Map<String, Long> tokensBySource) {}

  public record ShardGroup(String dataset, String split, long shards, long documents, long sequences, long tokens, long bytes) {}

  /** {@code gold/training_metrics} per run, and (for the report) the loss curves. */
  public record TrainingSummary(List<TrainingRun> runs, List<Curve> curves) {}

  public record TrainingRun(String runId, long steps, long lastStep, Double firstLoss, Double lastLoss, Double minLoss,
      Double lastValLoss, Double minValLoss, Double lastLr) {}

  /** Loss (and validation loss where evaluated) per step of one run, thinned to a few hundred points. */
  public record Curve(String runId, List<CurvePoint> points) {}

  public record CurvePoint(long step, Double loss, Double valLoss) {}

  /**
   * What only the report draws: document length histograms per language (characters, bucket
   * lower bounds in {@code lengthBounds}) and the number of duplicate clusters per size.
   */
  public record Charts(String lengthTable, List<Long> lengthBounds, Map<String, List<Long>> lengthByLanguage,
      Map<Integer, Long> clusterSizes) {}

  /** The table entry for {@code path}, or null. */
  public TableInfo table(String path) {
    for (TableInfo t : tables) if (t.path().equals(path)) return t;
    return null;
  }
}
