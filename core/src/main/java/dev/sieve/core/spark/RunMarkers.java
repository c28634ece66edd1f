package dev.sieve.core.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.Lake;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The marker files of stage runs in flight: {@code _sieve/running/<stage>~<run id>.json}, one
 * JSON object (stage, run_id, started_at, config_hash, config_json) per run, written when a
 * {@link StageRun} starts and removed once its row is in {@code _sieve/stage_runs}. Through
 * Hadoop's {@link FileSystem}, so a lake on HDFS or an object store works the same.
 */
final class RunMarkers {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunMarkers() {}

  static void write(SparkSession spark, Lake lake, Map<String, Object> marker) {
    Path path = path(lake, String.valueOf(marker.get("stage")), String.valueOf(marker.get("run_id")));
    try (OutputStream out = fs(spark, path).create(path, true)) {
      out.write(JSON.writeValueAsBytes(marker));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run marker " + path, e);
    }
  }

  static void remove(SparkSession spark, Lake lake, String stage, String runId) {
    Path path = path(lake, stage, runId);
    try {
      fs(spark, path).delete(path, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the run marker " + path, e);
    }
  }

  /** The markers present now (unreadable ones are skipped with a warning). */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(SparkSession spark, Lake lake) {
    Path dir = new Path(lake.path(StageRun.RUNNING_DIR));
    List<Map<String, Object>> out = new ArrayList<>();
    try {
      FileSystem fs = fs(spark, dir);
      if (!fs.exists(dir)) return out;
      for (FileStatus st : fs.listStatus(dir)) {
        if (!st.getPath().getName().endsWith(".json")) continue;
        try (InputStream in = fs.open(st.getPath())) {
          out.add(JSON.readValue(in, Map.class));
        } catch (IOException | RuntimeException e) {
          System.err.println("sieve: skipping unreadable run marker " + st.getPath() + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return out;
  }

  private static Path path(Lake lake, String stage, String runId) {
    String name = URLEncoder.encode(stage + "~" + runId, StandardCharsets.UTF_8) + ".json";
    return new Path(lake.path(StageRun.RUNNING_DIR), name);
  }

  private static FileSystem fs(SparkSession spark, Path path) throws IOException {
    return path.getFileSystem(spark.sparkContext().hadoopConfiguration());
  }
}
