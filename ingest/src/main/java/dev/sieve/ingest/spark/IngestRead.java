package dev.sieve.ingest.spark;

import dev.sieve.core.spark.ProgressLine;
import dev.sieve.core.spark.StageRun;
import dev.sieve.ingest.IngestSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Ingest's one pass over its input: the files (and {@link FileSplit}s) of an {@link IngestPlan}
 * read by {@link ReadFile} tasks, plus the Parquet inputs, into one persisted table of
 * {@link ReadFile#SCHEMA} rows, filled by the first action on it ({@link IngestTally#of}, which
 * the run needs anyway) and read by the later phases ({@link DuplicateKeys}, {@link IngestWrites}). Prints a progress line (tasks done, documents, MB/s) while it runs.
 */
final class IngestRead {
  private static final String COLUMNAR_COMPRESSED = "spark.sql.inMemoryColumnarStorage.compressed";

  private IngestRead() {}

  /**
   * The persisted records and what the first pass over them computed.
   *
   * @param records every record as a row of {@link ReadFile#SCHEMA}, persisted (the caller unpersists)
   * @param first {@code firstPass}'s result
   */
  record Read<T>(Dataset<Row> records, T first) {}

  /**
   * Reads the files to read, once: every record of every file (split) as a row of
   * {@link ReadFile#SCHEMA}, plus the Parquet inputs, persisted for the later phases. The reading
   * happens in {@code firstPass}, the first action on the persisted rows (the tally, which the run
   * needs anyway), not in a count that only fills the cache.
   */
  static <T> Read<T> read(SparkSession spark, IngestSettings settings, StageRun run, IngestPlan plan,
                          java.util.function.Function<Dataset<Row>, T> firstPass) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator filesDone = jsc.sc().longAccumulator("ingest.files");
    LongAccumulator docsAcc = jsc.sc().longAccumulator("ingest.docs");
    LongAccumulator bytesAcc = jsc.sc().longAccumulator("ingest.bytes");
    Map<String, String> hadoopConf = new HashMap<>();
    for (Map.Entry<String, String> e : spark.sparkContext().hadoopConfiguration()) hadoopConf.put(e.getKey(), e.getValue());

    long t0 = System.nanoTime();
    // Large gzip WARC/WET files are read by several tasks (split at record boundaries), so both ends of a run keep every core busy.
    List<FileSplit> splits = FileSplit.of(plan.recordFiles(), settings.splitBytes);
    int total = splits.size();
    List<InputFile> parquetFiles = plan.parquetFiles();
    Dataset<Row> records;
    T first;
    try (ProgressLine progress = new ProgressLine(() -> String.format("ingest: %d/%d tasks, %,d documents, %.1f MB/s",
        filesDone.value(), total, docsAcc.value(), bytesAcc.value() / 1e6 / Math.max(1e-9, (System.nanoTime() - t0) / 1e9)), 2000)) {
      JavaRDD<Row> rows = jsc.parallelize(splits, Math.max(1, splits.size()))
          .flatMap(new ReadFile(settings, run.runId(), hadoopConf, filesDone, docsAcc, bytesAcc));
      records = spark.createDataFrame(rows, ReadFile.SCHEMA);
      if (!parquetFiles.isEmpty()) records = records.unionByName(ParquetInput.read(spark, parquetFiles, settings, run.runId()));
      // The one pass over the input (firstPass): every later step reads this cache. Its text columns are unique
      // strings, so Spark's columnar compression (which hashes every value to size a dictionary)
      // costs time and saves nothing: it is off while this cache is built.
      String compressed = spark.conf().get(COLUMNAR_COMPRESSED, "true");
      spark.conf().set(COLUMNAR_COMPRESSED, "false");
      try {
        records = records.persist(StorageLevel.MEMORY_AND_DISK());
        first = firstPass.apply(records);
      } finally {
        spark.conf().set(COLUMNAR_COMPRESSED, compressed);
      }
    }
    return new Read<>(records, first);
  }
}
