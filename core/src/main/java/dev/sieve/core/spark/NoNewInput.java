package dev.sieve.core.spark;

import dev.sieve.core.Lake;
import dev.sieve.core.StageRunRecord;
import dev.sieve.core.config.SieveConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The "nothing new" decision of an incremental stage, made before Spark starts: a command run on
 * its own (JVM and Spark start included) then costs seconds, not the 20–30 s of a Spark session,
 * a Delta log replay of {@code _sieve/stage_runs} and a Delta commit.
 *
 * <p>Three small JSON files, through Hadoop's {@link FileSystem} (a lake on HDFS or an object store
 * works the same):
 *
 * <ul>
 *   <li>{@value #LAST_DIR}{@code /<stage>~<config hash>.json}: written by {@link Stage#run} when a
 *       run succeeds: its run id and the Delta versions of the tables it read ({@code versions_read}
 *       of its {@code _sieve/stage_runs} row). It names the same run
 *       {@link StageRun#lastSucceededReads} finds there: the latest succeeded run of the stage with
 *       that config hash.
 *   <li>{@link #check}: when every one of those tables is still at that version (the latest
 *       {@code NNN.json} commit of its {@code _delta_log}, a directory listing), no run is in
 *       flight or died in flight ({@code _sieve/running} is empty), and the lake's
 *       {@link LakeLock} is free, the stage has nothing new: a superset of the test
 *       {@link StageRun#inputsUnchanged} makes, so the answer is never "nothing new" where the
 *       Spark path would have processed documents.
 *   <li>{@value PendingRuns#PENDING_DIR}{@code /<stage>~<run id>.json}: such a run's record
 *       (SUCCEEDED, 0 in, 0 out, the versions it checked), written under the lock instead of a
 *       Delta commit and appended to {@code _sieve/stage_runs} by the next {@link Stage#run}
 *       ({@link PendingRuns}).
 * </ul>
 *
 * <p>The files are read and written by {@link LakeJsonFiles}.
 */
public final class NoNewInput {
  /** Where the latest succeeded run per stage and config hash is remembered, relative to the lake root. */
  public static final String LAST_DIR = "_sieve/last_reads";
  /** A Delta commit file: {@code 00000000000000000012.json}. */
  private static final Pattern COMMIT = Pattern.compile("\\d{20}\\.json");

  private NoNewInput() {}

  /**
   * Decides, without Spark, whether {@code stage} has nothing new on {@code lake} under
   * {@code config}, and if so records run {@code runId} as a pending SUCCEEDED run with 0 documents
   * in and out. The caller prints its usual "0 documents in" line and exits; otherwise it runs the
   * stage through {@link Stage#run} as before (which decides again, with Spark).
   *
   * @return true when the run was recorded as having nothing new; false when the stage must run
   *     (no remembered run, an input moved, a run in flight or abandoned, a reused run id), and
   *     whenever this JVM already has a Spark session (there is no start to save then)
   * @throws LakeLock.LakeBusyException when another run holds the lake (as {@link Stage#run} would)
   */
  public static boolean check(Lake lake, String stage, SieveConfig config, String runId) {
    return check(lake, stage, config, runId, null, Map.of());
  }

  /**
   * {@link #check} for a stage whose input is not only Delta tables: the remembered run must also
   * have been remembered with these {@code inputs} ({@link #rememberInputs}: for ingest, a
   * fingerprint of the input files' paths, sizes and modification times). {@code counts} go into
   * the run's record (as the Spark run would count them).
   */
  public static boolean check(Lake lake, String stage, SieveConfig config, String runId, String inputs, Map<String, Long> counts) {
    // With Spark already up (sieve pipeline, tests, an embedding program) there is nothing to save: the stage decides itself.
    if (SparkSession.getDefaultSession().isDefined() || SparkSession.getActiveSession().isDefined()) return false;
    return decide(lake, stage, config, runId, inputs, counts);
  }

  /**
   * {@link #check} whether or not Spark is up: for a caller with a session (the pipeline, tests)
   * whose stage's own "nothing new" test would cost a Spark job and a Delta commit.
   */
  public static boolean decide(Lake lake, String stage, SieveConfig config, String runId, String inputs, Map<String, Long> counts) {
    Configuration conf = hadoopConf(config);
    Instant started = Instant.now();
    Map<String, Object> last = LakeJsonFiles.read(conf, lastPath(lake, stage, config.hash()));
    if (last == null || runId.equals(last.get("run_id")) || !java.util.Objects.equals(inputs, last.get("inputs"))) return false;
    Map<String, Long> versions = LakeJsonFiles.longs(last.get("versions_read"));
    if (versions.isEmpty() || !unchanged(conf, lake, versions) || !LakeJsonFiles.list(conf, new Path(lake.path(StageRun.RUNNING_DIR))).isEmpty()) return false;
    try (LakeLock lock = LakeLock.acquire(conf, lake, stage, runId)) {
      // Under the lock: nothing can commit now; look again.
      if (!unchanged(conf, lake, versions) || !LakeJsonFiles.list(conf, new Path(lake.path(StageRun.RUNNING_DIR))).isEmpty()) return false;
      StageRunRecord rec = new StageRunRecord(stage, runId, config.toJson(), config.hash(), started);
      versions.forEach(rec::recordRead);
      counts.forEach(rec::addCount);
      rec.succeed(Instant.now());
      PendingRuns.add(conf, lake, rec);
      return true;
    }
  }

  /** Remembers {@code record} (a run that just succeeded, its row in stage_runs) as its stage's latest for its config hash. */
  static void remember(SparkSession spark, Lake lake, StageRunRecord record) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", record.runId());
    m.put("versions_read", new TreeMap<>(record.versionsRead()));
    try {
      LakeJsonFiles.write(spark.sparkContext().hadoopConfiguration(), lastPath(lake, record.stage(), record.configHash()), m);
    } catch (UncheckedIOException e) {
      // Only a shortcut is lost: the next run decides with Spark.
      System.err.println("sieve " + record.stage() + ": " + e.getMessage());
    }
  }

  /**
   * Remembers, for {@link #check} with {@code inputs}, that {@code stage} with {@code config} has
   * nothing new while its input files are {@code inputs} (a fingerprint the caller computes) and
   * {@code tables} are at their current versions: the caller has checked that a run now would
   * read nothing (for ingest: every listed file is DONE in {@code _sieve/ingest_files} with its
   * size and modification time). Called after the run {@code runId} succeeded.
   */
  public static void rememberInputs(Lake lake, String stage, SieveConfig config, String runId, String inputs, List<String> tables) {
    Configuration conf = hadoopConf(config);
    Map<String, Long> versions = new TreeMap<>();
    for (String t : tables) versions.put(t, latestVersion(conf, lake.path(t)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", runId);
    m.put("versions_read", versions);
    m.put("inputs", inputs);
    try {
      LakeJsonFiles.write(conf, lastPath(lake, stage, config.hash()), m);
    } catch (UncheckedIOException e) {
      System.err.println("sieve " + stage + ": " + e.getMessage());
    }
  }

  /** Forgets the remembered run of {@code record}'s stage and config hash when it is {@code record}'s run id (a reused run id that failed). */
  static void forget(SparkSession spark, Lake lake, StageRunRecord record) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path p = lastPath(lake, record.stage(), record.configHash());
    Map<String, Object> last = LakeJsonFiles.read(conf, p);
    try {
      if (last != null && record.runId().equals(last.get("run_id"))) LakeJsonFiles.delete(conf, p);
    } catch (UncheckedIOException e) {
      System.err.println("sieve " + record.stage() + ": " + e.getMessage());
    }
  }

  /**
   * The latest version of the Delta table at {@code path}: the highest {@code NNN.json} commit in
   * its {@code _delta_log} (a listing; no log replay), or -1 when there is none.
   */
  public static long latestVersion(Configuration conf, String path) {
    Path log = new Path(path, "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(conf);
      if (!fs.exists(log)) return -1;
      long max = -1;
      for (FileStatus s : fs.listStatus(log)) {
        String name = s.getPath().getName();
        if (COMMIT.matcher(name).matches()) max = Math.max(max, Long.parseLong(name.substring(0, 20)));
      }
      return max;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + log, e);
    }
  }

  /** A Hadoop configuration with the config's {@code spark.hadoop.*} settings, as Spark would build it. */
  public static Configuration hadoopConf(SieveConfig config) {
    Configuration conf = new Configuration();
    config.spark().conf.forEach((k, v) -> {
      if (k.startsWith("spark.hadoop.")) conf.set(k.substring("spark.hadoop.".length()), v);
    });
    return conf;
  }

  private static boolean unchanged(Configuration conf, Lake lake, Map<String, Long> versions) {
    for (Map.Entry<String, Long> e : versions.entrySet()) {
      if (e.getValue() < 0 || latestVersion(conf, lake.path(e.getKey())) != e.getValue()) return false;
    }
    return true;
  }

  private static Path lastPath(Lake lake, String stage, String configHash) {
    return new Path(lake.path(LAST_DIR), URLEncoder.encode(stage + "~" + configHash, StandardCharsets.UTF_8) + ".json");
  }
}
