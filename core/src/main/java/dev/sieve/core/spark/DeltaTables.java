package dev.sieve.core.spark;

import io.delta.tables.DeltaTable;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The few Delta operations every stage needs: does a table exist, its current version, append,
 * and MERGE on a key (how stages stay idempotent: a rerun over the same input matches the rows
 * it wrote before instead of adding them again).
 *
 * <p>Each commit carries the {@code userMetadata} that {@link StageRun} put on the session.
 */
public final class DeltaTables {
  /** What a MERGE does with rows whose key already exists in the table. */
  public enum OnMatch {
    /** Keep the row that is there (insert-only MERGE): reruns change nothing. */
    KEEP,
    /** Replace it with the incoming row (e.g. a re-read file whose documents changed). */
    UPDATE
  }

  private DeltaTables() {}

  public static boolean exists(SparkSession spark, String path) {
    return DeltaTable.isDeltaTable(spark, path);
  }

  /** Latest committed version, or -1 when there is no table at {@code path}. */
  public static long version(SparkSession spark, String path) {
    if (!exists(spark, path)) return -1;
    // The log's latest snapshot (reads _delta_log only), not a DESCRIBE HISTORY query.
    return snapshot(spark, path).version();
  }

  /** The latest snapshot of the table at {@code path}: its log read, its state (the file list) not rebuilt until asked for. */
  private static org.apache.spark.sql.delta.Snapshot snapshot(SparkSession spark, String path) {
    return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty());
  }

  /**
   * {@code path} with its filesystem's scheme and, when relative, the driver's working directory:
   * what a table location must be, and what executors (which run in working directories of their
   * own) must be given.
   */
  public static String qualified(SparkSession spark, String path) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot resolve " + path, e);
    }
  }

  /** Reads the table's latest version. */
  public static Dataset<Row> read(SparkSession spark, String path) {
    return spark.read().format("delta").load(path);
  }

  /** Reads a given version ({@code VERSION AS OF}). */
  public static Dataset<Row> read(SparkSession spark, String path, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(path);
  }

  /** Appends rows (creating the table if needed) and returns the new version. */
  public static long append(Dataset<Row> rows, String path) {
    rows.write().format("delta").mode(SaveMode.Append).save(path);
    return version(rows.sparkSession(), path);
  }

  /**
   * Replaces the table's rows and schema with {@code rows} in one commit (creating it when absent):
   * what a {@code --full} rerun does to a stage's output.
   *
   * @return the table version after the commit
   */
  public static long overwrite(Dataset<Row> rows, String path) {
    rows.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true").save(path);
    return version(rows.sparkSession(), path);
  }

  /**
   * How a stage writes an output table: {@code --full} replaces it with {@code rows}
   * ({@link #overwrite}); an incremental run runs {@code merge} instead (one of the MERGEs below,
   * with the keys and match policy of that table).
   *
   * @return the table version after the commit
   */
  public static long overwriteOr(boolean full, Dataset<Row> rows, String path, java.util.function.LongSupplier merge) {
    return full ? overwrite(rows, path) : merge.getAsLong();
  }

  /**
   * MERGEs {@code rows} into the table on {@code keys}: rows with new keys are inserted, rows with
   * existing keys are kept or updated as {@code onMatch} says. Creates the table when absent.
   * Incoming rows must be unique on the keys (Delta refuses a MERGE where two source rows match
   * one target row); duplicates in the input are collapsed to one.
   *
   * @return the table version after the commit
   */
  public static long merge(Dataset<Row> rows, String path, OnMatch onMatch, String... keys) {
    if (keys.length == 0) throw new IllegalArgumentException("merge needs at least one key column");
    SparkSession spark = rows.sparkSession();
    Dataset<Row> source = rows.dropDuplicates(keys);
    if (!exists(spark, path)) {
      try {
        source.write().format("delta").mode(SaveMode.ErrorIfExists).save(path);
        return version(spark, path);
      } catch (RuntimeException e) {
        if (!exists(spark, path)) throw e;
        // Another writer created it first: fall through to a MERGE.
      }
    }
    String on = Arrays.stream(keys).map(k -> "t.`" + k + "` = s.`" + k + "`").collect(Collectors.joining(" AND "));
    var builder = DeltaTable.forPath(spark, path).as("t").merge(source.as("s"), on);
    if (onMatch == OnMatch.UPDATE) builder = builder.whenMatched().updateAll();
    builder.whenNotMatched().insertAll().execute();
    return version(spark, path);
  }

  /**
   * MERGEs {@code rows} on {@code keys}, updating matched rows and inserting new ones, and in the
   * same commit deletes the table rows that no incoming row matches and that satisfy
   * {@code deleteCondition} (SQL over the target, alias {@code t}): how a re-read input file
   * replaces its earlier rows atomically. Creates the table when absent.
   *
   * @return the table version after the commit
   */
  public static long mergeReplacing(Dataset<Row> rows, String path, String deleteCondition, String... keys) {
    SparkSession spark = rows.sparkSession();
    if (deleteCondition == null || !exists(spark, path)) return merge(rows, path, OnMatch.UPDATE, keys);
    Dataset<Row> source = rows.dropDuplicates(keys);
    String on = Arrays.stream(keys).map(k -> "t.`" + k + "` = s.`" + k + "`").collect(Collectors.joining(" AND "));
    DeltaTable.forPath(spark, path).as("t").merge(source.as("s"), on)
        .whenMatched().updateAll()
        .whenNotMatched().insertAll()
        .whenNotMatchedBySource(deleteCondition).delete()
        .execute();
    return version(spark, path);
  }

  /**
   * One atomic commit that inserts the {@code rows} whose {@code key} is new, sets
   * {@code updateColumns} on the rows whose key already exists, and deletes the rows whose key is
   * in {@code deleteKeys} (a one-column dataset named {@code key}; keys in both sets are deleted).
   * Creates the table from {@code rows} when absent. How a stage adds its new output and
   * withdraws rows an upstream stage withdrew, without a moment where both or neither are visible.
   *
   * @return the table version after the commit
   */
  public static long insertUpdateDelete(Dataset<Row> rows, Dataset<Row> deleteKeys, String path, String key, String... updateColumns) {
    SparkSession spark = rows.sparkSession();
    if (!exists(spark, path)) {
      Dataset<Row> keep = rows.join(deleteKeys, rows.col(key).equalTo(deleteKeys.col(key)), "left_anti");
      return merge(keep, path, OnMatch.KEEP, key);
    }
    String action = "_sieve_action";
    Dataset<Row> deletes = deleteKeys.select(deleteKeys.col(key)).distinct().withColumn(action, functions.lit("delete"));
    Dataset<Row> inserts = rows.join(deletes.select(key), rows.col(key).equalTo(deletes.col(key)), "left_anti")
        .dropDuplicates(key).withColumn(action, functions.lit("upsert"));
    Dataset<Row> source = inserts.unionByName(deletes, true);
    java.util.Map<String, String> insert = new java.util.LinkedHashMap<>();
    for (String c : rows.columns()) insert.put("`" + c + "`", "s.`" + c + "`");
    var builder = DeltaTable.forPath(spark, path).as("t").merge(source.as("s"), "t.`" + key + "` = s.`" + key + "`")
        .whenMatched("s." + action + " = 'delete'").delete();
    if (updateColumns.length > 0) {
      java.util.Map<String, String> update = new java.util.LinkedHashMap<>();
      for (String c : updateColumns) update.put("`" + c + "`", "s.`" + c + "`");
      builder = builder.whenMatched("s." + action + " = 'upsert'").updateExpr(update);
    }
    builder.whenNotMatched("s." + action + " = 'upsert'").insertExpr(insert).execute();
    return version(spark, path);
  }

  /**
   * Row count of the latest version (0 when there is no table). Answered on the driver, without a
   * Spark job, from the record counts of the file list that Delta keeps in the version's checksum
   * ({@code _delta_log/<version>.crc}, {@code allFiles}: written for tables of few files); a count
   * query (two or three Spark jobs) when the checksum lacks it or a file lacks its record count.
   */
  public static long count(SparkSession spark, String path) {
    if (!exists(spark, path)) return 0;
    long n = countFromChecksum(snapshot(spark, path));
    return n >= 0 ? n : read(spark, path).count();
  }

  /**
   * Data files of the latest version of the existing table at {@code path}: from the version's
   * checksum ({@code _delta_log/<version>.crc}, written by the committing run) without rebuilding
   * the snapshot's state; from the state (Spark jobs) when there is no checksum.
   */
  public static long files(SparkSession spark, String path) {
    org.apache.spark.sql.delta.Snapshot snapshot = snapshot(spark, path);
    return snapshot.checksumOpt().isDefined() ? snapshot.checksumOpt().get().numFiles() : snapshot.numOfFiles();
  }

  /** Rows of {@code snapshot} from its checksum's file list (deletion vectors accounted for), or -1 when it cannot tell. */
  static long countFromChecksum(org.apache.spark.sql.delta.Snapshot snapshot) {
    if (snapshot.checksumOpt().isEmpty() || snapshot.checksumOpt().get().allFiles().isEmpty()) return -1;
    long n = 0;
    for (org.apache.spark.sql.delta.actions.AddFile f : scala.jdk.javaapi.CollectionConverters.asJava(snapshot.checksumOpt().get().allFiles().get())) {
      scala.Option<Object> records = f.numLogicalRecords();
      if (records.isEmpty()) return -1;
      n += (Long) records.get();
    }
    return n;
  }

  /**
   * Rows of {@code rows} whose {@code key} the table at {@code path} does not hold (all of them
   * when it is absent): what a MERGE on that key will insert. Rows repeating a key are each
   * counted, so a stage that says it writes them all finds out at reconciliation that it did not.
   */
  public static long countNew(Dataset<Row> rows, String path, String key) {
    SparkSession spark = rows.sparkSession();
    if (!exists(spark, path)) return rows.count();
    Dataset<Row> have = read(spark, path).select(functions.col(key).as("_sieve_have"));
    return rows.join(have, rows.col(key).equalTo(have.col("_sieve_have")), "left_anti").count();
  }

  /** Distinct {@code key} values of {@code keys} that the table at {@code path} holds: what a delete by key removes. */
  public static long countExisting(Dataset<Row> keys, String path, String key) {
    SparkSession spark = keys.sparkSession();
    if (!exists(spark, path)) return 0;
    Dataset<Row> have = read(spark, path).select(functions.col(key).as("_sieve_have"));
    Dataset<Row> k = keys.select(functions.col(key)).distinct();
    return k.join(have, k.col(key).equalTo(have.col("_sieve_have")), "left_semi").count();
  }
}
