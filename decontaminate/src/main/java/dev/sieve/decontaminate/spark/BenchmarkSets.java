package dev.sieve.decontaminate.spark;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.decontaminate.DecontaminateSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark sets recorded in {@code _sieve/benchmark_sets} (one row per rebuild of the
 * decontaminate tables: fingerprint, the set's settings and items per benchmark as JSON, run id,
 * time), and whether the configured benchmark files can have changed since one was recorded, so
 * that a run with nothing new can skip building the {@link dev.sieve.decontaminate.BenchmarkIndex}.
 */
final class BenchmarkSets {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchmarkSets() {}

  /** The latest recorded set: its fingerprint, items per benchmark and when it was recorded. */
  record Recorded(String fingerprint, Map<String, Long> items, Instant recordedAt) {}

  /** The latest recorded set, or null when none was. */
  static Recorded latest(SparkSession spark, Lake lake) {
    String path = lake.path(Lake.BENCHMARK_SETS);
    if (!DeltaTables.exists(spark, path)) return null;
    List<Row> last = DeltaTables.read(spark, path).orderBy(col("recorded_at").desc())
        .select("fingerprint", "benchmarks", "recorded_at").limit(1).collectAsList();
    if (last.isEmpty()) return null;
    Map<String, Long> items;
    try {
      items = items(JSON.readTree(last.get(0).getString(1)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse the latest row of " + path, e);
    }
    return new Recorded(last.get(0).getString(0), items, last.get(0).getTimestamp(2).toInstant());
  }

  /**
   * Whether no configured benchmark file (every file under a Parquet folder included) was
   * modified at or after {@code t}: their contents then are what they were when the set recorded
   * at {@code t} was fingerprinted. False when a file is missing (the index build then names it).
   */
  static boolean unchangedSince(SparkSession spark, DecontaminateSettings settings, Instant t) {
    long limit = t.toEpochMilli();
    try {
      for (DecontaminateSettings.Benchmark b : settings.benchmarks) {
        Path p = new Path(b.path);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(p)) return false;
        FileStatus st = fs.getFileStatus(p);
        if (st.getModificationTime() >= limit) return false;
        if (st.isDirectory()) {
          RemoteIterator<LocatedFileStatus> files = fs.listFiles(p, true);
          while (files.hasNext()) {
            if (files.next().getModificationTime() >= limit) return false;
          }
        }
      }
      return true;
    } catch (IOException e) {
      return false; // cannot tell: build the index and compare fingerprints
    }
  }

  /** Items per benchmark of a recorded set's JSON ({@code items}), for a run's counts. */
  private static Map<String, Long> items(JsonNode set) {
    Map<String, Long> items = new TreeMap<>();
    set.path("items").fields().forEachRemaining(e -> items.put(e.getKey(), e.getValue().asLong()));
    return items;
  }
}
