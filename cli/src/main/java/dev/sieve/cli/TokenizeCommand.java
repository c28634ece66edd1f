package dev.sieve.cli;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.NoNewInput;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.decontaminate.spark.DecontaminateJob;
import dev.sieve.tokenize.TokenizeSettings;
import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.TokenizerSpec;
import dev.sieve.tokenize.spark.TokenizeJob;
import dev.sieve.tokenize.spark.TokenizerTrainJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sieve tokenize}: silver/clean (silver/decontaminated when benchmarks are configured) → Megatron token shards and gold/shard_manifest. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
    description = {"Tokenize the new documents of silver/clean (silver/decontaminated when decontaminate.benchmarks",
        "is set) into Megatron .bin/.idx shards under",
        "gold/shards/<dataset>/<run_id>/<split>/ and one gold/shard_manifest row per shard. With",
        "tokenize.tokenizer: bpe the dataset's own byte-level BPE is trained first (once)."})
final class TokenizeCommand extends LakeCommand {
  @Option(names = "--full", description = "Tokenize every document again; the dataset's manifest rows are replaced.")
  boolean full;

  @Override
  public Integer call() {
    SieveConfig config = common.config();
    String runId = common.runId(TokenizeJob.STAGE);
    if (!full && NoNewInput.check(common.lake(), TokenizeJob.STAGE, config, runId)) {
      // Its input table has not moved since the last run with this config: what the job would say, without Spark.
      print(out(), common.lake(), nothingNew(common.lake(), config, runId));
      return ExitCodes.OK;
    }
    SparkSession spark = SparkSessions.getOrCreate(config.spark());
    TokenizeJob.Result r = TokenizeJob.run(spark, common.lake(), config, runId, full,
        DecontaminateJob.tokenizeInput(config), System.err);
    print(out(), common.lake(), r);
    return ExitCodes.OK;
  }

  /** What a run with nothing new reports (decided by {@link NoNewInput}, without Spark). */
  static TokenizeJob.Result nothingNew(Lake lake, SieveConfig config, String runId) {
    return new TokenizeJob.Result(runId, 0, 0, 0, 0, tokenizerName(lake, config), java.util.Map.of(), java.util.Map.of());
  }

  /** The tokenizer's name as a tokenize run reports it (a hf: file relative to the lake; else the opened tokenizer's name). */
  static String tokenizerName(Lake lake, SieveConfig config) {
    TokenizeSettings settings = config.section("tokenize", TokenizeSettings.class);
    String spec = TokenizeSettings.TRAIN_BPE.equals(settings.tokenizer)
        ? "hf:" + TokenizerTrainJob.datasetTokenizer(lake, settings.dataset) : settings.tokenizer;
    TokenizerSpec parsed = TokenizerSpec.parse(spec);
    if (parsed.isHf()) return parsed.withArg(lake.relativize(parsed.arg())).toString();
    try (TokenizerAdapter tok = parsed.open(settings.eotToken)) {
      return tok.name();
    }
  }

  static void print(java.io.PrintWriter out, Lake lake, TokenizeJob.Result r) {
    out.printf("tokenize: %,d documents in, %,d sequences, %,d tokens (%s) in %d shards -> %s; tokens by split %s%n", r.documents(),
        r.sequences(), r.tokens(), r.tokenizer(), r.shards(), lake.path(Lake.GOLD_SHARD_MANIFEST), r.tokensBySplit());
    out.flush();
  }
}
