package dev.sieve.cli;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.NoNewInput;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.dedup.spark.DedupJob;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sieve dedup}: exact and MinHash-LSH near-duplicate removal over silver/filtered. */
@Command(name = "dedup", mixinStandardHelpOptions = true,
    description = {"Remove boilerplate lines (lines on many documents of the corpus; counts in silver/line_counts, documents",
        "left too short to silver/rejected), then exact and near duplicates (MinHash-LSH) from silver/filtered: one document per cluster goes",
        "to silver/deduped, every cluster member to silver/dup_clusters, signatures and band keys to",
        "silver/minhash_index. Only documents not yet in the index are processed (against everything",
        "indexed before) unless --full is given."})
final class DedupCommand extends LakeCommand {
  @Option(names = "--full", description = "Rebuild the band index and both output tables from all of silver/filtered (after changing dedup settings).")
  boolean full;

  @Override
  public Integer call() {
    SieveConfig config = common.config();
    String runId = common.runId(DedupJob.STAGE);
    if (!full && NoNewInput.check(common.lake(), DedupJob.STAGE, config, runId)) {
      // silver/filtered has not moved since the last run with this config: what the job would say, without Spark.
      print(out(), common.lake(), nothingNew(config, runId));
      return ExitCodes.OK;
    }
    SparkSession spark = SparkSessions.getOrCreate(config.spark());
    DedupJob.Result r = DedupJob.run(spark, common.lake(), config, runId, full);
    print(out(), common.lake(), r);
    return ExitCodes.OK;
  }

  static void print(java.io.PrintWriter out, Lake lake, DedupJob.Result r) {
    out.printf("dedup: %,d documents in, %,d kept -> %s; %,d exact and %,d near duplicates removed in %,d clusters -> %s%n", r.in(), r.kept(),
        lake.path(Lake.SILVER_DEDUPED), r.exactRemoved(), r.nearRemoved(), r.clusters(), lake.path(Lake.SILVER_DUP_CLUSTERS));
    if (r.retracted() > 0) out.printf("  %,d documents kept earlier were replaced by better new duplicates%n", r.retracted());
    DedupJob.Lines l = r.lines();
    if (l.linesRemoved() > 0 || l.tooShort() > 0) {
      out.printf("  line dedup: %,d boilerplate lines (%,d characters) removed from %,d documents, %,d left too short -> %s; counts in %s%n",
          l.linesRemoved(), l.charsRemoved(), l.docsTouched(), l.tooShort(), lake.path(Lake.SILVER_REJECTED), lake.path(Lake.SILVER_LINE_COUNTS));
    }
    out.flush();
  }

  /** What a run with nothing new reports (decided by {@link NoNewInput}, without Spark). */
  static DedupJob.Result nothingNew(SieveConfig config, String runId) {
    return new DedupJob.Result(runId, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        config.section("dedup", dev.sieve.dedup.DedupSettings.class).lshParams(), new DedupJob.Lines(0, 0, 0, 0, 0, 0));
  }
}
