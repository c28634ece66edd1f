package dev.sieve.ingest.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.DocRows;
import dev.sieve.core.spark.ProgressLine;
import dev.sieve.core.spark.Stage;
import dev.sieve.core.spark.StageRun;
import dev.sieve.ingest.IngestSettings;
import dev.sieve.ingest.InputFormat;
import dev.sieve.ingest.QuarantineEntry;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Ingest: input files → {@code bronze/documents}, {@code _sieve/quarantine} and
 * {@code _sieve/ingest_files}.
 *
 * <p>Incremental: a file already recorded as done with the same size and modification time is
 * not read again; a changed file is re-read and its earlier documents replaced in the same Delta
 * commit (MERGE with delete-by-source); a file that could not be opened is retried next time.
 * The ingest_files rows are written last, so a run killed half-way is simply finished by the next
 * one (the document MERGE is idempotent on {@code doc_id}).
 *
 * <p>Every record is accounted for. Two records with one {@code doc_id} (see
 * {@link dev.sieve.ingest.DocAssembler#docId}) never merge silently: the later one is skipped as
 * {@code duplicate_record} (same text) or quarantined as {@code duplicate_key} (different text),
 * within a file, across the files of a run and against bronze rows of other files
 * ({@link DuplicateKeys}); a file's own earlier rows are replaced, not duplicates. A file is DONE
 * only when the records its reader framed = its documents + skips + quarantines (else FAILED,
 * counted as {@code files_failed_unreconciled}), and the run fails if bronze/documents did not gain
 * exactly the documents it counts (net of the re-read files' replaced rows).
 */
public final class IngestJob {
  public static final String STAGE = "ingest";

  static final StructType QUARANTINE_SCHEMA = new StructType()
      .add("source_file", DataTypes.StringType, false)
      .add("source_offset", DataTypes.LongType, false)
      .add("error_kind", DataTypes.StringType, false)
      .add("message", DataTypes.StringType, true)
      .add("snippet", DataTypes.StringType, true)
      .add("run_id", DataTypes.StringType, false)
      .add("quarantined_at", DataTypes.TimestampType, false);

  static final StructType FILES_SCHEMA = new StructType()
      .add("path", DataTypes.StringType, false)
      .add("format", DataTypes.StringType, false)
      .add("size", DataTypes.LongType, false)
      .add("modification_time", DataTypes.LongType, false)
      .add("status", DataTypes.StringType, false)
      .add("documents", DataTypes.LongType, false)
      .add("quarantined", DataTypes.LongType, false)
      .add("skipped", DataTypes.LongType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("ingested_at", DataTypes.TimestampType, false);

  /** File status in {@code _sieve/ingest_files}. */
  public static final String DONE = "DONE";
  public static final String FAILED = "FAILED";

  /**
   * Input bytes per {@code bronze/documents} Parquet file written: {@value} (512 MB of gzip WARC
   * holds roughly 150 MB of extracted text, near Delta's usual file size).
   */
  static final long WRITE_BYTES = 512L * 1024 * 1024;

  private static final String COLUMNAR_COMPRESSED = "spark.sql.inMemoryColumnarStorage.compressed";

  private IngestJob() {}

  /** What a run did. */
  public record Result(String runId, int filesFound, int filesRead, int filesUnchanged, int filesIgnored, long documents,
                       long quarantined, Map<String, Long> skipped, long bytesRead, long bronzeVersion) {}

  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, List<String> inputs) {
    IngestSettings settings = config.section("ingest", IngestSettings.class);
    InputFiles.Listing listing = InputFiles.list(spark.sparkContext().hadoopConfiguration(), inputs);
    return Stage.run(spark, lake, STAGE, config, runId, run -> ingest(spark, lake, settings, run, listing));
  }

  private static Result ingest(SparkSession spark, Lake lake, IngestSettings settings, StageRun run, InputFiles.Listing listing) {
    String filesPath = lake.path(Lake.INGEST_FILES);
    String bronzePath = lake.path(Lake.BRONZE_DOCUMENTS);
    String quarantinePath = lake.path(Lake.QUARANTINE);
    run.read(Lake.INGEST_FILES);

    Map<String, Row> known = new HashMap<>();
    if (DeltaTables.exists(spark, filesPath)) {
      for (Row r : DeltaTables.read(spark, filesPath).select("path", "size", "modification_time", "status").collectAsList()) {
        known.put(r.getString(0), r);
      }
    }
    List<InputFile> toRead = new ArrayList<>();
    for (InputFile f : listing.files()) {
      Row k = known.get(f.path());
      boolean same = k != null && k.getLong(1) == f.size() && k.getLong(2) == f.modificationTime();
      if (same && DONE.equals(k.getString(3))) continue;
      toRead.add(f);
    }
    int unchanged = listing.files().size() - toRead.size();
    run.count("files_found", listing.files().size());
    run.count("files_unchanged", unchanged);
    run.count("files_ignored", listing.ignored().size());
    if (toRead.isEmpty()) {
      long v = DeltaTables.version(spark, bronzePath);
      return new Result(run.runId(), listing.files().size(), 0, unchanged, listing.ignored().size(), 0, 0, Map.of(), 0, v);
    }
    List<InputFile> recordFiles = toRead.stream().filter(f -> f.format() != InputFormat.PARQUET).toList();
    List<InputFile> parquetFiles = toRead.stream().filter(f -> f.format() == InputFormat.PARQUET).toList();

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator filesDone = jsc.sc().longAccumulator("ingest.files");
    LongAccumulator docsAcc = jsc.sc().longAccumulator("ingest.docs");
    LongAccumulator bytesAcc = jsc.sc().longAccumulator("ingest.bytes");
    Map<String, String> hadoopConf = new HashMap<>();
    for (Map.Entry<String, String> e : spark.sparkContext().hadoopConfiguration()) hadoopConf.put(e.getKey(), e.getValue());

    long t0 = System.nanoTime();
    Phases phases = new Phases();
    // Large gzip WARC/WET files are read by several tasks (split at record boundaries), so both ends of a run keep every core busy.
    List<FileSplit> splits = FileSplit.of(recordFiles, settings.splitBytes);
    int total = splits.size();
    Dataset<Row> records;
    try (ProgressLine progress = new ProgressLine(() -> String.format("ingest: %d/%d tasks, %,d documents, %.1f MB/s",
        filesDone.value(), total, docsAcc.value(), bytesAcc.value() / 1e6 / Math.max(1e-9, (System.nanoTime() - t0) / 1e9)), 2000)) {
      JavaRDD<Row> rows = jsc.parallelize(splits, Math.max(1, splits.size()))
          .flatMap(new ReadFile(settings, run.runId(), hadoopConf, filesDone, docsAcc, bytesAcc));
      records = spark.createDataFrame(rows, ReadFile.SCHEMA);
      if (!parquetFiles.isEmpty()) records = records.unionByName(ParquetInput.read(spark, parquetFiles, settings, run.runId()));
      // The one pass over the input: every later step reads this cache. Its text columns are unique
      // strings, so Spark's columnar compression (which hashes every value to size a dictionary)
      // costs time and saves nothing: it is off while this cache is built.
      String compressed = spark.conf().get(COLUMNAR_COMPRESSED, "true");
      spark.conf().set(COLUMNAR_COMPRESSED, "false");
      try {
        records = records.persist(StorageLevel.MEMORY_AND_DISK());
        records.count();
      } finally {
        spark.conf().set(COLUMNAR_COMPRESSED, compressed);
      }
    }

    DuplicateKeys.Resolved dups = null;
    try {
      // Files this run reads, and which of them already have rows (an earlier run of a changed file,
      // or a run killed before it recorded the file): those rows are replaced, they are not duplicates.
      List<String> readPaths = toRead.stream().map(InputFile::path).toList();
      Dataset<Row> paths = broadcast(spark.createDataFrame(readPaths.stream().map(RowFactory::create).toList(),
          new StructType().add("source_file", DataTypes.StringType, false)));
      boolean bronzeExists = DeltaTables.exists(spark, bronzePath);
      Dataset<Row> bronze = bronzeExists ? DeltaTables.read(spark, bronzePath) : null;
      Map<String, Long> replacedByFile = bronzeExists ? rowsPerFile(bronze, paths) : Map.of();
      long replaced = replacedByFile.values().stream().mapToLong(Long::longValue).sum();

      // Two records with one doc_id never merge silently: a repeat is a duplicate_record skip or a duplicate_key quarantine.
      Dataset<Row> earlier = bronzeExists
          ? bronze.join(paths, bronze.col("source_file").equalTo(paths.col("source_file")), "left_anti")
              .select("doc_id", "source_file", "source_offset", "title", "text")
          : null;
      phases.mark("read");
      dups = DuplicateKeys.resolve(records, earlier);
      phases.mark("duplicates");
      Dataset<Row> resolved = dups.rows();

      // Per-file and per-reason counts (small: a few rows per file).
      Map<String, long[]> perFile = new TreeMap<>();
      Map<String, Long> framedByFile = new HashMap<>();
      Map<String, Long> skipped = new TreeMap<>();
      Map<String, Long> quarantinedByKind = new TreeMap<>();
      Map<String, Boolean> unreadable = new HashMap<>();
      for (Row r : resolved.groupBy(col("source_file"), col("kind"), col("reason"), col("error_kind"))
          .agg(count(lit(1)), sum(col("records_framed"))).collectAsList()) {
        String file = r.getString(0);
        String kind = r.getString(1);
        long n = r.getLong(4);
        if (ReadFile.FILE.equals(kind)) {
          framedByFile.merge(file, r.isNullAt(5) ? 0L : r.getLong(5), Long::sum);
          continue;
        }
        long[] c = perFile.computeIfAbsent(file, k -> new long[3]);
        switch (kind) {
          case ReadFile.DOC -> c[0] += n;
          case ReadFile.QUARANTINE -> {
            c[1] += n;
            quarantinedByKind.merge(r.getString(3), n, Long::sum);
            if (QuarantineEntry.UNREADABLE_FILE.equals(r.getString(3))) unreadable.put(file, true);
          }
          default -> {
            c[2] += n;
            skipped.merge(r.getString(2), n, Long::sum);
          }
        }
      }
      // Repairs made in the documents written (counts, not drops: see dev.sieve.ingest.Repairs).
      Map<String, Long> repaired = new TreeMap<>();
      for (Row r : resolved.where(col("kind").equalTo(ReadFile.DOC).and(col("repairs").isNotNull()))
          .select(explode(col("repairs"))).groupBy(col("key")).agg(sum(col("value"))).collectAsList()) {
        repaired.put(r.getString(0), r.getLong(1));
      }
      long documents = perFile.values().stream().mapToLong(c -> c[0]).sum();
      long quarantined = perFile.values().stream().mapToLong(c -> c[1]).sum();
      long framed = framedByFile.values().stream().mapToLong(Long::longValue).sum();

      Dataset<Row> docs = resolved.where(col("kind").equalTo(ReadFile.DOC))
          .select(java.util.Arrays.stream(DocRows.SCHEMA.fieldNames()).map(Column::new).toArray(Column[]::new));
      String replaceCondition = replacedByFile.isEmpty() ? null : "t.source_file IN (" + replacedByFile.keySet().stream()
          .map(IngestJob::sqlString).collect(Collectors.joining(", ")) + ")";
      // One Parquet file per WRITE_BYTES of input at most (and no fewer than the cores), not one per task.
      long inputBytes = toRead.stream().mapToLong(InputFile::size).sum();
      int writeFiles = (int) Math.max(jsc.defaultParallelism(), Math.min(100_000, (inputBytes + WRITE_BYTES - 1) / WRITE_BYTES));
      if (docs.rdd().getNumPartitions() > writeFiles) docs = docs.coalesce(writeFiles);
      phases.mark("counts");
      run.output(Lake.BRONZE_DOCUMENTS);
      // doc_ids are unique after DuplicateKeys; with no earlier rows of these files in bronze, every
      // document is new to bronze (the others' ids were turned into skips or quarantines): a plain
      // append, no MERGE join against the whole table.
      long bronzeVersion = replaceCondition == null
          ? DeltaTables.append(docs, bronzePath)
          : DeltaTables.mergeReplacing(docs, bronzePath, replaceCondition, "doc_id");
      run.wrote(Lake.BRONZE_DOCUMENTS, bronzeVersion);
      phases.mark("bronze_write");

      Dataset<Row> quarantine = resolved.where(col("kind").equalTo(ReadFile.QUARANTINE))
          .select(col("source_file"), col("source_offset"), col("error_kind"), col("message"), col("snippet"), col("run_id"),
              current_timestamp().as("quarantined_at"));
      if (quarantined > 0 || DeltaTables.exists(spark, quarantinePath)) {
        String quarantineReplace = null;
        if (DeltaTables.exists(spark, quarantinePath)) {
          Map<String, Long> earlierQuarantine = rowsPerFile(DeltaTables.read(spark, quarantinePath), paths);
          if (!earlierQuarantine.isEmpty()) {
            quarantineReplace = "t.source_file IN (" + earlierQuarantine.keySet().stream().map(IngestJob::sqlString)
                .collect(Collectors.joining(", ")) + ")";
          }
        }
        long qv = DeltaTables.mergeReplacing(spark.createDataFrame(quarantine.rdd(), QUARANTINE_SCHEMA), quarantinePath,
            quarantineReplace, "source_file", "source_offset", "error_kind");
        run.wrote(Lake.QUARANTINE, qv);
      }

      phases.mark("quarantine_write");
      // A file is DONE only when every record its reader framed is a document, a skip or a quarantine entry.
      Timestamp now = new Timestamp(System.currentTimeMillis());
      List<Row> fileRows = new ArrayList<>();
      long failedUnreadable = 0, failedUnreconciled = 0;
      for (InputFile f : toRead) {
        long[] c = perFile.getOrDefault(f.path(), new long[3]);
        long fileFramed = framedByFile.getOrDefault(f.path(), -1L);
        String status = DONE;
        if (unreadable.containsKey(f.path())) {
          status = FAILED;
          failedUnreadable++;
        } else if (fileFramed != c[0] + c[1] + c[2]) {
          status = FAILED;
          failedUnreconciled++;
          System.err.printf("ingest: %s: %d records framed, but %d documents + %d skipped + %d quarantined: marked FAILED%n",
              f.path(), fileFramed, c[0], c[2], c[1]);
        }
        fileRows.add(RowFactory.create(f.path(), f.format().name().toLowerCase(java.util.Locale.ROOT), f.size(), f.modificationTime(),
            status, c[0], c[1], c[2], run.runId(), now));
      }
      long fv = DeltaTables.merge(spark.createDataFrame(fileRows, FILES_SCHEMA), filesPath, DeltaTables.OnMatch.UPDATE, "path");
      run.wrote(Lake.INGEST_FILES, fv);
      phases.mark("files_write");
      System.err.println("ingest: " + phases);

      run.count("files_read", toRead.size());
      if (failedUnreadable > 0) run.count("files_failed_unreadable", failedUnreadable);
      if (failedUnreconciled > 0) run.count("files_failed_unreconciled", failedUnreconciled);
      run.count("records", framed);
      run.count("documents", documents);
      run.count("documents_replaced", replaced);
      run.count("quarantined", quarantined);
      repaired.forEach(run::count);
      // Every record is a document, a skip or a quarantine (per file, checked above against what
      // its reader framed); bronze gains the documents, less the earlier rows of the files re-read.
      run.in(documents + quarantined + skipped.values().stream().mapToLong(Long::longValue).sum());
      run.out(documents);
      quarantinedByKind.forEach((k, v) -> run.dropped("quarantined_" + k, v));
      skipped.forEach((k, v) -> run.dropped("skipped_" + k, v));
      run.gained(Lake.BRONZE_DOCUMENTS, documents - replaced);
      long bytes = toRead.stream().mapToLong(InputFile::size).sum();
      run.count("bytes_read", bytes);
      return new Result(run.runId(), listing.files().size(), toRead.size(), unchanged, listing.ignored().size(), documents, quarantined,
          skipped, bytes, bronzeVersion);
    } finally {
      if (dups != null) dups.release();
      records.unpersist();
    }
  }

  /** Wall time per phase of a run, printed at its end (where the time went: reading vs Spark and Delta work). */
  private static final class Phases {
    private final Map<String, Double> seconds = new java.util.LinkedHashMap<>();
    private long last = System.nanoTime();

    void mark(String phase) {
      long now = System.nanoTime();
      seconds.merge(phase, (now - last) / 1e9, Double::sum);
      last = now;
    }

    @Override
    public String toString() {
      return seconds.entrySet().stream().map(e -> String.format(java.util.Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
          .collect(Collectors.joining(", "));
    }
  }

  /** Rows of {@code table} per {@code source_file}, for the files in {@code paths} (a small result: one row per file). */
  private static Map<String, Long> rowsPerFile(Dataset<Row> table, Dataset<Row> paths) {
    Map<String, Long> out = new TreeMap<>();
    for (Row r : table.select("source_file").join(paths, "source_file").groupBy("source_file").count().collectAsList()) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }

  static String sqlString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

}
