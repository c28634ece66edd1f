package dev.sieve.cli;

import dev.sieve.cli.inspect.InspectJson;
import dev.sieve.cli.inspect.InspectText;
import dev.sieve.cli.inspect.LakeSnapshot;
import dev.sieve.cli.inspect.SnapshotReader;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.core.spark.TableDigest;
import java.io.PrintWriter;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sieve inspect}: what the lake holds. Tables with their Delta version and row count, the
 * latest commits of each ({@code DESCRIBE HISTORY} with the run id, stage and config hash of their
 * {@code userMetadata}), the stage runs, the funnel (documents per stage, drops per filter rule,
 * duplicates, PII spans per kind), samples, token shards and training runs. Text for a terminal,
 * or with {@code --json} one JSON document. Reads only; absent tables are reported as absent.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = {"Show the lake: tables (version, rows, history), stage runs, the funnel, samples of rejected",
        "documents, duplicate clusters and PII counts, token shards and training runs."})
final class InspectCommand extends LakeCommand {
  @Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "3",
      description = "Samples per rule, clusters and PII documents (default: ${DEFAULT-VALUE}; 0 = none).")
  int samples;

  @Option(names = "--digest",
      description = {"Print only each table's rows and an order-free content hash (run ids, paths and times left out),",
          "to compare two lakes."})
  boolean digest;

  @Override
  public Integer call() {
    if (digest) {
      Map<String, String> d = TableDigest.of(SparkSessions.getOrCreate(common.config().spark()), common.lake());
      PrintWriter out = out();
      if (json) {
        out.println(InspectJson.render(d));
      } else {
        d.forEach((table, line) -> out.printf("%-22s %s%n", table, line));
      }
      out.flush();
      return ExitCodes.OK;
    }
    if (samples < 0) throw new ConfigException("bad value for '--samples': " + samples + " (must be at least 0)");
    SparkSession spark = SparkSessions.getOrCreate(common.config().spark());
    LakeSnapshot snapshot = new SnapshotReader(spark, common.lake()).read(samples, false);
    PrintWriter out = out();
    out.print(json ? InspectJson.render(snapshot) + "\n" : InspectText.render(snapshot));
    out.flush();
    return ExitCodes.OK;
  }
}
