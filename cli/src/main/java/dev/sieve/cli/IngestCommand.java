package dev.sieve.cli;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.ingest.spark.IngestJob;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sieve ingest --input PATH...}: WARC/WET, WuDao JSON, JSONL, Parquet and text into bronze/documents. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = {"Read WARC/WET (.warc[.gz], .wet[.gz]), WuDao JSON (.json), JSONL (.jsonl[.gz]), Parquet and text (.txt) into",
        "bronze/documents; bad records go to _sieve/quarantine. Incremental: files already ingested are skipped,",
        "changed files are re-read and their documents replaced."})
final class IngestCommand extends LakeCommand {
  @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH",
      description = "Files, folders (walked recursively) or globs, on any Hadoop filesystem.")
  List<String> inputs;

  @Override
  public Integer call() {
    SieveConfig config = common.config();
    Lake lake = common.lake();
    String runId = common.runId(IngestJob.STAGE);
    // The listing ingest makes, without Spark: when the same files (paths, sizes, modification times) were
    // all DONE at the version _sieve/ingest_files is still at, there is nothing new to read.
    IngestShortcut shortcut = IngestShortcut.of(lake, config, inputs);
    IngestJob.Result none = shortcut.noNewInputBeforeSpark(runId);
    if (none != null) {
      print(none);
      return ExitCodes.OK;
    }
    SparkSession spark = SparkSessions.getOrCreate(config.spark());
    IngestJob.Result r = IngestJob.run(spark, lake, config, runId, shortcut.listing());
    shortcut.rememberIfAllDone(spark, r);
    print(r);
    return ExitCodes.OK;
  }

  private void print(IngestJob.Result r) {
    var out = out();
    out.printf("ingest %s: %d files found, %d read, %d unchanged, %d ignored (unknown format)%n", r.runId(), r.filesFound(),
        r.filesRead(), r.filesUnchanged(), r.filesIgnored());
    out.printf("  %,d documents -> %s (version %d), %,d quarantined, skipped %s, %.1f MB read%n", r.documents(),
        common.lake().path(Lake.BRONZE_DOCUMENTS), r.bronzeVersion(), r.quarantined(), r.skipped(), r.bytesRead() / 1e6);
    out.flush();
  }
}
