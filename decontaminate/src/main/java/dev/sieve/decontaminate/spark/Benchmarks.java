package dev.sieve.decontaminate.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.config.ConfigException;
import dev.sieve.decontaminate.BenchmarkIndex;
import dev.sieve.decontaminate.BenchmarkReader;
import dev.sieve.decontaminate.DecontaminateSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the {@link BenchmarkIndex} of the configured benchmark files on the driver: JSONL and CSV
 * through the Hadoop filesystem (any URI, {@code .gz} unpacked), Parquet through Spark (rows read
 * in file order as JSON).
 */
public final class Benchmarks {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Benchmarks() {}

  /** The index of every configured benchmark; a missing or unreadable file is a one-line config error naming its key. */
  public static BenchmarkIndex load(SparkSession spark, DecontaminateSettings settings) {
    BenchmarkIndex.Builder builder = settings.indexBuilder();
    for (int i = 0; i < settings.benchmarks.size(); i++) {
      DecontaminateSettings.Benchmark b = settings.benchmarks.get(i);
      String key = "decontaminate.benchmarks[" + i + "]";
      builder.benchmark(b.name);
      BenchmarkReader reader = new BenchmarkReader(b, key, builder);
      String format = BenchmarkReader.format(b);
      Path path = new Path(b.path);
      try {
        FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(path)) throw new ConfigException("bad value for '" + key + ".path': no such file " + b.path);
        if (format.equals("parquet")) {
          long n = 0;
          Iterator<String> rows = spark.read().parquet(b.path).toJSON().toLocalIterator();
          while (rows.hasNext()) reader.item(JSON.readTree(rows.next()), ++n);
          reader.finish();
        } else {
          try (InputStream raw = fs.open(path);
               InputStream in = b.path.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            reader.read(in, format);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read benchmark " + b.name + " from " + b.path, e);
      }
    }
    return builder.build();
  }
}
