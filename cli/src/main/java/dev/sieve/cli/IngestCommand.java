package dev.sieve.cli;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.NoNewInput;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.ingest.spark.IngestJob;
import dev.sieve.ingest.spark.InputFile;
import dev.sieve.ingest.spark.InputFiles;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
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
    InputFiles.Listing listing = InputFiles.list(NoNewInput.hadoopConf(config), inputs);
    String fingerprint = fingerprint(listing);
    int found = listing.files().size(), ignored = listing.ignored().size();
    if (NoNewInput.check(lake, IngestJob.STAGE, config, runId, fingerprint,
        Map.of("files_found", (long) found, "files_unchanged", (long) found, "files_ignored", (long) ignored))) {
      print(new IngestJob.Result(runId, found, 0, found, ignored, 0, 0, Map.of(), 0,
          NoNewInput.latestVersion(NoNewInput.hadoopConf(config), lake.path(Lake.BRONZE_DOCUMENTS))));
      return ExitCodes.OK;
    }
    SparkSession spark = SparkSessions.getOrCreate(config.spark());
    IngestJob.Result r = IngestJob.run(spark, lake, config, runId, inputs);
    if (allDone(spark, lake, listing)) NoNewInput.rememberInputs(lake, IngestJob.STAGE, config, r.runId(), fingerprint, List.of(Lake.INGEST_FILES));
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

  /** SHA-256 over the listing: each file's path, id path, size, modification time and format, and the files left out. */
  static String fingerprint(InputFiles.Listing listing) {
    StringBuilder sb = new StringBuilder();
    for (InputFile f : listing.files()) {
      sb.append(f.path()).append('\t').append(f.idPath()).append('\t').append(f.size()).append('\t').append(f.modificationTime())
          .append('\t').append(f.format()).append('\n');
    }
    for (String i : listing.ignored()) sb.append("ignored\t").append(i).append('\n');
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether every file of {@code listing} is DONE in {@code _sieve/ingest_files} with its size and
   * modification time, at the table's version now: a run now would read nothing.
   */
  private static boolean allDone(SparkSession spark, Lake lake, InputFiles.Listing listing) {
    String path = lake.path(Lake.INGEST_FILES);
    long v = NoNewInput.latestVersion(spark.sparkContext().hadoopConfiguration(), path);
    if (v < 0) return listing.files().isEmpty();
    Map<String, Row> known = new HashMap<>();
    for (Row k : DeltaTables.read(spark, path, v).select("path", "size", "modification_time", "status").collectAsList()) {
      known.put(k.getString(0), k);
    }
    for (InputFile f : listing.files()) {
      Row k = known.get(f.path());
      if (k == null || k.getLong(1) != f.size() || k.getLong(2) != f.modificationTime() || !IngestJob.DONE.equals(k.getString(3))) return false;
    }
    // Still at that version: what was checked is what is remembered.
    return NoNewInput.latestVersion(spark.sparkContext().hadoopConfiguration(), path) == v;
  }
}
