package dev.sieve.cli;

import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.tokenize.TokenizeSettings;
import dev.sieve.tokenize.spark.TokenizerTrainJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sieve tokenizer train}: a byte-level BPE learned from silver/clean. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true, subcommands = TokenizerCommand.Train.class,
    description = "Tokenizer tools.")
final class TokenizerCommand extends GroupCommand {
  @Command(name = "train", mixinStandardHelpOptions = true,
      description = {"Count pre-tokenizer chunks of silver/clean in Spark and learn a byte-level BPE",
          "(tokenize.bpe: vocab_size, special_tokens, min_frequency, min_chunk_count); writes a Hugging Face",
          "tokenizer.json (default: the dataset's own, gold/tokenizers/<dataset>/tokenizer.json, which",
          "tokenize.tokenizer: bpe uses)."})
  static final class Train extends LakeCommand {
    @Option(names = "--out", paramLabel = "FILE", description = "Where to write tokenizer.json (any Hadoop URI).")
    String out;

    @Override
    public Integer call() {
      SieveConfig config = common.config();
      SparkSession spark = SparkSessions.getOrCreate(config.spark());
      String target = out != null ? out : TokenizerTrainJob.datasetTokenizer(common.lake(), config.section("tokenize", TokenizeSettings.class).dataset);
      TokenizerTrainJob.Result r = TokenizerTrainJob.run(spark, common.lake(), config, common.runId(TokenizerTrainJob.STAGE), target);
      out().printf("tokenizer: %,d tokens (%,d merges, %,d distinct chunks counted) -> %s%n", r.vocabSize(), r.merges(),
          r.distinctChunks(), target);
      out().flush();
      return ExitCodes.OK;
    }
  }
}
