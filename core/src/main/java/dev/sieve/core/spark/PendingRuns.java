package dev.sieve.core.spark;

import dev.sieve.core.Lake;
import dev.sieve.core.StageRunRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Run records waiting to be appended to {@code _sieve/stage_runs}: a run that {@link NoNewInput}
 * found to have nothing new is written as {@value #PENDING_DIR}{@code /<stage>~<run id>.json}
 * (SUCCEEDED, 0 in, 0 out, the versions it checked) under the lake's lock instead of a Delta
 * commit. The next {@link Stage#run} on the lake (holding the lock) appends every pending record in
 * one commit and removes the files ({@link #flush}); until then {@code sieve inspect} and queries
 * of the table list them with the table's rows ({@link #pending}, {@link #withPending}).
 */
public final class PendingRuns {
  /** Where runs that found nothing new leave their record until the next Spark run appends it, relative to the lake root. */
  public static final String PENDING_DIR = "_sieve/pending_runs";

  private PendingRuns() {}

  /**
   * Writes {@code record} (a succeeded run) as a pending record. Called holding the lake's lock.
   *
   * @throws java.io.UncheckedIOException when the file cannot be written
   */
  static void add(Configuration conf, Lake lake, StageRunRecord record) {
    Path p = new Path(lake.path(PENDING_DIR), URLEncoder.encode(record.stage() + "~" + record.runId(), StandardCharsets.UTF_8) + ".json");
    LakeJsonFiles.write(conf, p, toJson(record));
  }

  /**
   * Appends the pending records to {@code _sieve/stage_runs} in one commit and removes their files.
   * Called by {@link Stage#run} holding the lake's lock.
   *
   * @return how many records were appended
   */
  static int flush(SparkSession spark, Lake lake) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<Path> files = new ArrayList<>();
    List<StageRunRecord> records = new ArrayList<>();
    for (Map.Entry<Path, Map<String, Object>> e : LakeJsonFiles.list(conf, new Path(lake.path(PENDING_DIR))).entrySet()) {
      files.add(e.getKey());
      records.add(fromJson(e.getValue()));
    }
    if (records.isEmpty()) return 0;
    StageRunsTable.appendAll(spark, lake, records);
    for (Path f : files) LakeJsonFiles.delete(conf, f);
    return records.size();
  }

  /** The runs recorded by {@link NoNewInput#check} and not yet appended to {@code _sieve/stage_runs}, oldest first. */
  public static List<StageRunRecord> pending(Configuration conf, Lake lake) {
    List<StageRunRecord> out = new ArrayList<>();
    for (Map<String, Object> m : LakeJsonFiles.list(conf, new Path(lake.path(PENDING_DIR))).values()) out.add(fromJson(m));
    out.sort(Comparator.comparing(StageRunRecord::startedAt));
    return out;
  }

  /** {@code stageRuns} (the rows of {@code _sieve/stage_runs}) with the {@link #pending} runs' rows added, as a query of the table would show them once appended. */
  public static Dataset<Row> withPending(SparkSession spark, Lake lake, Dataset<Row> stageRuns) {
    List<StageRunRecord> records = pending(spark.sparkContext().hadoopConfiguration(), lake);
    if (records.isEmpty()) return stageRuns;
    return stageRuns.unionByName(spark.createDataFrame(records.stream().map(StageRunsTable::row).toList(), StageRunsTable.SCHEMA), true);
  }

  private static Map<String, Object> toJson(StageRunRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stage", r.stage());
    m.put("run_id", r.runId());
    m.put("started_at", r.startedAt().toString());
    m.put("ended_at", r.endedAt().toString());
    m.put("config_hash", r.configHash());
    m.put("config_json", r.configJson());
    m.put("versions_read", new TreeMap<>(r.versionsRead()));
    m.put("counts", new TreeMap<>(r.counts()));
    return m;
  }

  private static StageRunRecord fromJson(Map<String, Object> m) {
    StageRunRecord r = new StageRunRecord(String.valueOf(m.get("stage")), String.valueOf(m.get("run_id")),
        String.valueOf(m.get("config_json")), String.valueOf(m.get("config_hash")), Instant.parse(String.valueOf(m.get("started_at"))));
    LakeJsonFiles.longs(m.get("versions_read")).forEach(r::recordRead);
    LakeJsonFiles.longs(m.get("counts")).forEach(r::addCount);
    r.succeed(Instant.parse(String.valueOf(m.get("ended_at"))));
    return r;
  }
}
