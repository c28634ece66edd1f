package dev.sieve.cli;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.NoNewInput;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.pii.spark.PiiJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sieve pii}: replace personal data in silver/deduped by typed tags into silver/clean. */
@Command(name = "pii", mixinStandardHelpOptions = true,
    description = {"Replace e-mails, phone numbers, IP addresses, national ids, IBANs, card numbers and secrets in",
        "silver/deduped by typed tags (<EMAIL>, <PHONE>, ...) into silver/clean, with pii_counts per document.",
        "Only documents not yet in silver/clean are scrubbed unless --full is given."})
final class PiiCommand extends LakeCommand {
  @Option(names = "--full", description = "Scrub every document again and replace silver/clean (after changing pii settings).")
  boolean full;

  @Override
  public Integer call() {
    SieveConfig config = common.config();
    String runId = common.runId(PiiJob.STAGE);
    if (!full && NoNewInput.check(common.lake(), PiiJob.STAGE, config, runId)) {
      // silver/deduped has not moved since the last run with this config: what the job would say, without Spark.
      print(out(), common.lake(), nothingNew(runId));
      return ExitCodes.OK;
    }
    SparkSession spark = SparkSessions.getOrCreate(config.spark());
    PiiJob.Result r = PiiJob.run(spark, common.lake(), config, runId, full);
    print(out(), common.lake(), r);
    return ExitCodes.OK;
  }

  static void print(java.io.PrintWriter out, Lake lake, PiiJob.Result r) {
    out.printf("pii: %,d documents in, %,d clean -> %s; %,d with personal data, replaced %s", r.in(), r.clean(), lake.path(Lake.SILVER_CLEAN),
        r.docsWithPii(), r.spans());
    if (r.quarantined() > 0) out.printf("; %,d quarantined", r.quarantined());
    if (r.withdrawn() > 0) out.printf("; %,d withdrawn (dedup replaced them)", r.withdrawn());
    out.printf("%n");
    out.flush();
  }

  /** What a run with nothing new reports (decided by {@link NoNewInput}, without Spark). */
  static PiiJob.Result nothingNew(String runId) {
    return new PiiJob.Result(runId, 0, 0, 0, 0, 0, new java.util.TreeMap<>());
  }
}
