package dev.sieve.cli;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.decontaminate.spark.DecontaminateJob;
import dev.sieve.tokenize.spark.TokenizeJob;
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
    SparkSession spark = SparkSessions.getOrCreate(config.spark());
    TokenizeJob.Result r = TokenizeJob.run(spark, common.lake(), config, common.runId(TokenizeJob.STAGE), full,
        DecontaminateJob.tokenizeInput(config), System.err);
    print(out(), common.lake(), r);
    return ExitCodes.OK;
  }

  static void print(java.io.PrintWriter out, Lake lake, TokenizeJob.Result r) {
    out.printf("tokenize: %,d documents in, %,d sequences, %,d tokens (%s) in %d shards -> %s; tokens by split %s%n", r.documents(),
        r.sequences(), r.tokens(), r.tokenizer(), r.shards(), lake.path(Lake.GOLD_SHARD_MANIFEST), r.tokensBySplit());
    out.flush();
  }
}
