package dev.sieve.core.spark;

import dev.sieve.core.Lake;
import dev.sieve.core.StageRunRecord;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Delta table {@code _sieve/stage_runs}: one row per stage run (stage, run id), written by
 * {@link StageRun} when the run ends. Appending one row is one small Delta commit; a run id used
 * again for the same stage replaces its row with a MERGE; every {@value #COMPACT_EVERY} versions the
 * table is compacted (OPTIMIZE), since each run adds one small file.
 */
final class StageRunsTable {
  /** The table's columns; {@code dropped} and {@code rows_gained} were added after the first release. */
  static final StructType SCHEMA = new StructType()
      .add("stage", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("started_at", DataTypes.TimestampType, false)
      .add("ended_at", DataTypes.TimestampType, true)
      .add("status", DataTypes.StringType, false)
      .add("config_json", DataTypes.StringType, false)
      .add("config_hash", DataTypes.StringType, false)
      .add("versions_read", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
      .add("versions_written", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
      .add("count_in", DataTypes.LongType, false)
      .add("count_out", DataTypes.LongType, false)
      .add("counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
      .add("error", DataTypes.StringType, true)
      .add("dropped", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true)
      .add("rows_gained", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true);

  /** stage_runs is compacted (OPTIMIZE) when an append leaves its version a multiple of this: one small file per run otherwise. */
  static final int COMPACT_EVERY = 100;

  /** Columns added after the first release: lakes written before get them on the next run (ALTER TABLE ADD COLUMNS). */
  private static final List<String> ADDED_COLUMNS = List.of("dropped", "rows_gained");

  /** stage_runs tables this JVM already brought up to {@link #SCHEMA}: checked once, not at every write. */
  private static final Set<String> UP_TO_DATE = ConcurrentHashMap.newKeySet();

  private StageRunsTable() {}

  /** {@code stage}'s rows so far (run_id, status, config_hash, started_at, ended_at, versions_read, versions_written); empty when the table is absent. */
  static List<Row> earlierRuns(SparkSession spark, Lake lake, String stage) {
    String path = lake.path(Lake.STAGE_RUNS);
    return DeltaTables.exists(spark, path)
        ? DeltaTables.read(spark, path).where(functions.col("stage").equalTo(stage))
            .select("run_id", "status", "config_hash", "started_at", "ended_at", "versions_read", "versions_written").collectAsList()
        : List.of();
  }

  /**
   * Writes {@code record}'s row: an append, or a MERGE on (run_id, stage) when {@code earlierRuns}
   * (the stage's rows, {@link #earlierRuns}) already hold its run id.
   */
  static void write(SparkSession spark, Lake lake, StageRunRecord record, List<Row> earlierRuns) {
    Dataset<Row> df = spark.createDataFrame(List.of(row(record)), SCHEMA);
    String path = lake.path(Lake.STAGE_RUNS);
    addMissingColumns(spark, path);
    boolean again = earlierRuns.stream().anyMatch(r -> record.runId().equals(r.getAs("run_id")));
    if (again) {
      DeltaTables.merge(df, path, DeltaTables.OnMatch.UPDATE, "run_id", "stage");
      return;
    }
    append(spark, df, path);
  }

  /** Appends the rows of {@code records} (runs with distinct ids, none in the table yet) in one commit. */
  static void appendAll(SparkSession spark, Lake lake, List<StageRunRecord> records) {
    String path = lake.path(Lake.STAGE_RUNS);
    addMissingColumns(spark, path);
    append(spark, spark.createDataFrame(records.stream().map(StageRunsTable::row).toList(), SCHEMA), path);
  }

  private static void append(SparkSession spark, Dataset<Row> df, String path) {
    long version = DeltaTables.append(df, path);
    if (version > 0 && version % COMPACT_EVERY == 0) {
      io.delta.tables.DeltaTable.forPath(spark, path).optimize().executeCompaction();
    }
  }

  /** {@code record} as a row of {@link #SCHEMA}. */
  static Row row(StageRunRecord record) {
    return RowFactory.create(
        record.stage(),
        record.runId(),
        Timestamp.from(record.startedAt()),
        record.endedAt() == null ? null : Timestamp.from(record.endedAt()),
        record.status().name(),
        record.configJson(),
        record.configHash(),
        new TreeMap<>(record.versionsRead()),
        new TreeMap<>(record.versionsWritten()),
        record.countIn(),
        record.countOut(),
        new TreeMap<>(record.counts()),
        record.error(),
        new TreeMap<>(record.dropped()),
        new TreeMap<>(record.rowsGained()));
  }

  /**
   * The versions read by the latest SUCCEEDED run among {@code earlierRuns} with {@code record}'s
   * config hash (other than {@code record}'s own run id); empty when there is none.
   */
  static Map<String, Long> lastSucceededReads(List<Row> earlierRuns, StageRunRecord record) {
    Row latest = null;
    for (Row r : earlierRuns) {
      if (!"SUCCEEDED".equals(r.getAs("status")) || record.runId().equals(r.getAs("run_id"))
          || !record.configHash().equals(r.getAs("config_hash"))) continue;
      if (latest == null || ((Timestamp) r.getAs("started_at")).after(latest.getAs("started_at"))) latest = r;
    }
    return latest == null ? Map.of() : versionsRead(latest);
  }

  /** The tables and versions earlier run {@code runId} (one of {@code earlierRuns}) read, or an empty map when it is not there. */
  static Map<String, Long> versionsReadBy(List<Row> earlierRuns, String runId) {
    for (Row r : earlierRuns) {
      if (runId.equals(r.getAs("run_id"))) return versionsRead(r);
    }
    return Map.of();
  }

  /**
   * The latest SUCCEEDED run among {@code earlierRuns} (any config hash) whose versions_written
   * name every one of {@code tables}, or null when there is none.
   */
  static StageRun.EarlierRun lastSucceededWriting(List<Row> earlierRuns, java.util.Collection<String> tables) {
    Row latest = null;
    for (Row r : earlierRuns) {
      if (!"SUCCEEDED".equals(r.getAs("status")) || r.isNullAt(r.fieldIndex("ended_at"))
          || !versions(r, "versions_written").keySet().containsAll(tables)) continue;
      if (latest == null || ((Timestamp) r.getAs("started_at")).after(latest.getAs("started_at"))) latest = r;
    }
    return latest == null ? null : new StageRun.EarlierRun(latest.getAs("run_id"), ((Timestamp) latest.getAs("started_at")).toInstant(),
        ((Timestamp) latest.getAs("ended_at")).toInstant(), versionsRead(latest), versions(latest, "versions_written"));
  }

  private static Map<String, Long> versionsRead(Row r) {
    return versions(r, "versions_read");
  }

  private static Map<String, Long> versions(Row r, String column) {
    Map<String, Long> out = new TreeMap<>();
    if (r.isNullAt(r.fieldIndex(column))) return out;
    scala.collection.Map<String, Object> m = r.getMap(r.fieldIndex(column));
    scala.jdk.javaapi.CollectionConverters.asJava(m).forEach((k, v) -> out.put(k, ((Number) v).longValue()));
    return out;
  }

  private static void addMissingColumns(SparkSession spark, String path) {
    if (UP_TO_DATE.contains(path) || !DeltaTables.exists(spark, path)) return;
    Set<String> have = Set.of(DeltaTables.read(spark, path).columns());
    for (String c : ADDED_COLUMNS) {
      if (!have.contains(c)) {
        spark.sql("ALTER TABLE delta.`" + path.replace("`", "``") + "` ADD COLUMNS (" + c + " MAP<STRING, BIGINT>)");
      }
    }
    UP_TO_DATE.add(path);
  }
}
