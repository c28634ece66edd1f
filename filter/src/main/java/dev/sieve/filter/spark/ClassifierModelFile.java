package dev.sieve.filter.spark;

import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.filter.FilterSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The fine stage's fastText model file ({@code filter.classifier.model}), read on the driver: a
 * local path (relative to the working directory) or any Hadoop URI ({@code hdfs://},
 * {@code s3a://}), through the session's Hadoop configuration. Its bytes then travel to the
 * executors in the task closure ({@link ApplyRules}).
 */
final class ClassifierModelFile {
  private ClassifierModelFile() {}

  /**
   * The model's bytes, or null when {@code filter.classifier.model} is not set.
   *
   * @throws ConfigException naming {@code filter.classifier.model} when no file is there
   * @throws UncheckedIOException when the file is there but cannot be read
   */
  static byte[] read(SparkSession spark, FilterSettings settings) {
    String m = settings.classifier.model;
    if (m == null) return null;
    Path model = new Path(Lake.isAbsolute(m) && !m.startsWith("/") ? m : java.nio.file.Path.of(m).toAbsolutePath().toUri().toString());
    FileSystem fs;
    FileStatus status;
    try {
      fs = model.getFileSystem(spark.sparkContext().hadoopConfiguration());
      status = fs.getFileStatus(model);
    } catch (IOException e) {
      fs = null;
      status = null;
    }
    if (status == null || !status.isFile()) throw new ConfigException("bad value for 'filter.classifier.model': no model file at " + m);
    try (InputStream in = fs.open(model)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classifier model " + model, e);
    }
  }
}
