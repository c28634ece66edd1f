package dev.sieve.cli.inspect;

import dev.sieve.cli.inspect.LakeSnapshot.Charts;
import dev.sieve.cli.inspect.LakeSnapshot.ClusterSample;
import dev.sieve.cli.inspect.LakeSnapshot.Funnel;
import dev.sieve.cli.inspect.LakeSnapshot.PiiSample;
import dev.sieve.cli.inspect.LakeSnapshot.RejectedSample;
import dev.sieve.cli.inspect.LakeSnapshot.Samples;
import dev.sieve.cli.inspect.LakeSnapshot.ShardSummary;
import dev.sieve.cli.inspect.LakeSnapshot.TableInfo;
import dev.sieve.cli.inspect.LakeSnapshot.TrainingSummary;
import dev.sieve.core.Lake;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a {@link LakeSnapshot} from a lake: the thin Spark part of {@code sieve inspect} and
 * {@code sieve report}. Every query aggregates in Spark and brings back a handful of rows (at most
 * a few per rule, cluster, language or run); nothing collects a table. One reader per part:
 * {@link TableHistory} (tables and their commits), {@link StageRunReader}, {@link FunnelReader}
 * (documents per stage and what each dropped), {@link SampleReader}, {@link ShardReader},
 * {@link TrainingReader} and, for the report, {@link ChartReader}. A part whose table is missing
 * is left out; one that fails becomes one of the snapshot's notes ({@link LakeQuery#section}).
 */
public final class SnapshotReader {
  /** Commits of {@code DESCRIBE HISTORY} kept per table. */
  public static final int HISTORY_COMMITS = 3;
  /** Lower bounds (characters) of the document length histogram buckets. */
  public static final List<Long> LENGTH_BOUNDS = List.of(0L, 100L, 200L, 500L, 1_000L, 2_000L, 5_000L, 10_000L, 20_000L, 50_000L);
  /** Languages drawn separately in the length histogram (by document count); the rest are {@code other}. */
  public static final int LENGTH_LANGUAGES = 6;
  /** Points per loss curve, at most (every k-th step, plus every evaluated step and the last). */
  public static final int CURVE_POINTS = 400;

  private final SparkSession spark;
  private final Lake lake;

  public SnapshotReader(SparkSession spark, Lake lake) {
    this.spark = spark;
    this.lake = lake;
  }

  /**
   * Reads the snapshot; {@code samples} rows per sample section, and with {@code charts} the
   * report's extra aggregates (length histograms, cluster sizes).
   */
  public LakeSnapshot read(int samples, boolean charts) {
    List<TableInfo> tables = new ArrayList<>();
    for (String t : Lake.TABLES) tables.add(TableHistory.read(spark, lake, t, HISTORY_COMMITS));
    Map<String, TableInfo> byPath = new LinkedHashMap<>();
    for (TableInfo t : tables) byPath.put(t.path(), t);
    LakeQuery q = new LakeQuery(spark, lake, byPath);
    List<StageRuns.Row> runRows = q.section("stage runs", () -> StageRunReader.rows(q), List.<StageRuns.Row>of(), Lake.STAGE_RUNS);
    var runs = StageRuns.summarize(runRows);
    var reconciliation = StageRuns.reconcile(runRows);
    Funnel funnel = FunnelReader.read(q);
    SampleReader sampleReader = new SampleReader(q);
    Samples s = new Samples(samples,
        q.section("rejected samples", () -> sampleReader.rejected(samples), List.<RejectedSample>of(), Lake.SILVER_REJECTED),
        q.section("cluster samples", () -> sampleReader.clusters(samples, q.exists(Lake.SILVER_FILTERED)), List.<ClusterSample>of(), Lake.SILVER_DUP_CLUSTERS),
        q.section("PII samples", () -> sampleReader.pii(samples), List.<PiiSample>of(), Lake.SILVER_CLEAN));
    ShardSummary shards = q.section("shards", () -> ShardReader.shards(q), null, Lake.GOLD_SHARD_MANIFEST);
    TrainingSummary training = q.section("training", () -> TrainingReader.training(q), null, Lake.GOLD_TRAINING_METRICS);
    Charts c = charts ? ChartReader.read(q) : null;
    return new LakeSnapshot(lake.root(), Instant.now().toString(), tables, runs, reconciliation, funnel, s, shards, training, c, q.notes());
  }
}
