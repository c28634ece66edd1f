package dev.sieve.cli.inspect;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.sieve.cli.inspect.LakeSnapshot.Charts;
import dev.sieve.cli.inspect.LakeSnapshot.ContaminationSummary;
import dev.sieve.cli.inspect.LakeSnapshot.ClusterSample;
import dev.sieve.cli.inspect.LakeSnapshot.Curve;
import dev.sieve.cli.inspect.LakeSnapshot.CurvePoint;
import dev.sieve.cli.inspect.LakeSnapshot.DedupSummary;
import dev.sieve.cli.inspect.LakeSnapshot.Funnel;
import dev.sieve.cli.inspect.LakeSnapshot.FunnelStep;
import dev.sieve.cli.inspect.LakeSnapshot.PiiSample;
import dev.sieve.cli.inspect.LakeSnapshot.PiiSummary;
import dev.sieve.cli.inspect.LakeSnapshot.RejectedSample;
import dev.sieve.cli.inspect.LakeSnapshot.RuleDrop;
import dev.sieve.cli.inspect.LakeSnapshot.Samples;
import dev.sieve.cli.inspect.LakeSnapshot.ShardGroup;
import dev.sieve.cli.inspect.LakeSnapshot.ShardSummary;
import dev.sieve.cli.inspect.LakeSnapshot.TableInfo;
import dev.sieve.cli.inspect.LakeSnapshot.TrainingRun;
import dev.sieve.cli.inspect.LakeSnapshot.TrainingSummary;
import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a {@link LakeSnapshot} from a lake: the thin Spark part of {@code sieve inspect} and
 * {@code sieve report}. Every query aggregates in Spark and brings back a handful of rows (at most
 * a few per rule, cluster, language or run); nothing collects a table.
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
  private final List<String> notes = new ArrayList<>();
  private final SampleReader sampleReader;

  public SnapshotReader(SparkSession spark, Lake lake) {
    this.spark = spark;
    this.lake = lake;
    this.sampleReader = new SampleReader(spark, lake);
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
    List<StageRuns.Row> runRows = section("stage runs", this::stageRunRows, List.<StageRuns.Row>of(), byPath, Lake.STAGE_RUNS);
    var runs = StageRuns.summarize(runRows);
    var reconciliation = StageRuns.reconcile(runRows);
    Funnel funnel = funnel(byPath);
    Samples s = new Samples(samples,
        section("rejected samples", () -> sampleReader.rejected(samples), List.<RejectedSample>of(), byPath, Lake.SILVER_REJECTED),
        section("cluster samples", () -> sampleReader.clusters(samples, byPath.get(Lake.SILVER_FILTERED).exists()), List.<ClusterSample>of(), byPath, Lake.SILVER_DUP_CLUSTERS),
        section("PII samples", () -> sampleReader.pii(samples), List.<PiiSample>of(), byPath, Lake.SILVER_CLEAN));
    ShardSummary shards = section("shards", this::shards, null, byPath, Lake.GOLD_SHARD_MANIFEST);
    TrainingSummary training = section("training", this::training, null, byPath, Lake.GOLD_TRAINING_METRICS);
    Charts c = charts ? charts(byPath) : null;
    return new LakeSnapshot(lake.root(), Instant.now().toString(), tables, runs, reconciliation, funnel, s, shards, training, c, List.copyOf(notes));
  }

  /** Runs one section when its table exists; a failure becomes a note, not a failed command. */
  private <T> T section(String name, Supplier<T> body, T absent, Map<String, TableInfo> tables, String table) {
    TableInfo t = tables.get(table);
    if (t == null || !t.exists()) return absent;
    try {
      return body.get();
    } catch (RuntimeException e) {
      String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
      notes.add(name + ": could not read " + table + " (" + e.getClass().getSimpleName() + ": " + msg + ")");
      return absent;
    }
  }

  private Dataset<Row> df(String table) {
    return DeltaTables.read(spark, lake.path(table));
  }

  static boolean has(Dataset<Row> df, String column) {
    return Arrays.asList(df.columns()).contains(column);
  }

  private List<StageRuns.Row> stageRunRows() {
    List<StageRuns.Row> out = new ArrayList<>();
    Dataset<Row> d = df(Lake.STAGE_RUNS);
    boolean ledger = has(d, "dropped");
    org.apache.spark.sql.Column[] columns = java.util.stream.Stream.of("stage", "run_id", "status", "started_at", "ended_at", "count_in",
            "count_out", "counts", "error", ledger ? "dropped" : "counts", ledger ? "rows_gained" : "counts")
        .map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new);
    for (Row r : d.select(columns).collectAsList()) {
      Map<String, Long> counts = longMap(r, 7);
      out.add(new StageRuns.Row(r.getString(0), r.getString(1), r.getString(2),
          r.isNullAt(3) ? null : r.getTimestamp(3).toInstant(), r.isNullAt(4) ? null : r.getTimestamp(4).toInstant(),
          r.isNullAt(5) ? 0 : r.getLong(5), r.isNullAt(6) ? 0 : r.getLong(6), counts, r.isNullAt(8) ? null : r.getString(8),
          ledger && !r.isNullAt(9) ? longMap(r, 9) : null, ledger && !r.isNullAt(10) ? longMap(r, 10) : null));
    }
    // Runs that found nothing new before Spark started: a pending record until the next run appends it.
    for (dev.sieve.core.StageRunRecord p : dev.sieve.core.spark.PendingRuns.pending(spark.sparkContext().hadoopConfiguration(), lake)) {
      out.add(new StageRuns.Row(p.stage(), p.runId(), p.status().name(), p.startedAt(), p.endedAt(), p.countIn(), p.countOut(), p.counts(),
          p.error(), p.dropped(), p.rowsGained()));
    }
    // Runs in flight have a marker, not yet a row.
    for (Map<String, Object> m : dev.sieve.core.spark.StageRun.inFlight(spark, lake)) {
      out.add(new StageRuns.Row(String.valueOf(m.get("stage")), String.valueOf(m.get("run_id")), "RUNNING",
          java.time.Instant.parse(String.valueOf(m.get("started_at"))), null, 0, 0, Map.of(), null));
    }
    return out;
  }

  private static Map<String, Long> longMap(Row r, int i) {
    Map<String, Long> m = new TreeMap<>();
    if (!r.isNullAt(i)) scala.jdk.javaapi.CollectionConverters.asJava(r.<String, Object>getMap(i)).forEach((k, v) -> m.put(k, ((Number) v).longValue()));
    return m;
  }

  private Funnel funnel(Map<String, TableInfo> t) {
    Long tokenizedDocs = null;
    Long tokens = null;
    TableInfo manifest = t.get(Lake.GOLD_SHARD_MANIFEST);
    if (manifest.exists()) {
      Row r = df(Lake.GOLD_SHARD_MANIFEST).agg(expr("coalesce(sum(documents), 0)"), expr("coalesce(sum(tokens), 0)")).head();
      tokenizedDocs = ((Number) r.get(0)).longValue();
      tokens = ((Number) r.get(1)).longValue();
    }
    List<FunnelStep> steps = new ArrayList<>(List.of(
        step("ingested", Lake.BRONZE_DOCUMENTS, t, null),
        step("filtered", Lake.SILVER_FILTERED, t, null),
        step("deduped", Lake.SILVER_DEDUPED, t, null),
        step("clean", Lake.SILVER_CLEAN, t, null)));
    // Decontamination is optional: its step shows only on lakes where it ran.
    if (t.get(Lake.SILVER_DECONTAMINATED).exists()) steps.add(step("decontaminated", Lake.SILVER_DECONTAMINATED, t, null));
    steps.add(new FunnelStep("tokenized", Lake.GOLD_SHARD_MANIFEST, tokenizedDocs, tokens));
    long rejected = t.get(Lake.SILVER_REJECTED).rows();
    List<RuleDrop> drops = section("rule drops", () -> {
      Dataset<Row> d = df(Lake.SILVER_REJECTED);
      String stage = has(d, "stage") ? "stage" : "'coarse'";
      List<RuleDrop> out = new ArrayList<>();
      for (Row r : d.groupBy(expr(stage).as("stage"), col("rule")).count().orderBy(col("count").desc(), col("stage"), col("rule")).collectAsList()) {
        out.add(new RuleDrop(r.getString(0), r.getString(1), r.getLong(2)));
      }
      return out;
    }, List.of(), t, Lake.SILVER_REJECTED);
    DedupSummary dedup = section("duplicates", () -> {
      Row r = df(Lake.SILVER_DUP_CLUSTERS).where("cluster_size > 1").agg(
          expr("count(distinct cluster_id)"), expr("count(*)"),
          expr("count_if(NOT kept AND match = 'exact')"), expr("count_if(NOT kept AND match <> 'exact')")).head();
      return new DedupSummary(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3));
    }, null, t, Lake.SILVER_DUP_CLUSTERS);
    PiiSummary pii = section("PII", () -> {
      Dataset<Row> d = df(Lake.SILVER_CLEAN);
      Row r = d.agg(expr("count(*)"), expr("count_if(exists(map_values(pii_counts), v -> v > 0))")).head();
      Map<String, Long> kinds = new TreeMap<>();
      for (Row k : d.select(expr("explode(pii_counts) AS (kind, n)")).groupBy("kind").agg(expr("sum(n)")).collectAsList()) {
        kinds.put(k.getString(0), ((Number) k.get(1)).longValue());
      }
      return new PiiSummary(r.getLong(0), r.getLong(1), sortedByValue(kinds));
    }, null, t, Lake.SILVER_CLEAN);
    ContaminationSummary contamination = section("contamination", () -> {
      Dataset<Row> d = df(Lake.SILVER_CONTAMINATION);
      return new ContaminationSummary(d.select("doc_id").distinct().count(), distinctDocsBy(d, "action"), distinctDocsBy(d, "benchmark"));
    }, null, t, Lake.SILVER_CONTAMINATION);
    Map<String, Long> quarantine = section("quarantine", () -> {
      Map<String, Long> m = new TreeMap<>();
      for (Row r : df(Lake.QUARANTINE).groupBy(expr("coalesce(error_kind, 'unknown')")).count().collectAsList()) m.put(r.getString(0), r.getLong(1));
      return sortedByValue(m);
    }, Map.of(), t, Lake.QUARANTINE);
    return new Funnel(steps, rejected, drops, dedup, pii, contamination, t.get(Lake.QUARANTINE).rows(), quarantine);
  }

  /** Distinct documents per value of {@code column}, largest first. */
  private static Map<String, Long> distinctDocsBy(Dataset<Row> d, String column) {
    Map<String, Long> m = new TreeMap<>();
    for (Row r : d.groupBy(col(column)).agg(expr("count(distinct doc_id)")).collectAsList()) m.put(r.getString(0), r.getLong(1));
    return sortedByValue(m);
  }

  private static FunnelStep step(String name, String table, Map<String, TableInfo> t, Long tokens) {
    TableInfo i = t.get(table);
    return new FunnelStep(name, table, i.exists() ? i.rows() : null, tokens);
  }

  /** The map ordered by value, largest first, then by key. */
  static Map<String, Long> sortedByValue(Map<String, Long> m) {
    return m.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  private ShardSummary shards() {
    Dataset<Row> d = df(Lake.GOLD_SHARD_MANIFEST);
    List<ShardGroup> groups = new ArrayList<>();
    long tokens = 0;
    for (Row r : d.groupBy("dataset", "split").agg(expr("count(*)"), expr("sum(documents)"), expr("sum(sequences)"),
        expr("sum(tokens)"), expr("sum(bytes)")).orderBy("dataset", "split").collectAsList()) {
      ShardGroup g = new ShardGroup(r.getString(0), r.getString(1), r.getLong(2), lng(r, 3), lng(r, 4), lng(r, 5), lng(r, 6));
      groups.add(g);
      tokens += g.tokens();
    }
    String tok = has(d, "tokenizer_version") ? "concat_ws(' ', tokenizer, tokenizer_version)" : "tokenizer";
    List<String> tokenizers = d.select(expr(tok)).distinct().collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
    return new ShardSummary(groups, tokenizers, tokens, mapSum(d, "tokens_by_language"), mapSum(d, "tokens_by_source"));
  }

  private static Map<String, Long> mapSum(Dataset<Row> d, String column) {
    if (!has(d, column)) return Map.of();
    Map<String, Long> m = new TreeMap<>();
    for (Row r : d.select(expr("explode(" + column + ") AS (k, v)")).groupBy("k").agg(expr("sum(v)")).collectAsList()) {
      m.put(r.getString(0), ((Number) r.get(1)).longValue());
    }
    return sortedByValue(m);
  }

  private TrainingSummary training() {
    Dataset<Row> d = df(Lake.GOLD_TRAINING_METRICS);
    String val = has(d, "val_loss") ? "val_loss" : "CAST(NULL AS DOUBLE)";
    String lr = has(d, "lr") ? "lr" : "CAST(NULL AS DOUBLE)";
    String event = has(d, "event") ? "event" : "CAST(NULL AS STRING)";
    // Step lines only: metrics.jsonl also holds event lines (start, checkpoint, resume, rollback, done),
    // some with a step and a loss, and a rolled-back or resumed run repeats steps, so steps are counted
    // as distinct steps with a training loss.
    d = d.select(col("run_id"), expr("CAST(step AS BIGINT)").as("step"), expr("CAST(loss AS DOUBLE)").as("loss"),
        expr("CAST(" + val + " AS DOUBLE)").as("val_loss"), expr("CAST(" + lr + " AS DOUBLE)").as("lr"), expr(event).as("event"))
        .where("step IS NOT NULL AND event IS NULL");
    List<TrainingRun> runs = new ArrayList<>();
    for (Row r : d.groupBy("run_id").agg(expr("count(DISTINCT IF(loss IS NULL, NULL, step))"), expr("max(step)"), expr("min_by(loss, IF(loss IS NULL, NULL, step))"),
            expr("max_by(loss, IF(loss IS NULL, NULL, step))"), expr("min(loss)"), expr("max_by(val_loss, IF(val_loss IS NULL, NULL, step))"),
            expr("min(val_loss)"), expr("max_by(lr, IF(lr IS NULL, NULL, step))"))
        .orderBy("run_id").collectAsList()) {
      runs.add(new TrainingRun(r.getString(0), r.getLong(1), r.getLong(2), dbl(r, 3), dbl(r, 4), dbl(r, 5), dbl(r, 6), dbl(r, 7), dbl(r, 8)));
    }
    List<Curve> curves = new ArrayList<>();
    for (TrainingRun run : runs) {
      long stride = Math.max(1, (run.lastStep() + CURVE_POINTS - 1) / CURVE_POINTS);
      List<CurvePoint> pts = new ArrayList<>();
      for (Row r : d.where(col("run_id").equalTo(run.runId()))
          .where("step % " + stride + " = 0 OR val_loss IS NOT NULL OR step = " + run.lastStep())
          .groupBy("step").agg(expr("avg(loss)"), expr("avg(val_loss)")).orderBy("step").collectAsList()) {
        pts.add(new CurvePoint(r.getLong(0), dbl(r, 1), dbl(r, 2)));
      }
      curves.add(new Curve(run.runId(), pts));
    }
    return new TrainingSummary(runs, curves);
  }

  private Charts charts(Map<String, TableInfo> t) {
    Map<String, List<Long>> lengths = section("length histogram", () -> lengthHistogram(Lake.BRONZE_DOCUMENTS), Map.<String, List<Long>>of(), t,
        Lake.BRONZE_DOCUMENTS);
    Map<Integer, Long> sizes = section("cluster sizes", () -> {
      Map<Integer, Long> m = new TreeMap<>();
      for (Row r : df(Lake.SILVER_DUP_CLUSTERS).where("cluster_size > 1").groupBy("cluster_id").agg(expr("max(cluster_size)").as("size"))
          .groupBy("size").count().collectAsList()) {
        m.put(((Number) r.get(0)).intValue(), r.getLong(1));
      }
      return m;
    }, Map.<Integer, Long>of(), t, Lake.SILVER_DUP_CLUSTERS);
    return new Charts(Lake.BRONZE_DOCUMENTS, LENGTH_BOUNDS, lengths, sizes);
  }

  /** Documents per language and length bucket, bucketed in Spark; small languages merged into {@code other}. */
  private Map<String, List<Long>> lengthHistogram(String table) {
    String bounds = LENGTH_BOUNDS.stream().map(String::valueOf).collect(Collectors.joining(", "));
    Dataset<Row> d = df(table).select(expr("coalesce(language, 'und')").as("language"),
        expr("size(filter(array(" + bounds + "), b -> b <= char_length(coalesce(text, '')))) - 1").as("bucket"));
    List<Row> rows = d.groupBy("language", "bucket").count().collectAsList();
    Map<String, long[]> raw = new TreeMap<>();
    for (Row r : rows) raw.computeIfAbsent(r.getString(0), k -> new long[LENGTH_BOUNDS.size()])[r.getInt(1)] += r.getLong(2);
    return Histograms.topLanguages(raw, LENGTH_LANGUAGES);
  }

  static Double dbl(Row r, int i) {
    return r.isNullAt(i) ? null : ((Number) r.get(i)).doubleValue();
  }

  private static long lng(Row r, int i) {
    return r.isNullAt(i) ? 0 : ((Number) r.get(i)).longValue();
  }
}
