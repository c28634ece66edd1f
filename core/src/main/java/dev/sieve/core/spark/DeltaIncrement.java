package dev.sieve.core.spark;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.RemoveFile;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The rows a Delta table gained between two versions, read without reading the rest of it: the
 * data files the commits {@code (from, to]} added, read with the table's schema at {@code to}
 * (Delta's own file-list DataFrame, as its streaming source reads a commit), when those commits
 * only added rows. A commit that removed a data file (MERGE that updated or deleted, DELETE,
 * overwrite, RESTORE) makes the range unusable and the caller reads the whole table instead;
 * files added and removed with {@code dataChange = false} (OPTIMIZE) hold no new rows and are
 * skipped, as Delta's streaming source skips them.
 *
 * <p>Costs: one read of the commit files {@code (from, to]} of {@code _delta_log}, then a scan of
 * the added data files only. Row counts come from the files' statistics (no Spark job) when every
 * added file has them.
 */
public final class DeltaIncrement {
  private DeltaIncrement() {}

  /**
   * Rows read from a table.
   *
   * @param rows the rows (a lazy DataFrame)
   * @param count how many rows {@code rows} holds
   * @param whole true when {@code rows} is the whole table at the version, false when only what
   *     a range of commits added
   */
  public record Slice(Dataset<Row> rows, long count, boolean whole) {
    /** Records on {@code run} what was read: {@code input_rows_read}, and {@code input_read_whole} = 1 for a whole table; returns the rows. */
    public Dataset<Row> countOn(StageRun run) {
      run.count("input_rows_read", count);
      if (whole) run.count("input_read_whole", 1);
      return rows;
    }
  }

  /**
   * The rows the table at {@code path} gained in versions {@code (from, to]}, when every commit in
   * that range only added rows; empty when {@code from < 0}, {@code from > to}, a commit of the
   * range is missing from the log (cleaned up), a commit removed rows, or the table at
   * {@code path} did not hold commit {@code from} by {@code notAfter} (it was deleted and made
   * again since: its version numbers name other commits).
   *
   * @param notAfter when the caller saw version {@code from} (a run's start or end); commit
   *     {@code from} must be older (its file's modification time, milliseconds)
   */
  public static Optional<Slice> added(SparkSession spark, String path, long from, long to, Instant notAfter) {
    if (from < 0 || from > to || !DeltaTables.exists(spark, path) || !committedBy(spark, path, from, notAfter)) return Optional.empty();
    DeltaLog log = DeltaLog.forTable(spark, path);
    List<AddFile> adds = new ArrayList<>();
    long expected = from + 1;
    if (to > from) {
      var changes = log.getChanges(from + 1, to, false);
      while (changes.hasNext()) {
        Tuple2<Object, scala.collection.immutable.Seq<Action>> c = changes.next();
        if ((Long) c._1() != expected) return Optional.empty(); // a gap: the log was cleaned up
        expected++;
        for (Action a : CollectionConverters.asJava(c._2())) {
          if (a instanceof RemoveFile r && r.dataChange()) return Optional.empty();
          if (a instanceof AddFile f && f.dataChange()) {
            if (f.deletionVector() != null) return Optional.empty();
            adds.add(f);
          }
        }
      }
    }
    if (expected != to + 1) return Optional.empty();
    Snapshot snapshot = log.getSnapshotAt(to, scala.Option.empty(), scala.Option.empty());
    Dataset<Row> rows = log.createDataFrame(snapshot, CollectionConverters.asScala(adds).toList(), false, scala.Option.empty());
    long count = 0;
    for (AddFile f : adds) {
      scala.Option<Object> n = f.numLogicalRecords();
      if (n.isEmpty()) {
        count = rows.count();
        break;
      }
      count += (Long) n.get();
    }
    return Optional.of(new Slice(rows, count, false));
  }

  /**
   * {@link #added} when it applies, else the whole table at {@code to}.
   *
   * @param from the version the caller read before, or -1 for none
   */
  public static Slice since(SparkSession spark, String path, long from, long to, Instant notAfter) {
    return added(spark, path, from, to, notAfter).orElseGet(() -> whole(spark, path, to));
  }

  /** The whole table at version {@code to}, counted from the log's statistics when {@code to} is the latest version. */
  public static Slice whole(SparkSession spark, String path, long to) {
    Dataset<Row> rows = DeltaTables.read(spark, path, to);
    long count = to == DeltaTables.version(spark, path) ? DeltaTables.count(spark, path) : rows.count();
    return new Slice(rows, count, true);
  }

  /**
   * The rows of table {@code input} at {@code inputVersion} whose {@code key} none of
   * {@code outputs} holds: what an incremental stage has left to do. For a stage whose every
   * succeeded run, whatever its config, leaves each key of the input version it read in one of
   * {@code outputs} (filter: kept or rejected).
   *
   * <p>With R the latest succeeded run of {@code run}'s stage that recorded the versions it left
   * the outputs at: when the input only gained rows since the version R read, and each output only
   * gained rows since the version R left it at, the rows the input gained since R are anti-joined
   * with the rows the outputs gained since R (a run killed after writing part of its output, or a
   * run with another config, wrote those). Otherwise (no such run, a MERGE, DELETE or overwrite of
   * the input or of an output, a table made again) the whole input is anti-joined with the whole
   * outputs. Either way the answer is the same; only the rows read differ.
   *
   * <p>Counts on {@code run}: {@code input_rows_read} (rows of {@code input} read before the
   * anti-join) and, when the whole input was read, {@code input_read_whole} = 1.
   *
   * @param outputs lake-relative output tables (absent ones hold nothing)
   * @return the rows, with {@code input}'s columns
   */
  public static Dataset<Row> unprocessed(StageRun run, String input, long inputVersion, String key, String... outputs) {
    return pending(run, input, inputVersion, key, outputs).rows();
  }

  /**
   * What {@link #unprocessed} found, and how.
   *
   * @param rows the input's rows that none of the outputs holds
   * @param whole false when only what the input and the outputs gained since the last run was
   *     read: then the input lost no row since that run (it only gained), so no output row lost its
   *     input row, and none of {@code rows} is in an output (a plain append adds them); true when
   *     the whole input was anti-joined with the whole outputs
   */
  public record Pending(Dataset<Row> rows, boolean whole) {}

  /** {@link #unprocessed}, saying whether it read only what was new ({@link Pending#whole}). */
  public static Pending pending(StageRun run, String input, long inputVersion, String key, String... outputs) {
    SparkSession spark = run.spark();
    StageRun.EarlierRun last = run.lastSucceededWriting(List.of(outputs));
    Slice in = null;
    List<Dataset<Row>> done = new ArrayList<>();
    if (last != null && last.read().containsKey(input)) {
      in = added(spark, run.lake().path(input), last.read().get(input), inputVersion, last.startedAt()).orElse(null);
      for (int i = 0; in != null && i < outputs.length; i++) {
        String path = run.lake().path(outputs[i]);
        Optional<Slice> gained = added(spark, path, last.written().get(outputs[i]), DeltaTables.version(spark, path), last.endedAt());
        if (gained.isPresent()) done.add(gained.get().rows());
        else in = null;
      }
    }
    if (in == null) {
      in = whole(spark, run.lake().path(input), inputVersion);
      done.clear();
      for (String o : outputs) {
        if (DeltaTables.exists(spark, run.lake().path(o))) done.add(DeltaTables.read(spark, run.lake().path(o)));
      }
    }
    Dataset<Row> rows = in.countOn(run);
    for (Dataset<Row> d : done) {
      Dataset<Row> ids = d.select(org.apache.spark.sql.functions.col(key).as("_sieve_done"));
      rows = rows.join(ids, rows.col(key).equalTo(ids.col("_sieve_done")), "left_anti");
    }
    return new Pending(rows, in.whole());
  }

  /** Whether commit {@code version} of the table at {@code path} exists and was written no later than {@code notAfter}. */
  private static boolean committedBy(SparkSession spark, String path, long version, Instant notAfter) {
    Path commit = new Path(new Path(path, "_delta_log"), String.format("%020d.json", version));
    try {
      FileStatus s = commit.getFileSystem(spark.sparkContext().hadoopConfiguration()).getFileStatus(commit);
      return s.getModificationTime() <= notAfter.toEpochMilli();
    } catch (IOException e) {
      return false; // absent (cleaned up) or unreadable: read the whole table
    }
  }
}
