package dev.sieve.cli;

import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.tokenize.spark.ShardVerifier;
import java.io.PrintWriter;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sieve shards verify}: every shard in the manifest re-read and checked. */
@Command(name = "shards", mixinStandardHelpOptions = true, subcommands = ShardsCommand.Verify.class, description = "Token shard tools.")
final class ShardsCommand extends GroupCommand {
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {"Recompute the SHA-256 of every shard's .bin and .idx, parse each .idx, and check sizes, counts",
          "and offsets against gold/shard_manifest. Exit code 1 (and the shards named) when any check fails."})
  static final class Verify extends LakeCommand {
    @Option(names = "--dataset", paramLabel = "NAME", description = "Only this dataset (default: all).")
    String dataset;

    @Override
    public Integer call() {
      SieveConfig config = common.config();
      SparkSession spark = SparkSessions.getOrCreate(config.spark());
      List<ShardVerifier.Check> checks = ShardVerifier.verify(spark, common.lake(), dataset);
      PrintWriter out = out();
      long tokens = 0, bad = 0;
      for (ShardVerifier.Check c : checks) {
        tokens += c.tokens();
        if (!c.ok()) {
          bad++;
          for (String p : c.problems()) out.printf("FAILED %s: %s%n", c.path(), p);
        }
      }
      out.printf("shards: %d checked, %d failed, %,d tokens%n", checks.size(), bad, tokens);
      out.flush();
      return bad == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }
}
