package dev.sieve.cli;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.decontaminate.spark.DecontaminateJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sieve decontaminate}: silver/clean less the documents that overlap a benchmark → silver/decontaminated. */
@Command(name = "decontaminate", mixinStandardHelpOptions = true,
    description = {"Find the documents of silver/clean that share an n-gram (13 words, 13 CJK characters) with a",
        "benchmark item of decontaminate.benchmarks, drop them (or cut the spans: decontaminate.policy: cut) into",
        "silver/decontaminated, and record each match in silver/contamination. Only documents not yet decided",
        "are scanned unless --full is given; a changed benchmark set needs --full."})
final class DecontaminateCommand extends LakeCommand {
  @Option(names = "--full", description = "Check every document again and replace silver/decontaminated and silver/contamination "
      + "(after changing the benchmarks or the policy).")
  boolean full;

  @Override
  public Integer call() {
    SieveConfig config = common.config();
    if (!DecontaminateJob.enabled(config)) {
      // Not an error: the Airflow DAG runs this task whatever the config says.
      out().printf("decontaminate: no benchmarks configured (decontaminate.benchmarks): nothing to do; tokenize reads %s%n",
          Lake.SILVER_CLEAN);
      out().flush();
      return ExitCodes.OK;
    }
    SparkSession spark = SparkSessions.getOrCreate(config.spark());
    DecontaminateJob.Result r = DecontaminateJob.run(spark, common.lake(), config, common.runId(DecontaminateJob.STAGE), full);
    print(out(), common.lake(), r);
    return ExitCodes.OK;
  }

  static void print(java.io.PrintWriter out, Lake lake, DecontaminateJob.Result r) {
    out.printf("decontaminate: %,d documents in, %,d out -> %s (%,d cut); dropped per benchmark %s; documents matching per benchmark %s -> %s", r.in(), r.out(),
        lake.path(Lake.SILVER_DECONTAMINATED), r.cut(), r.dropped(), r.contaminatedDocs(), lake.path(Lake.SILVER_CONTAMINATION));
    if (r.withdrawn() > 0) out.printf("; %,d withdrawn (pii no longer has them)", r.withdrawn());
    out.printf("%n");
    out.flush();
  }
}
