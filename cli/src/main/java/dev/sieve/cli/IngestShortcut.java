package dev.sieve.cli;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.NoNewInput;
import dev.sieve.ingest.spark.IngestJob;
import dev.sieve.ingest.spark.InputFile;
import dev.sieve.ingest.spark.InputFiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Ingest's "nothing new" decision without a Spark job, shared by {@code sieve ingest} and
 * {@code sieve pipeline}: the listing ingest makes (paths, sizes, modification times, formats) is
 * fingerprinted; when a run with the same fingerprint found every file DONE in
 * {@code _sieve/ingest_files} and that table is still at the version it then had, there is
 * nothing to read ({@link NoNewInput} keeps the fingerprint in {@code _sieve/last_reads} and
 * records the run as pending). A changed, added or removed file changes the fingerprint, so the
 * stage runs through Spark as before.
 */
final class IngestShortcut {
  private final Lake lake;
  private final SieveConfig config;
  private final InputFiles.Listing listing;
  private final String fingerprint;

  private IngestShortcut(Lake lake, SieveConfig config, InputFiles.Listing listing) {
    this.lake = lake;
    this.config = config;
    this.listing = listing;
    this.fingerprint = fingerprint(listing);
  }

  /** Lists {@code inputs} as ingest would (Hadoop filesystem, no Spark). */
  static IngestShortcut of(Lake lake, SieveConfig config, List<String> inputs) {
    return new IngestShortcut(lake, config, InputFiles.list(NoNewInput.hadoopConf(config), inputs));
  }

  /** The listing the fingerprint was made of: what {@link IngestJob#run(SparkSession, Lake, SieveConfig, String, InputFiles.Listing)} then reads. */
  InputFiles.Listing listing() {
    return listing;
  }

  /**
   * {@code sieve ingest}, before it starts Spark ({@link NoNewInput#check}): when nothing is new,
   * records run {@code runId} as a pending SUCCEEDED run (files found = unchanged, 0 read) and
   * returns its result; otherwise (and whenever a Spark session is up already) null, and the
   * caller runs {@link IngestJob#run} on {@link #listing}.
   *
   * @throws dev.sieve.core.spark.LakeLock.LakeBusyException when another run holds the lake
   */
  IngestJob.Result noNewInputBeforeSpark(String runId) {
    return noNewInput(runId, NoNewInput.check(lake, IngestJob.STAGE, config, runId, fingerprint, counts()));
  }

  /**
   * {@link #noNewInputBeforeSpark} with Spark up ({@link NoNewInput#decide}): {@code sieve pipeline},
   * where the decision still saves ingest's Spark job and Delta commit.
   *
   * @throws dev.sieve.core.spark.LakeLock.LakeBusyException when another run holds the lake
   */
  IngestJob.Result noNewInputWithSparkUp(String runId) {
    return noNewInput(runId, NoNewInput.decide(lake, IngestJob.STAGE, config, runId, fingerprint, counts()));
  }

  /** What a run that reads nothing counts: every file found is unchanged. */
  private Map<String, Long> counts() {
    int found = listing.files().size(), ignored = listing.ignored().size();
    return Map.of("files_found", (long) found, "files_unchanged", (long) found, "files_ignored", (long) ignored);
  }

  /** The result of run {@code runId} recorded as having nothing new, or null when {@code none} is false. */
  private IngestJob.Result noNewInput(String runId, boolean none) {
    if (!none) return null;
    int found = listing.files().size(), ignored = listing.ignored().size();
    var conf = NoNewInput.hadoopConf(config);
    return new IngestJob.Result(runId, found, 0, found, ignored, 0, 0, Map.of(), 0,
        NoNewInput.latestVersion(conf, lake.path(Lake.BRONZE_DOCUMENTS)), NoNewInput.latestVersion(conf, lake.path(Lake.INGEST_FILES)), true);
  }

  /**
   * After run {@code r} succeeded: remembers the fingerprint when a run now would read nothing —
   * every listed file DONE at the {@code _sieve/ingest_files} version the run left
   * ({@link IngestJob.Result#allFilesDone}), and the table still at that version (a directory
   * listing: no Spark job).
   */
  void rememberIfAllDone(SparkSession spark, IngestJob.Result r) {
    if (r.allFilesDone() && NoNewInput.latestVersion(spark.sparkContext().hadoopConfiguration(), lake.path(Lake.INGEST_FILES)) == r.filesVersion()) {
      NoNewInput.rememberInputs(lake, IngestJob.STAGE, config, r.runId(), fingerprint, List.of(Lake.INGEST_FILES));
    }
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

}
