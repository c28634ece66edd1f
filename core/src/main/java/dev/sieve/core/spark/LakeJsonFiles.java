package dev.sieve.core.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Small JSON-object files in a lake's {@code _sieve/} folders, read and written through Hadoop's
 * {@link FileSystem} (local disk, HDFS and object stores alike): the files {@link NoNewInput} and
 * {@link PendingRuns} keep. Objects are {@code Map<String, Object>} as Jackson reads them (numbers
 * as {@link Number}, nested objects as maps).
 */
final class LakeJsonFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LakeJsonFiles() {}

  /** The JSON object at {@code p}, or null when there is none or it cannot be read (the caller then decides with Spark). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> read(Configuration conf, Path p) {
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) return null;
      try (InputStream in = fs.open(p)) {
        return JSON.readValue(in, Map.class);
      }
    } catch (IOException | RuntimeException e) {
      return null; // unreadable: decide with Spark
    }
  }

  /**
   * Writes {@code m} to {@code p}, replacing any file there.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  static void write(Configuration conf, Path p, Map<String, Object> m) {
    try (OutputStream out = p.getFileSystem(conf).create(p, true)) {
      out.write(JSON.writeValueAsBytes(m));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p, e);
    }
  }

  /**
   * The {@code .json} files of {@code dir} by path, in name order (unreadable ones skipped with a
   * warning on stderr); empty when {@code dir} does not exist.
   *
   * @throws UncheckedIOException when {@code dir} cannot be listed
   */
  @SuppressWarnings("unchecked")
  static Map<Path, Map<String, Object>> list(Configuration conf, Path dir) {
    Map<Path, Map<String, Object>> out = new TreeMap<>();
    try {
      FileSystem fs = dir.getFileSystem(conf);
      if (!fs.exists(dir)) return out;
      for (FileStatus st : fs.listStatus(dir)) {
        if (!st.getPath().getName().endsWith(".json")) continue;
        try (InputStream in = fs.open(st.getPath())) {
          out.put(st.getPath(), JSON.readValue(in, Map.class));
        } catch (IOException | RuntimeException e) {
          System.err.println("sieve: skipping unreadable run record " + st.getPath() + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return out;
  }

  /**
   * Removes the file {@code p} (nothing when it is gone).
   *
   * @throws UncheckedIOException when it cannot be removed
   */
  static void delete(Configuration conf, Path p) {
    try {
      p.getFileSystem(conf).delete(p, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + p, e);
    }
  }

  /** A JSON object of numbers ({@code o} as read) as a sorted name → long map; empty when {@code o} is not an object. */
  static Map<String, Long> longs(Object o) {
    Map<String, Long> out = new TreeMap<>();
    if (o instanceof Map<?, ?> m) m.forEach((k, v) -> out.put(String.valueOf(k), ((Number) v).longValue()));
    return out;
  }
}
