package dev.sieve.decontaminate.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.ProgressLine;
import dev.sieve.core.spark.Stage;
import dev.sieve.core.spark.StageRun;
import dev.sieve.decontaminate.BenchmarkIndex;
import dev.sieve.decontaminate.DecontaminateSettings;
import dev.sieve.pii.PiiSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Benchmark decontamination: {@code silver/clean} → {@code silver/decontaminated} (the documents
 * that overlap no configured benchmark, and with {@code policy: cut} the others less the matched
 * spans) and {@code silver/contamination} (one row per document and benchmark item matched:
 * {@code doc_id}, {@code benchmark}, {@code item_id}, {@code matched_ngrams}, {@code span_start},
 * {@code span_end}, {@code span} — the first matched span, scrubbed by pii's chain — and
 * {@code action}: {@code drop}, {@code cut} or {@code drop_short}).
 *
 * <p>The benchmark files are read on the driver into a {@link BenchmarkIndex}, broadcast, and every
 * document is scanned once. The ledger: documents in = out (kept + cut) + dropped by reason
 * {@code contaminated:<benchmark>} (policy {@code drop}) or {@code too_short_after_cut:<benchmark>},
 * the benchmark being the one with the most matched n-grams in the document; counts
 * {@code contaminated_docs:<benchmark>} (documents matching it at all), {@code matched_ngrams},
 * {@code cut_documents}, {@code withdrawn}, {@code benchmark_items:<benchmark>}.
 *
 * <p>Incremental like pii: documents already decided (in {@code silver/decontaminated}, or dropped
 * into {@code silver/contamination}) are skipped, documents pii withdrew leave both tables in the
 * run that notices. What the documents were checked against is a fingerprint (SHA-256 of the
 * benchmark items, the n-gram settings and the policy) recorded in {@code _sieve/benchmark_sets}
 * whenever the tables are rebuilt; an incremental run under another fingerprint stops with a
 * one-line error naming {@code --full} (exit code 2), since the documents already passed were
 * never checked against the new set.
 */
public final class DecontaminateJob {
  public static final String STAGE = "decontaminate";

  static final StructType CONTAMINATION = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("benchmark", DataTypes.StringType, false)
      .add("item_id", DataTypes.StringType, false)
      .add("matched_ngrams", DataTypes.IntegerType, false)
      .add("span_start", DataTypes.IntegerType, false)
      .add("span_end", DataTypes.IntegerType, false)
      .add("span", DataTypes.StringType, true)
      .add("action", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false);

