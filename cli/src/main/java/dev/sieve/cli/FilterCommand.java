package dev.sieve.cli;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.NoNewInput;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.filter.spark.FilterJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sieve filter}: the coarse rules (Gopher, C4, FineWeb, Yuan 1.0 Chinese, language) over bronze/documents. */
@Command(name = "filter", mixinStandardHelpOptions = true, subcommands = TrainClassifierCommand.class,
    description = {"Apply the coarse quality rules to bronze/documents: kept documents go to silver/filtered,",
        "rejected ones (whole, with rule, value and threshold) to silver/rejected. Only new documents are",
        "filtered unless --full is given."})
final class FilterCommand extends LakeCommand {
  @Option(names = "--full", description = "Re-filter every document and replace both output tables (after changing thresholds).")
  boolean full;

  @Override
  public Integer call() {
    SieveConfig config = common.config();
    String runId = common.runId(FilterJob.STAGE);
    if (!full && NoNewInput.check(common.lake(), FilterJob.STAGE, config, runId)) {
      // bronze/documents has not moved since the last run with this config: what the job would say, without Spark.
      print(out(), common.lake(), nothingNew(runId));
      return ExitCodes.OK;
    }
    SparkSession spark = SparkSessions.getOrCreate(config.spark());
    FilterJob.Result r = FilterJob.run(spark, common.lake(), config, runId, full);
    print(out(), common.lake(), r);
    return ExitCodes.OK;
  }

  static void print(java.io.PrintWriter out, Lake lake, FilterJob.Result r) {
    long rejected = r.rejectedByRule().values().stream().mapToLong(Long::longValue).sum();
    out.printf("filter: %,d documents in, %,d kept -> %s, %,d rejected -> %s%n", r.in(), r.kept(), lake.path(Lake.SILVER_FILTERED),
        rejected, lake.path(Lake.SILVER_REJECTED));
    if (!r.rejectedByRule().isEmpty()) out.printf("  rejected by rule: %s%n", r.rejectedByRule());
    out.flush();
  }

  /** What a run with nothing new reports (decided by {@link NoNewInput}, without Spark). */
  static FilterJob.Result nothingNew(String runId) {
    return new FilterJob.Result(runId, 0, 0, new java.util.TreeMap<>());
  }
}
