package dev.sieve.tokenize.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;

import dev.sieve.core.Conversation;
import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.Stage;
import dev.sieve.core.spark.StageRun;
import dev.sieve.tokenize.ChatTemplate;
import dev.sieve.tokenize.MixtureWeights;
import dev.sieve.tokenize.ShardPlan;
import dev.sieve.tokenize.Splits;
import dev.sieve.tokenize.TokenizeSettings;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Tokenize: {@code silver/clean} → {@code gold/shards/<dataset>/<run_id>/<split>/part-NNNNN.{bin,idx}}
 * (Megatron indexed datasets, one sequence per document ending with the end-of-text token) and
 * one {@code gold/shard_manifest} row per shard (documents, tokens, bytes, SHA-256 of both files,
 * tokenizer name and version, tokens per source and per language).
 *
 * <p>Each document goes to train or validation by a hash of its {@code doc_id}
 * ({@link TokenizeDocs}); train documents are repeated or dropped per the mixture
 * ({@link Mixture}, {@link MixtureWeights}: natural, temperature p ∝ n^α over the groups' train
 * tokens, or explicit weights). A {@link ShardPlan} made from the splits' token totals says which
 * shard each copy goes to and in what order ({@link AssignShards}); {@link WriteShards} writes
 * them: the same input and seed give byte-identical shards, however Spark partitions the work.
 *
 * <p>Conversations (instruction records, {@code metadata['sieve.conversation']}) are rendered
 * through {@code tokenize.chat}'s {@link ChatTemplate} into SFT sequences whose shards carry a
 * loss mask ({@code .mask}); the template is written beside them ({@value ChatTemplate#FILE} in
 * the batch folder).
 *
 * <p>Incremental: the manifest records the {@code silver/clean} version each batch read; a run
 * tokenizes only the documents added since ({@link ShardManifest#unseen}) into a new batch
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
    return run(spark, lake, config, runId, full, Lake.SILVER_CLEAN, progress);
  }

  /**
   * Tokenizes the new documents of {@code input}: {@code silver/clean}, or
   * {@code silver/decontaminated} when decontamination is configured (the caller decides: cli's
   * tokenize and pipeline commands ask decontaminate). A dataset's batches should all come from
   * one input table: its manifest records that table's versions, so switching the input of a
   * dataset that has shards needs {@code --full}.
   */
  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, boolean full, String input, PrintStream progress) {
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
    return Stage.run(spark, lake, STAGE, config, runId, run -> tokenize(run, settings, resolved, full, input, progress));
  }

  private static Result tokenize(StageRun run, TokenizeSettings settings, String spec, boolean full, String input, PrintStream progress) {
    SparkSession spark = run.spark();
    Lake lake = run.lake();
    long cleanVersion = run.readInput(input, Lake.SILVER_CLEAN.equals(input) ? "sieve pii" : "sieve decontaminate");
    ResolvedTokenizer tok = ResolvedTokenizer.resolve(spark, lake, spec, settings.eotToken);
    if (!full && run.inputsUnchanged()) return new Result(run.runId(), 0, 0, 0, 0, tok.name(), Map.of(), Map.of());
    Dataset<Row> docs = ShardManifest.unseen(run, input, cleanVersion, settings.dataset, full);
    docs = docs.select(col("doc_id"), col("text"), col("source"), col("language"), coalesce(group(settings), lit("unknown")).as("grp"),
        coalesce(col("metadata").getItem(Conversation.METADATA_KEY).isNotNull(), lit(false)).as("conversation"));
    long notSelected = 0;
    if (!settings.select.equals(TokenizeSettings.DEFAULT_SELECT)) {
      Column chosen = settings.select.equals("conversations") ? col("conversation") : col("conversation").equalTo(false);
      notSelected = docs.where(chosen.equalTo(false)).count();
      docs = docs.where(chosen);
    }

    spark.sparkContext().setJobDescription("sieve tokenize: encode");
    LongAccumulator docCount = spark.sparkContext().longAccumulator("tokenize_documents");
    LongAccumulator tokenCount = spark.sparkContext().longAccumulator("tokenize_tokens");
    LongAccumulator conversations = spark.sparkContext().longAccumulator("tokenize_conversations");
    LongAccumulator unparsed = spark.sparkContext().longAccumulator("tokenize_conversations_unparsed");
    ChatTemplate template = settings.chatTemplate();
    Supplier<String> status = () -> "tokenize: " + docCount.value() + " documents, " + tokenCount.value() + " tokens";
    Dataset<Row> encoded = docs.mapPartitions(
            new TokenizeDocs(tok.executorSpec(), settings.eotToken, new Splits(settings.validationFraction, settings.seed), docCount,
                tokenCount, template, conversations, unparsed), ExpressionEncoder.apply(TokenizeDocs.OUTPUT))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> mixed = Mixture.copies(encoded, settings, run, progress, status);
      Mixture.Totals totals = Mixture.tally(mixed, progress, status);
      if (totals.documents() == 0) {
        run.in(notSelected);
        run.dropped("not_selected", notSelected);
        return new Result(run.runId(), 0, 0, 0, 0, tok.name(), totals.tokensBySplit(), Map.of());
      }

      ShardPlan plan = ShardPlan.of(totals.tokensBySplit(), settings.shardTokens, settings.shardBytes, tok.vocabSize(), settings.seed);
      List<Row> manifest = WriteShards.write(AssignShards.copies(mixed, plan), lake, settings.dataset, run.runId(), tok, cleanVersion);
      // The template the conversations were rendered with, beside their shards (before the manifest makes the batch visible).
      if (conversations.value() > 0) writeTemplate(spark, lake, WriteShards.batchDir(settings.dataset, run.runId()), template);
      long manifestGain = ShardManifest.commit(run, manifest, settings.dataset, full);
      ShardManifest.Totals written = ShardManifest.Totals.of(manifest);
      if (written.sequences() != totals.copies()) {
        throw new StageRun.ReconciliationException("tokenize run " + run.runId() + " does not reconcile: the shards hold " + written.sequences()
            + " sequences, the documents' copies add up to " + totals.copies());
      }
      long documents = totals.documents();
      run.in(documents + notSelected);
      run.dropped("not_selected", notSelected);
      run.out(documents - totals.downsampled());
      run.dropped("mixture_downsampled", totals.downsampled());
      run.gained(Lake.GOLD_SHARD_MANIFEST, manifestGain);
      run.count("documents", documents);
      run.count("sequences", written.sequences());
      run.count("tokens", written.tokens());
      run.count("shards", manifest.size());
      run.count("conversations", conversations.value());
      run.count("conversations_unparsed", unparsed.value());
      totals.tokensBySplit().forEach((k, v) -> run.count("tokens_" + k, v));
      progress.printf("tokenize: %,d documents -> %,d sequences, %,d tokens in %d shards under %s%n", documents, written.sequences(),
          written.tokens(), manifest.size(), lake.resolve(WriteShards.batchDir(settings.dataset, run.runId())));
      return new Result(run.runId(), documents, written.sequences(), written.tokens(), manifest.size(), tok.name(), totals.tokensBySplit(),
          written.languageShares());
    } finally {
      encoded.unpersist();
    }
  }

  /** Writes {@code template} as {@code <batchDir>/}{@value ChatTemplate#FILE}. */
  private static void writeTemplate(SparkSession spark, Lake lake, String batchDir, ChatTemplate template) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(lake.resolve(batchDir + "/" + ChatTemplate.FILE));
    try (java.io.OutputStream out = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).create(p, true)) {
      out.write(template.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + p, e);
    }
  }

  /** The mixture's group of a document ({@code tokenize.mixture.by}); null parts become {@code unknown}. */
  private static Column group(TokenizeSettings settings) {
    return switch (settings.mixture.by) {
      case "source" -> col("source");
      case "source_language" -> concat_ws("/", col("source"), col("language"));
      default -> col("language");
    };
  }
}