  static final StructType BENCHMARK_SET = new StructType()
      .add("fingerprint", DataTypes.StringType, false)
      .add("benchmarks", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("recorded_at", DataTypes.TimestampType, false);

  private DecontaminateJob() {}

  /**
   * What a run did.
   *
   * @param dropped documents dropped per benchmark (both policies)
   * @param contaminatedDocs documents matching each benchmark at all
   */
  public record Result(String runId, long in, long kept, long cut, long withdrawn, Map<String, Long> dropped,
                       Map<String, Long> contaminatedDocs, String fingerprint) {
    public long out() { return kept + cut; }
  }

  /** Whether decontamination is configured: the table tokenize reads follows from it ({@link #tokenizeInput}). */
  public static boolean enabled(SieveConfig config) {
    return config.section(STAGE, DecontaminateSettings.class).enabled();
  }

  /** The table tokenize reads: {@code silver/decontaminated} when benchmarks are configured, else {@code silver/clean}. */
  public static String tokenizeInput(SieveConfig config) {
    return enabled(config) ? Lake.SILVER_DECONTAMINATED : Lake.SILVER_CLEAN;
  }

  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, boolean full) {
    return run(spark, lake, config, runId, full, System.err);
  }

  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, boolean full, PrintStream progress) {
    DecontaminateSettings settings = config.section(STAGE, DecontaminateSettings.class);
    if (!settings.enabled()) {
      throw new ConfigException("bad value for 'decontaminate.benchmarks': no benchmarks configured, nothing to decontaminate against");
    }
    PiiSettings pii = config.section("pii", PiiSettings.class);
    return Stage.run(spark, lake, STAGE, config, runId, run -> decontaminate(spark, lake, settings, pii, run, full, progress));
  }

  /** The fingerprint recorded for a run: the index's, with the policy's settings. */
  static String fingerprint(BenchmarkIndex index, DecontaminateSettings s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update((index.fingerprint() + ";policy=" + s.policy + ";min_tokens_after_cut=" + (s.cut() ? s.minTokensAfterCut : 0))
          .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Result decontaminate(SparkSession spark, Lake lake, DecontaminateSettings settings, PiiSettings pii, StageRun run,
                                      boolean full, PrintStream progress) {
    String outPath = lake.path(Lake.SILVER_DECONTAMINATED);
    String contPath = lake.path(Lake.SILVER_CONTAMINATION);
    long cleanVersion = run.readInput(Lake.SILVER_CLEAN, "sieve pii");
    Map<String, Long> none = new TreeMap<>();
    boolean incremental = !full && DeltaTables.exists(spark, outPath);
    // Nothing new, and the benchmark files untouched since their set was recorded: no index to build.
    BenchmarkSets.Recorded recorded = incremental ? BenchmarkSets.latest(spark, lake) : null;
    if (recorded != null && run.inputsUnchanged() && BenchmarkSets.unchangedSince(spark, settings, recorded.recordedAt())) {
      recorded.items().forEach((b, n) -> run.count("benchmark_items:" + b, n));
      progress.printf("decontaminate: benchmark set %s unchanged since %s%n", recorded.fingerprint().substring(0, 12), recorded.recordedAt());
      return new Result(run.runId(), 0, 0, 0, 0, none, none, recorded.fingerprint());
    }
    Instant indexed = Instant.now(); // before the files are read: a file modified after this may differ from the set
    BenchmarkIndex index = Benchmarks.load(spark, settings);
    String fingerprint = fingerprint(index, settings);
    progress.printf("decontaminate: %,d n-grams from %s (set %s)%n", index.ngramCount(), index.itemsPerBenchmark(), fingerprint.substring(0, 12));
    if (incremental) {
      String was = recorded == null ? null : recorded.fingerprint();
      if (!fingerprint.equals(was)) {
        throw new ConfigException("the benchmark set changed since " + Lake.SILVER_DECONTAMINATED + " was made (set "
            + (was == null ? "unknown" : was.substring(0, 12)) + " -> " + fingerprint.substring(0, 12)
            + "): run 'sieve decontaminate --full' to check every document against the new set");
      }
    }
    index.benchmarks().forEach(b -> run.count("benchmark_items:" + b, index.itemsPerBenchmark().get(b)));
    if (!full && run.inputsUnchanged()) return new Result(run.runId(), 0, 0, 0, 0, none, none, fingerprint);

    Dataset<Row> clean = DeltaTables.read(spark, lake.path(Lake.SILVER_CLEAN), cleanVersion);
    Dataset<Row> todo = clean;
    Dataset<Row> withdrawn = null;
    if (incremental) {
      Dataset<Row> done = DeltaTables.read(spark, outPath).select(col("doc_id"));
      if (DeltaTables.exists(spark, contPath)) done = done.union(DeltaTables.read(spark, contPath).select(col("doc_id"))).distinct();
      todo = clean.join(done, "doc_id", "left_anti");
      withdrawn = done.join(clean.select(col("doc_id")), "doc_id", "left_anti");
    }
    Broadcast<BenchmarkIndex> bc = new JavaSparkContext(spark.sparkContext()).broadcast(index);
    LongAccumulator scanned = spark.sparkContext().longAccumulator("decontaminate_documents");
    spark.sparkContext().setJobDescription("sieve decontaminate: scan");
    Dataset<Row> scanned0 = todo.mapPartitions(new ScanDocs(todo.schema(), bc, settings, pii, scanned),
        ExpressionEncoder.apply(ScanDocs.outputSchema(todo.schema()))).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, Long> byAction = new TreeMap<>();
      Map<String, Long> dropped = new TreeMap<>();
      Map<String, Long> contaminatedDocs = new TreeMap<>();
      Map<String, Long> reasons = new LinkedHashMap<>();
      long in = 0;
      try (var line = new ProgressLine(() -> "decontaminate: " + scanned.value() + " documents scanned", 2000, progress)) {
        for (Row r : scanned0.groupBy(col("decon_action"), col("decon_benchmark")).count().collectAsList()) {
          String action = r.getString(0);
          long n = r.getLong(2);
          in += n;
          byAction.merge(action, n, Long::sum);
          if (action.equals(ScanDocs.DROP) || action.equals(ScanDocs.DROP_SHORT)) {
            dropped.merge(r.getString(1), n, Long::sum);
            reasons.merge((action.equals(ScanDocs.DROP) ? "contaminated:" : "too_short_after_cut:") + r.getString(1), n, Long::sum);
          }
        }
      }
      Dataset<Row> hits = scanned0.where("size(decon_hits) > 0").select(col("doc_id"), col("decon_action").as("action"),
          explode(col("decon_hits")).as("h"));
      Dataset<Row> contamination = hits.select(col("doc_id"), col("h.benchmark"), col("h.item_id"), col("h.matched_ngrams"),
          col("h.span_start"), col("h.span_end"), col("h.span"), col("action"), lit(run.runId()).as("run_id"))
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        long contaminationRows = 0;
        long matchedNgrams = 0;
        if (byAction.size() > 1 || !byAction.containsKey(ScanDocs.KEEP)) {
          for (Row r : contamination.groupBy(col("benchmark")).agg(
              org.apache.spark.sql.functions.countDistinct(col("doc_id")), org.apache.spark.sql.functions.count(lit(1)),
              org.apache.spark.sql.functions.sum(col("matched_ngrams"))).collectAsList()) {
            contaminatedDocs.put(r.getString(0), r.getLong(1));
            contaminationRows += r.getLong(2);
            matchedNgrams += r.getLong(3);
          }
        }
        long withdrawnCount = withdrawn == null ? 0 : withdrawn.count();
        if (in == 0 && withdrawnCount == 0 && incremental) return new Result(run.runId(), 0, 0, 0, 0, dropped, contaminatedDocs, fingerprint);

        long kept = byAction.getOrDefault(ScanDocs.KEEP, 0L);
        long cut = byAction.getOrDefault(ScanDocs.CUT, 0L);
        long out = kept + cut;
        long outBefore = run.output(Lake.SILVER_DECONTAMINATED);
        long contBefore = run.output(Lake.SILVER_CONTAMINATION);
        long withdrawnOut = withdrawn == null || withdrawnCount == 0 ? 0 : DeltaTables.countExisting(withdrawn, outPath, "doc_id");
        long withdrawnCont = withdrawn == null || withdrawnCount == 0 || !DeltaTables.exists(spark, contPath) ? 0
            : DeltaTables.read(spark, contPath).join(withdrawn, "doc_id").count();
        Dataset<Row> ok = scanned0.where(col("decon_action").isin(ScanDocs.KEEP, ScanDocs.CUT))
            .withColumn("text", col("decon_text"))
            .drop("decon_text", "decon_action", "decon_benchmark", "decon_hits", "run_id")
            .withColumn("run_id", lit(run.runId()));
        Dataset<Row> toDelete = withdrawn;
        run.wrote(Lake.SILVER_DECONTAMINATED, DeltaTables.overwriteOr(!incremental, ok, outPath,
            () -> DeltaTables.insertUpdateDelete(ok, toDelete, outPath, "doc_id")));
        Dataset<Row> contRows = spark.createDataFrame(contamination.rdd(), CONTAMINATION);
        if (!incremental) {
          run.wrote(Lake.SILVER_CONTAMINATION, DeltaTables.overwrite(contRows, contPath));
        } else {
          if (contaminationRows > 0) {
            run.wrote(Lake.SILVER_CONTAMINATION, DeltaTables.merge(contRows, contPath, DeltaTables.OnMatch.UPDATE, "doc_id", "benchmark", "item_id"));
          }
          if (withdrawnCont > 0) {
            io.delta.tables.DeltaTable.forPath(spark, contPath).as("t").merge(withdrawn.as("s"), "t.doc_id = s.doc_id")
                .whenMatched().delete().execute();
            run.wrote(Lake.SILVER_CONTAMINATION, DeltaTables.version(spark, contPath));
          }
        }
        if (!incremental) {
          Map<String, Object> set = new LinkedHashMap<>();
          set.put("ngram", settings.ngram);
          set.put("cjk_ngram", settings.cjkNgram);
          set.put("min_tokens", settings.minTokens);
          set.put("policy", settings.policy);
          set.put("items", index.itemsPerBenchmark());
          List<Map<String, Object>> files = new java.util.ArrayList<>();
          for (DecontaminateSettings.Benchmark b : settings.benchmarks) files.add(Map.of("name", b.name, "path", b.path, "fields", b.fields));
          set.put("files", files);
          String json;
          try {
            json = new ObjectMapper().writeValueAsString(set);
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
          }
          Row row = RowFactory.create(fingerprint, json, run.runId(), Timestamp.from(indexed));
          run.wrote(Lake.BENCHMARK_SETS, DeltaTables.append(spark.createDataFrame(List.of(row), BENCHMARK_SET), lake.path(Lake.BENCHMARK_SETS)));
        }
        run.in(in);
        run.out(out);
        reasons.forEach(run::dropped);
        run.gained(Lake.SILVER_DECONTAMINATED, out - (incremental ? withdrawnOut : outBefore));
        run.gained(Lake.SILVER_CONTAMINATION, contaminationRows - (incremental ? withdrawnCont : contBefore));
        contaminatedDocs.forEach((b, n) -> run.count("contaminated_docs:" + b, n));
        run.count("matched_ngrams", matchedNgrams);
        run.count("cut_documents", cut);
        run.count("withdrawn", withdrawnCount);
        progress.printf("decontaminate: %,d documents, %,d kept, %,d cut, dropped per benchmark %s%n", in, kept, cut, dropped);
        return new Result(run.runId(), in, kept, cut, withdrawnCount, dropped, contaminatedDocs, fingerprint);
      } finally {
        contamination.unpersist();
      }
    } finally {
      scanned0.unpersist();
    }
  }
}
