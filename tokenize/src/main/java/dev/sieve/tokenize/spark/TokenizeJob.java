package dev.sieve.tokenize.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.ProgressLine;
import dev.sieve.core.spark.Stage;
import dev.sieve.core.spark.StageRun;
import dev.sieve.tokenize.MixtureWeights;
import dev.sieve.tokenize.Splits;
import dev.sieve.tokenize.TokenizeSettings;
import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.Tokenizers;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Tokenize: {@code silver/clean} → {@code gold/shards/<dataset>/<run_id>/<split>/part-NNNNN.{bin,idx}}
 * (Megatron indexed datasets, one sequence per document ending with the end-of-text token) and
 * one {@code gold/shard_manifest} row per shard (documents, tokens, bytes, SHA-256 of both files,
 * tokenizer name and version, tokens per source and per language).
 *
 * <p>Each document goes to train or validation by a hash of its {@code doc_id}; train documents
 * are repeated or dropped per the mixture ({@link MixtureWeights}: natural, temperature
 * p ∝ n^α over the groups' train tokens, or explicit weights). Shard of a copy = hash of
 * (doc_id, copy, seed) modulo the split's shard count (its tokens over {@code shard_tokens}),
 * order within a shard = a seeded hash: the same input and seed give byte-identical shards, however
 * Spark partitions the work.
 *
 * <p>Incremental: the manifest records the {@code silver/clean} version each batch read; a run
 * tokenizes only the documents added since (a Delta time-travel anti-join) into a new batch
 * folder. The manifest commit is what makes a batch visible, so a run killed before it leaves only
 * an unreferenced folder and the next run redoes the batch.
 */
public final class TokenizeJob {
  public static final String STAGE = "tokenize";

  private TokenizeJob() {}

  /** What a run did. */
  public record Result(String runId, long documents, long sequences, long tokens, int shards, String tokenizer,
                       Map<String, Long> tokensBySplit, Map<String, Double> languageShares) {}

  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, boolean full) {
    return run(spark, lake, config, runId, full, System.err);
  }

  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, boolean full, PrintStream progress) {
    TokenizeSettings settings = config.section("tokenize", TokenizeSettings.class);
    String spec = settings.tokenizer;
    if (TokenizeSettings.TRAIN_BPE.equals(spec)) {
      // The dataset's own BPE: trained from silver/clean on first use, then kept, so every batch
      // of the dataset shares one vocabulary.
      String stored = TokenizerTrainJob.datasetTokenizer(lake, settings.dataset);
      if (!TokenizerTrainJob.exists(spark, stored)) {
        TokenizerTrainJob.Result t = TokenizerTrainJob.run(spark, lake, config, runId + "-bpe", stored);
        progress.printf("tokenize: trained a byte-level BPE of %,d tokens (%,d merges over %,d distinct chunks) -> %s%n", t.vocabSize(),
            t.merges(), t.distinctChunks(), stored);
      }
      spec = "hf:" + stored;
    }
    String resolved = spec;
    return Stage.run(spark, lake, STAGE, config, runId, run -> tokenize(spark, lake, settings, resolved, run, full, progress));
  }

  private static Result tokenize(SparkSession spark, Lake lake, TokenizeSettings settings, String spec, StageRun run, boolean full,
                                 PrintStream progress) {
    String cleanPath = lake.path(Lake.SILVER_CLEAN);
    String manifestPath = lake.path(Lake.GOLD_SHARD_MANIFEST);
    long cleanVersion = run.readInput(Lake.SILVER_CLEAN, "sieve pii");
    Dataset<Row> docs = DeltaTables.read(spark, cleanPath, cleanVersion);
    boolean haveManifest = !full && DeltaTables.exists(spark, manifestPath);
    if (haveManifest) {
      Row last = DeltaTables.read(spark, manifestPath).where(col("dataset").equalTo(settings.dataset)).agg(max("source_version")).first();
      if (!last.isNullAt(0)) {
        long lastVersion = last.getLong(0);
        Dataset<Row> done = DeltaTables.read(spark, cleanPath, lastVersion).select(col("doc_id"));
        docs = docs.join(done, "doc_id", "left_anti");
      }
    }
    Column group = switch (settings.mixture.by) {
      case "source" -> col("source");
      case "source_language" -> concat_ws("/", col("source"), col("language"));
      default -> col("language");
    };
    docs = docs.select(col("doc_id"), col("text"), col("source"), col("language"),
        org.apache.spark.sql.functions.coalesce(group, lit("unknown")).as("grp"));

    String name;
    String version;
    int vocab;
    int eot;
    String executorSpec = spec;
    String recordedName = null;
    if (spec.startsWith("hf:")) {
      // Recorded relative to the lake when the file is in it (the dataset's own BPE), else absolute:
      // never the local copy, never relative to the working directory.
      recordedName = "hf:" + lake.relativize(spec.substring(3));
      // A tokenizer.json anywhere the lake's filesystem reaches: fetched to the driver, shipped to executors.
      java.nio.file.Path local = TokenizerTrainJob.fetch(spark, spec.substring(3));
      spark.sparkContext().addFile(local.toString());
      spec = "hf:" + local;
      executorSpec = "hf-shipped:" + local.getFileName();
    }
    try (TokenizerAdapter tok = Tokenizers.open(spec, settings.eotToken)) {
      name = recordedName != null ? recordedName : tok.name();
      version = tok.version();
      vocab = tok.vocabSize();
      eot = tok.eotId();
    }
    spark.sparkContext().setJobDescription("sieve tokenize: encode");
    LongAccumulator docCount = spark.sparkContext().longAccumulator("tokenize_documents");
    LongAccumulator tokenCount = spark.sparkContext().longAccumulator("tokenize_tokens");
    Dataset<Row> encoded = docs.mapPartitions(
            new TokenizeDocs(executorSpec, settings.eotToken, new Splits(settings.validationFraction, settings.seed), docCount,
                tokenCount), ExpressionEncoder.apply(TokenizeDocs.OUTPUT))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> mixed = encoded.withColumn("copies", lit(1));
      if (!settings.mixture.mode.equals("natural")) {
        // Group sizes in tokens of the train split: what the shares are shares of.
        Map<String, Long> sizes = new TreeMap<>();
        try (var line = new ProgressLine(() -> "tokenize: " + docCount.value() + " documents, " + tokenCount.value() + " tokens", 2000, progress)) {
          for (Row r : encoded.where(col("split").equalTo(Splits.TRAIN)).groupBy("grp").agg(sum(col("n_tokens"))).collectAsList()) {
            sizes.put(r.getString(0), r.getLong(1));
          }
        }
        if (!sizes.isEmpty()) {
          MixtureWeights mixture = settings.mixture.mode.equals("temperature")
              ? MixtureWeights.temperature(sizes, settings.mixture.alpha, settings.mixture.maxRepeats, settings.seed)
              : MixtureWeights.explicit(sizes, settings.mixture.weights, settings.mixture.maxRepeats, settings.seed);
          run.count("mixture_groups", sizes.size());
          progress.printf("tokenize: mixture %s over %s: target token shares %s%n", settings.mixture.mode, settings.mixture.by, mixture.shares());
          var repeats = udf((UDF2<String, String, Integer>) mixture::repeats, DataTypes.IntegerType);
          mixed = encoded.withColumn("copies",
              when(col("split").equalTo(Splits.TRAIN), repeats.apply(col("grp"), col("doc_id"))).otherwise(lit(1)));
        }
      }
      Map<String, Long> tokensBySplit = new TreeMap<>();
      long documents = 0, downsampled = 0, copiesTotal = 0;
      try (var line = new ProgressLine(() -> "tokenize: " + docCount.value() + " documents, " + tokenCount.value() + " tokens", 2000, progress)) {
        for (Row r : mixed.groupBy("split").agg(sum(col("n_tokens").multiply(col("copies"))), org.apache.spark.sql.functions.count(lit(1)),
                sum(when(col("copies").equalTo(0), 1).otherwise(0)), sum(col("copies")))
            .collectAsList()) {
          tokensBySplit.put(r.getString(0), r.getLong(1));
          documents += r.getLong(2);
          downsampled += r.getLong(3);
          copiesTotal += r.getLong(4);
        }
      }
      if (documents == 0) return new Result(run.runId(), 0, 0, 0, 0, name, tokensBySplit, Map.of());

      // Phase 2: copies → shards, sorted, written.
      long perShard = settings.shardTokens > 0 ? settings.shardTokens : Math.max(1, settings.shardBytes / (vocab < 65_500 ? 2 : 4));
      Map<String, Integer> shardsPerSplit = new HashMap<>();
      tokensBySplit.forEach((split, n) -> shardsPerSplit.put(split, (int) Math.max(1, (n + perShard - 1) / perShard)));
      Column shardCount = lit(1);
      for (Map.Entry<String, Integer> e : shardsPerSplit.entrySet()) {
        shardCount = when(col("split").equalTo(e.getKey()), lit(e.getValue())).otherwise(shardCount);
      }
      long seed = settings.seed;
      var orderKey = udf((UDF3<String, Integer, Long, Double>) TokenizeJob::orderKey, DataTypes.DoubleType);
      Dataset<Row> copies = mixed.where(col("copies").gt(0))
          .withColumn("copy", explode(sequence(lit(1), col("copies"))))
          .withColumn("shard", pmod(xxhash64(col("doc_id"), col("copy"), lit(seed)), shardCount).cast("int"))
          .withColumn("order", orderKey.apply(col("doc_id"), col("copy"), lit(seed)));
      int partitions = shardsPerSplit.values().stream().mapToInt(Integer::intValue).sum();
      String recordedBatchDir = "gold/shards/" + settings.dataset + "/" + run.runId();
      String batchDir = lake.resolve(recordedBatchDir);
      Map<String, String> hadoopConf = new HashMap<>();
      for (Map.Entry<String, String> e : spark.sparkContext().hadoopConfiguration()) hadoopConf.put(e.getKey(), e.getValue());
      spark.sparkContext().setJobDescription("sieve tokenize: write shards");
      List<Row> manifest = copies.repartition(partitions, col("split"), col("shard"))
          .sortWithinPartitions(col("split"), col("shard"), col("order"), col("doc_id"), col("copy"))
          .select(col("split"), col("shard"), col("doc_id"), col("source"), col("language"), col("tokens"))
          .mapPartitions(new WriteShards(settings.dataset, batchDir, recordedBatchDir, name, version, vocab, eot, cleanVersion, run.runId(),
              hadoopConf), ExpressionEncoder.apply(WriteShards.MANIFEST))
          .collectAsList();
      Dataset<Row> rows = spark.createDataFrame(manifest, WriteShards.MANIFEST);
      run.output(Lake.GOLD_SHARD_MANIFEST);
      long datasetShardsBefore = !full || !DeltaTables.exists(spark, manifestPath) ? 0
          : DeltaTables.read(spark, manifestPath).where(col("dataset").equalTo(settings.dataset)).count();
      if (full && DeltaTables.exists(spark, manifestPath)) {
        run.wrote(Lake.GOLD_SHARD_MANIFEST,
            DeltaTables.mergeReplacing(rows, manifestPath, "t.dataset = '" + settings.dataset.replace("'", "''") + "'", "dataset", "path"));
      } else {
        run.wrote(Lake.GOLD_SHARD_MANIFEST, DeltaTables.merge(rows, manifestPath, DeltaTables.OnMatch.UPDATE, "dataset", "path"));
      }
      long sequences = 0, tokens = 0;
      Map<String, Long> byLanguage = new TreeMap<>();
      for (Row m : manifest) {
        sequences += m.getLong(m.fieldIndex("sequences"));
        tokens += m.getLong(m.fieldIndex("tokens"));
        Map<String, Long> l = m.getJavaMap(m.fieldIndex("tokens_by_language"));
        l.forEach((k, v) -> byLanguage.merge(k, v, Long::sum));
      }
      Map<String, Double> shares = new TreeMap<>();
      for (Map.Entry<String, Long> e : byLanguage.entrySet()) shares.put(e.getKey(), e.getValue() / (double) tokens);
      if (sequences != copiesTotal) {
        throw new StageRun.ReconciliationException("tokenize run " + run.runId() + " does not reconcile: the shards hold " + sequences
            + " sequences, the documents' copies add up to " + copiesTotal);
      }
      run.in(documents);
      run.out(documents - downsampled);
      run.dropped("mixture_downsampled", downsampled);
      run.gained(Lake.GOLD_SHARD_MANIFEST, manifest.size() - datasetShardsBefore);
      run.count("documents", documents);
      run.count("sequences", sequences);
      run.count("tokens", tokens);
      run.count("shards", manifest.size());
      tokensBySplit.forEach((k, v) -> run.count("tokens_" + k, v));
      progress.printf("tokenize: %,d documents -> %,d sequences, %,d tokens in %d shards under %s%n", documents, sequences, tokens, manifest.size(),
          batchDir);
      return new Result(run.runId(), documents, sequences, tokens, manifest.size(), name, tokensBySplit, shares);
    } finally {
      encoded.unpersist();
    }
  }

  private static Double orderKey(String docId, Integer copy, Long seed) {
    return TokenizeDocs.orderKey(seed, docId, copy);
  }
}
