package dev.sieve.ingest.spark;

import dev.sieve.core.spark.ProgressLine;
import dev.sieve.core.spark.StageRun;
import dev.sieve.ingest.IngestSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Ingest's reading of its input: the files (and {@link FileSplit}s) of an {@link IngestPlan} read
 * by {@link ReadFile}, plus the Parquet inputs ({@link ParquetInput}), as {@link ReadFile#SCHEMA}
 * rows, with a progress line (tasks done, documents, MB/s) while the job that consumes them runs.
 * Two consumers: {@link StagedBronze} writes the documents as it reads (the usual run: one pass);
 * {@link #read} persists every record for a run whose quarantine entries are too many to carry to
 * the driver (two passes).
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
   * Runs {@code job} over the run's records ({@link ReadFile#SCHEMA} rows): the splits of the record
   * files in {@code tasks} tasks at most (each task reads a group of splits of about the same
   * bytes, one after the other; {@code tasks} ≥ the splits: one split per task), then the Parquet
   * inputs. The job must be the only action on them: they are read as it runs.
   */
  static <T> T withRecords(SparkSession spark, IngestSettings settings, StageRun run, IngestPlan plan, int tasks,
                           Function<JavaRDD<Row>, T> job) {
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
    try (ProgressLine progress = new ProgressLine(() -> String.format("ingest: %d/%d splits, %,d documents, %.1f MB/s",
        filesDone.value(), total, docsAcc.value(), bytesAcc.value() / 1e6 / Math.max(1e-9, (System.nanoTime() - t0) / 1e9)), 2000)) {
      List<List<FileSplit>> groups = groups(splits, tasks);
      JavaRDD<Row> rows = jsc.parallelize(groups, Math.max(1, groups.size()))
          .flatMap(new ReadGroup(new ReadFile(settings, run.runId(), hadoopConf, filesDone, docsAcc, bytesAcc)));
      List<InputFile> parquetFiles = plan.parquetFiles();
      if (!parquetFiles.isEmpty()) rows = rows.union(ParquetInput.read(spark, parquetFiles, settings, run.runId()).javaRDD());
      return job.apply(rows);
    }
  }

  /**
   * Reads the records once into a persisted table for the later phases (one task per split). The
   * reading happens in {@code firstPass}, the first action on the persisted rows (the tally, which
   * the run needs anyway), not in a count that only fills the cache.
   */
  static <T> Read<T> read(SparkSession spark, IngestSettings settings, StageRun run, IngestPlan plan,
                          Function<Dataset<Row>, T> firstPass) {
    return withRecords(spark, settings, run, plan, Integer.MAX_VALUE, rows -> {
      Dataset<Row> records = spark.createDataFrame(rows, ReadFile.SCHEMA);
      // Its text columns are unique strings, so Spark's columnar compression (which hashes every value
      // to size a dictionary) costs time and saves nothing: it is off while this cache is built.
      Dataset<Row> cached = records.persist(StorageLevel.MEMORY_AND_DISK());
      return dev.sieve.core.spark.SessionConf.with(spark, COLUMNAR_COMPRESSED, "false", () -> new Read<>(cached, firstPass.apply(cached)));
    });
  }

  /**
   * {@code splits} in at most {@code tasks} groups of about equal bytes (largest split first, each
   * to the group with the fewest bytes so far); one split per group when {@code tasks} ≥ the splits.
   */
  static List<List<FileSplit>> groups(List<FileSplit> splits, int tasks) {
    if (tasks >= splits.size()) return splits.stream().map(List::of).toList();
    List<FileSplit> bySize = new ArrayList<>(splits);
    bySize.sort(Comparator.comparingLong((FileSplit s) -> s.nominalEnd() - s.nominalStart()).reversed());
    List<List<FileSplit>> groups = new ArrayList<>();
    long[] bytes = new long[tasks];
    PriorityQueue<Integer> lightest = new PriorityQueue<>(Comparator.comparingLong((Integer g) -> bytes[g]).thenComparingInt(g -> g));
    for (int g = 0; g < tasks; g++) {
      groups.add(new ArrayList<>());
      lightest.add(g);
    }
    for (FileSplit s : bySize) {
      int g = lightest.poll();
      groups.get(g).add(s);
      bytes[g] += s.nominalEnd() - s.nominalStart();
      lightest.add(g);
    }
    groups.removeIf(List::isEmpty);
    return Collections.unmodifiableList(groups);
  }

  /** A task's group of splits, read one after the other by {@link ReadFile}. */
  static final class ReadGroup implements FlatMapFunction<List<FileSplit>, Row> {
    private static final long serialVersionUID = 1L;
    private final ReadFile read;

    ReadGroup(ReadFile read) {
      this.read = read;
    }

    @Override
    public Iterator<Row> call(List<FileSplit> group) {
      Iterator<FileSplit> splits = group.iterator();
      return new Iterator<>() {
        private Iterator<Row> current = Collections.emptyIterator();

        @Override
        public boolean hasNext() {
          while (!current.hasNext() && splits.hasNext()) {
            try {
              current = read.call(splits.next());
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
          return current.hasNext();
        }

        @Override
        public Row next() {
          if (!hasNext()) throw new NoSuchElementException();
          return current.next();
        }
      };
    }
  }
}
