package dev.sieve.dedup.bench;

import dev.sieve.core.bench.CpuClock;
import static org.apache.spark.sql.functions.col;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.dedup.spark.BenchAccess;
import dev.sieve.generate.CorpusGenerator;
import dev.sieve.generate.GenerateSettings;
import dev.sieve.generate.GroundTruth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.MinHashLSH;
import org.apache.spark.ml.feature.MinHashLSHModel;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code bench/dedup}: on the same generated documents and threshold (Jaccard 0.8), Sieve's
 * {@code DedupJob} (all phases, Delta writes included) against Spark MLlib's {@code MinHashLSH} +
 * {@code approxSimilarityJoin} (same tokens as Sieve, 5-grams, binary
 * {@code HashingTF}, 5 hash tables; pairs clustered on the driver, not timed), both on
 * {@code local[2]}. Each side is scored against the generator's planted duplicates (recall at
 * or above the threshold) and by the true Jaccard of what it removed (precision). Median of
 * {@code runs} timings. Args: corpus folder, generated document count, runs, MLlib runs (default: runs).
 */
public final class DedupBench {
  private DedupBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long n = Long.parseLong(args[1]);
    int runs = Integer.parseInt(args[2]);
    int mllibRuns = args.length > 3 ? Integer.parseInt(args[3]) : runs;
    Path corpus = dir.resolve("corpus");
    if (!Files.exists(corpus.resolve("_manifest.json"))) {
      GenerateSettings g = new GenerateSettings();
      g.docs = n;
      g.seed = 8;
      new CorpusGenerator(g).generate(corpus, null);
    }
    SparkSession spark = TestSpark.session();
    spark.sparkContext().setLogLevel("ERROR");
    List<String[]> docs = BenchAccess.texts(corpus);
    Map<String, String> texts = new HashMap<>();
    Map<String, String> keys = new HashMap<>();
    for (String[] d : docs) {
      String id = dev.sieve.core.DocIds.of("bench", d[0], "0");
      texts.put(id, d[1]);
      keys.put(d[0], id);
    }
    long bytes = texts.values().stream().mapToLong(t -> t.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
    System.out.printf("corpus: %,d documents (JSONL and WuDao of %,d generated), %.1f MB%n", texts.size(), n, bytes / 1e6);
    GroundTruth truth = GroundTruth.read(corpus);
    double threshold = 0.8;

    double sigMbps = signatureThroughput(texts);
    System.out.printf("signatures (exact key, shingles, MinHash, band keys) on one thread: %.1f MB/s per CPU second%n", sigMbps);
    JobCounter jobs = new JobCounter();
    spark.sparkContext().addSparkListener(jobs);

    // Sieve.
    double[] sieveTimes = new double[runs];
    long[] sieveJobs = new long[runs];
    long[] sieveCommits = new long[runs];
    Map<String, String> sieveCluster = null;
    Set<String> sieveRemoved = null;
    for (int i = 0; i < runs; i++) {
      Lake lake = new Lake(dir.resolve("lake-" + i).toString());
      deleteRecursively(dir.resolve("lake-" + i));
      BenchAccess.writeFiltered(spark, lake, texts, SaveMode.ErrorIfExists);
      long commitsBefore = deltaCommits(dir.resolve("lake-" + i));
      spark.sparkContext().listenerBus().waitUntilEmpty();
      long jobsBefore = jobs.jobs.get();
      long t0 = System.nanoTime();
      BenchAccess.dedup(spark, lake, SieveConfig.defaults());
      sieveTimes[i] = (System.nanoTime() - t0) / 1e9;
      spark.sparkContext().listenerBus().waitUntilEmpty();
      sieveJobs[i] = jobs.jobs.get() - jobsBefore;
      sieveCommits[i] = deltaCommits(dir.resolve("lake-" + i)) - commitsBefore;
      System.out.printf("sieve run %d: %.1f s, %d Spark jobs, %d Delta commits%n", i + 1, sieveTimes[i], sieveJobs[i], sieveCommits[i]);
      sieveCluster = new HashMap<>();
      sieveRemoved = new HashSet<>();
      for (Row r : DeltaTables.read(spark, lake.path(Lake.SILVER_DUP_CLUSTERS)).select("doc_id", "cluster_id", "kept").collectAsList()) {
        sieveCluster.put(r.getString(0), r.getString(1));
        if (!r.getBoolean(2)) sieveRemoved.add(r.getString(0));
      }
    }
    var sieve = BenchAccess.score(truth, texts, keys, sieveCluster, sieveRemoved, threshold);

    if (mllibRuns == 0) { // BENCH_MLLIB_RUNS=0: Sieve's side only
      System.out.println("\nSieve MinHash-LSH (DedupJob, defaults):\n" + sieve.table());
      System.out.printf("BENCH dedup recall=%.3f precision=%.3f docs=%d sieve_s=%.1f jobs_per_run=%d delta_commits_per_run=%d"
              + " signatures_mb_s_per_core=%.1f mllib=skipped%n", sieve.plantedRecall(), sieve.precision(), texts.size(), median(sieveTimes),
          sieveJobs[runs - 1], sieveCommits[runs - 1], sigMbps);
      return;
    }

    // MLlib.
    List<Row> rows = new ArrayList<>();
    texts.forEach((id, t) -> rows.add(org.apache.spark.sql.RowFactory.create(id, t)));
    Dataset<Row> df = spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType()
        .add("id", DataTypes.StringType).add("text", DataTypes.StringType)).repartition(2).cache();
    df.count();
    double[] mllibTimes = new double[mllibRuns];
    List<String[]> pairs = null;
    for (int i = 0; i < mllibRuns; i++) {
      long t0 = System.nanoTime();
      pairs = mllibPairs(df, threshold);
      mllibTimes[i] = (System.nanoTime() - t0) / 1e9;
      System.out.printf("mllib run %d: %.1f s (%,d pairs)%n", i + 1, mllibTimes[i], pairs.size());
    }
    Map<String, String> mlCluster = new HashMap<>();
    Set<String> mlRemoved = new HashSet<>();
    unionFind(pairs, mlCluster, mlRemoved);
    var mllib = BenchAccess.score(truth, texts, keys, mlCluster, mlRemoved, threshold);

