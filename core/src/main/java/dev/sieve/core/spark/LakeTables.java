package dev.sieve.core.spark;

import dev.sieve.core.Lake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Finds the Delta tables under a lake root (any Hadoop filesystem) and registers each as a
 * temporary view named by {@link Lake#viewName(String)}, so {@code sieve sql}, notebooks and
 * tests can query {@code bronze_documents} or {@code sieve_stage_runs} by name.
 */
public final class LakeTables {
  /** Tables sit at most this many folders below the root ({@code gold/shards/x} is not a table). */
  static final int MAX_DEPTH = 3;

  private LakeTables() {}

  /** Relative paths of the Delta tables under the lake, sorted. */
  public static List<String> discover(SparkSession spark, Lake lake) {
    try {
      Path root = new Path(lake.root());
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      List<String> out = new ArrayList<>();
      if (!fs.exists(root)) return out;
      walk(fs, root, "", 0, out);
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list lake " + lake.root(), e);
    }
  }

  private static void walk(FileSystem fs, Path dir, String rel, int depth, List<String> out) throws IOException {
    if (fs.exists(new Path(dir, "_delta_log"))) {
      out.add(rel);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    for (FileStatus s : fs.listStatus(dir)) {
      if (!s.isDirectory()) continue;
      String name = s.getPath().getName();
      if (name.equals("_delta_log") || name.startsWith(".")) continue;
      walk(fs, s.getPath(), rel.isEmpty() ? name : rel + "/" + name, depth + 1, out);
    }
  }

  /** Registers every table of the lake as a temporary view; returns view name → table path. */
  public static java.util.Map<String, String> registerViews(SparkSession spark, Lake lake) {
    java.util.Map<String, String> views = new java.util.TreeMap<>();
    for (String table : discover(spark, lake)) {
      String view = Lake.viewName(table);
      var df = spark.read().format("delta").load(lake.path(table));
      // Runs that found nothing new before Spark started are rows of stage_runs to a query, appended or not yet.
      if (table.equals(Lake.STAGE_RUNS)) df = PendingRuns.withPending(spark, lake, df);
      df.createOrReplaceTempView(view);
      views.put(view, table);
    }
    return views;
  }
}