    double sieveS = median(sieveTimes), mllibS = median(mllibTimes);
    System.out.println("\nSieve MinHash-LSH (DedupJob, defaults):\n" + sieve.table());
    System.out.println("\nMLlib MinHashLSH + approxSimilarityJoin:\n" + mllib.table());
    System.out.printf("%nwall time (median of %d and %d): sieve %.1f s, mllib %.1f s%n", runs, mllibRuns, sieveS, mllibS);
    System.out.printf("BENCH dedup speedup_vs_mllib=%.2f recall=%.3f precision=%.3f mllib_recall=%.3f mllib_precision=%.3f docs=%d sieve_s=%.1f mllib_s=%.1f"
            + " jobs_per_run=%d delta_commits_per_run=%d signatures_mb_s_per_core=%.1f%n",
        mllibS / sieveS, sieve.plantedRecall(), sieve.precision(), mllib.plantedRecall(), mllib.precision(), texts.size(), sieveS, mllibS,
        sieveJobs[runs - 1], sieveCommits[runs - 1], sigMbps);
  }

  /**
   * What a Spark user would write first: tokenise, 5-grams, binary term hashing, MinHashLSH,
   * self-join at distance 1 − threshold. The tokeniser is given Sieve's token definition (every
   * Han/kana character a token, else runs of letters and digits) so both sides compare the same
   * shingle sets; with the usual {@code \W+} split, Chinese sentences become single tokens and
   * MLlib's recall on Chinese near duplicates collapses (J 0.95 pairs measure about 0.5).
   */
  static List<String[]> mllibPairs(Dataset<Row> df, double threshold) {
    RegexTokenizer tok = new RegexTokenizer().setInputCol("text").setOutputCol("tokens").setGaps(false)
        .setPattern("[\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}]|[\\p{L}\\p{N}&&[^\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}]]+")
        .setToLowercase(true);
    NGram ngram = new NGram().setN(5).setInputCol("tokens").setOutputCol("ngrams");
    HashingTF tf = new HashingTF().setInputCol("ngrams").setOutputCol("features").setNumFeatures(1 << 20).setBinary(true);
    PipelineModel features = new Pipeline().setStages(new PipelineStage[] {tok, ngram, tf}).fit(df);
    var nonEmpty = org.apache.spark.sql.functions.udf((UDF1<Vector, Boolean>) v -> v.numNonzeros() > 0, DataTypes.BooleanType);
    Dataset<Row> vectors = features.transform(df).where(nonEmpty.apply(col("features"))).select("id", "features");
    MinHashLSHModel model = new MinHashLSH().setNumHashTables(5).setSeed(1).setInputCol("features").setOutputCol("hashes").fit(vectors);
    Dataset<Row> joined = model.approxSimilarityJoin(vectors, vectors, 1 - threshold, "distance")
        .select(col("datasetA.id").as("a"), col("datasetB.id").as("b"))
        .where(col("a").lt(col("b")));
    List<String[]> out = new ArrayList<>();
    for (Row r : joined.collectAsList()) out.add(new String[] {r.getString(0), r.getString(1)});
    return out;
  }

  /** Counts the Spark jobs started (every action, Delta's included). */
  static final class JobCounter extends org.apache.spark.scheduler.SparkListener {
    final java.util.concurrent.atomic.AtomicLong jobs = new java.util.concurrent.atomic.AtomicLong();

    /** With BENCH_JOBS set, each job's call site and description go to stderr (what to cut next). */
    final boolean verbose = System.getenv("BENCH_JOBS") != null;

    @Override
    public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart jobStart) {
      long n = jobs.incrementAndGet();
      if (verbose) {
        var p = jobStart.properties();
        System.err.printf("job %d: %s | %s%n", n, p == null ? "" : p.getProperty("spark.job.description"),
            p == null ? "" : p.getProperty("callSite.short"));
      }
    }
  }

  /** Delta commits under a lake folder: {@code NNN.json} files in every {@code _delta_log}. */
  static long deltaCommits(Path lake) throws java.io.IOException {
    if (!Files.exists(lake)) return 0;
    try (var walk = Files.walk(lake)) {
      return walk.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("_delta_log")
          && p.getFileName().toString().matches("\\d+\\.json")).count();
    }
  }

  /**
   * MB/s (UTF-8 bytes of text) of the per-document signature work on one thread: what
   * {@code ComputeSignatures} does per row (exact key, shingles, MinHash, band keys), after a
   * warm-up pass. Median of three passes.
   */
  static double signatureThroughput(Map<String, String> texts) {
    var settings = new dev.sieve.dedup.DedupSettings();
    var lsh = settings.lshParams();
    var shingler = new dev.sieve.dedup.Shingler(settings.wordNgram, settings.cjkNgram);
    var hasher = new dev.sieve.dedup.MinHasher(settings.numPerm, settings.seed);
    List<String> all = new ArrayList<>(texts.values());
    long bytes = all.stream().mapToLong(t -> t.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
    double[] rates = new double[3];
    long sink = 0;
    for (int pass = -1; pass < rates.length; pass++) {
      long t0 = CpuClock.nanos();
      for (String t : all) {
        sink += dev.sieve.dedup.ExactKey.of(t).length();
        int[] sig = hasher.signature(shingler.shingles(t));
        if (sig != null) sink += lsh.bandKeys(sig)[0];
      }
      if (pass >= 0) rates[pass] = bytes / 1e6 / ((CpuClock.nanos() - t0) / 1e9);
    }
    if (sink == 42) System.out.print("");
    return median(rates);
  }

  /** Clusters from pairs; each cluster keeps its smallest id. */
  static void unionFind(List<String[]> pairs, Map<String, String> cluster, Set<String> removed) {
    Map<String, String> parent = new HashMap<>();
    for (String[] p : pairs) {
      String a = find(parent, p[0]), b = find(parent, p[1]);
      if (!a.equals(b)) {
        if (a.compareTo(b) < 0) parent.put(b, a);
        else parent.put(a, b);
      }
    }
    for (String id : new ArrayList<>(parent.keySet())) {
      String root = find(parent, id);
      cluster.put(id, root);
      if (!root.equals(id)) removed.add(id);
    }
  }

  private static String find(Map<String, String> parent, String x) {
    parent.putIfAbsent(x, x);
    String p = parent.get(x);
    if (p.equals(x)) return x;
    String r = find(parent, p);
    parent.put(x, r);
    return r;
  }

  static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  static void deleteRecursively(Path p) throws java.io.IOException {
    if (!Files.exists(p)) return;
    try (var walk = Files.walk(p)) {
      for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
    }
  }
}
