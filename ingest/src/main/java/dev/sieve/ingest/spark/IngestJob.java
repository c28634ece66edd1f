package dev.sieve.ingest.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.current_timestamp;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.DocRows;
import dev.sieve.core.spark.ProgressLine;
import dev.sieve.core.spark.Stage;
import dev.sieve.core.spark.StageRun;
import dev.sieve.ingest.IngestSettings;
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

  /** The session default of the Delta table property {@code delta.dataSkippingStatsColumns} (applies to tables created while set). */
  private static final String STATS_COLUMNS_DEFAULT = "spark.databricks.delta.properties.defaults.dataSkippingStatsColumns";

  /**
   * The {@code bronze/documents} columns with Delta file statistics (min/max/nulls): {@value}.
   * All but {@code text} and {@code metadata}; {@code source_file} keeps them for the MERGE that
   * replaces a re-read file's rows.
   */
  static final String BRONZE_STATS_COLUMNS =
      "doc_id,source,url,domain,fetch_time,language,language_score,title,source_file,source_offset,run_id";

  private IngestJob() {}

  /** What a run did. */
  public record Result(String runId, int filesFound, int filesRead, int filesUnchanged, int filesIgnored, long documents,
                       long quarantined, Map<String, Long> skipped, long bytesRead, long bronzeVersion) {}

  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, List<String> inputs) {
    IngestSettings settings = config.section("ingest", IngestSettings.class);
    InputFiles.Listing listing = InputFiles.list(spark.sparkContext().hadoopConfiguration(), inputs);
    return Stage.run(spark, lake, STAGE, config, runId, run -> ingest(spark, lake, settings, run, listing));
  }

  /** The run, phase by phase: plan files → read → earlier rows → duplicate keys → tally → write bronze → quarantine → record files. */
  private static Result ingest(SparkSession spark, Lake lake, IngestSettings settings, StageRun run, InputFiles.Listing listing) {
    run.read(Lake.INGEST_FILES);
    IngestPlan plan = IngestPlan.of(spark, lake, listing);
    run.count("files_found", plan.found());
    run.count("files_unchanged", plan.unchanged());
    run.count("files_ignored", plan.ignored());
    if (plan.toRead().isEmpty()) {
      long v = DeltaTables.version(spark, lake.path(Lake.BRONZE_DOCUMENTS));
      return new Result(run.runId(), plan.found(), 0, plan.unchanged(), plan.ignored(), 0, 0, Map.of(), 0, v);
    }
    Phases phases = new Phases();
    Dataset<Row> records = read(spark, settings, run, plan);
    DuplicateKeys.Resolved dups = null;
    try {
      Earlier earlier = Earlier.of(spark, lake, plan);
      phases.mark("read");
      dups = DuplicateKeys.resolve(records, earlier.rows());
      phases.mark("duplicates");
      Dataset<Row> resolved = dups.rows();
      IngestTally tally = IngestTally.of(resolved);
      phases.mark("counts");
      long bronzeVersion = writeBronze(spark, lake, run, plan, resolved, earlier);
      phases.mark("bronze_write");
      writeQuarantine(spark, lake, run, earlier, resolved, tally.quarantined());
      phases.mark("quarantine_write");
      long[] failed = recordFiles(spark, lake, run, plan, tally);
      phases.mark("files_write");
      System.err.println("ingest: " + phases);
      return account(run, plan, tally, earlier.replaced(), failed, bronzeVersion);
    } finally {
      if (dups != null) dups.release();
      records.unpersist();
    }
  }

  /**
   * Reads the files to read, once: every record of every file (split) as a row of
   * {@link ReadFile#SCHEMA}, plus the Parquet inputs, persisted for the later phases.
   */
  private static Dataset<Row> read(SparkSession spark, IngestSettings settings, StageRun run, IngestPlan plan) {
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
    return records;
  }

  /**
   * What bronze and quarantine already hold of this run: the files read whose earlier rows are
   * replaced (an earlier run of a changed file, or a run killed before it recorded the file) — those
   * are not duplicates — and bronze's rows of the other files, which a new record's id may clash with.
   *
   * @param paths the files read (a broadcast one-column {@code source_file} table)
   * @param replacedByFile bronze rows per file read that this run replaces
   * @param rows bronze rows ({@code doc_id, source_file, source_offset, title, text}) of other files, or null when bronze is empty
   */
  private record Earlier(Dataset<Row> paths, Map<String, Long> replacedByFile, Dataset<Row> rows) {
    static Earlier of(SparkSession spark, Lake lake, IngestPlan plan) {
      String bronzePath = lake.path(Lake.BRONZE_DOCUMENTS);
      Dataset<Row> paths = broadcast(spark.createDataFrame(plan.readPaths().stream().map(RowFactory::create).toList(),
          new StructType().add("source_file", DataTypes.StringType, false)));
      if (!DeltaTables.exists(spark, bronzePath)) return new Earlier(paths, Map.of(), null);
      Dataset<Row> bronze = DeltaTables.read(spark, bronzePath);
      Dataset<Row> others = bronze.join(paths, bronze.col("source_file").equalTo(paths.col("source_file")), "left_anti")
          .select("doc_id", "source_file", "source_offset", "title", "text");
      return new Earlier(paths, rowsPerFile(bronze, paths), others);
    }

    long replaced() {
      return replacedByFile.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Writes the documents to {@code bronze/documents}: an append when no file read has earlier rows
   * there, else a MERGE that replaces those files' rows.
   *
   * @return bronze's version after the write
   */
  private static long writeBronze(SparkSession spark, Lake lake, StageRun run, IngestPlan plan, Dataset<Row> resolved, Earlier earlier) {
    String bronzePath = lake.path(Lake.BRONZE_DOCUMENTS);
    Dataset<Row> docs = resolved.where(col("kind").equalTo(ReadFile.DOC))
        .select(java.util.Arrays.stream(DocRows.SCHEMA.fieldNames()).map(Column::new).toArray(Column[]::new));
    String replaceCondition = earlier.replacedByFile().isEmpty() ? null : "t.source_file IN (" + earlier.replacedByFile().keySet()
        .stream().map(IngestJob::sqlString).collect(Collectors.joining(", ")) + ")";
    // One Parquet file per WRITE_BYTES of input at most (and no fewer than the cores), not one per task.
    int writeFiles = (int) Math.max(spark.sparkContext().defaultParallelism(),
        Math.min(100_000, (plan.bytes() + WRITE_BYTES - 1) / WRITE_BYTES));
    if (docs.rdd().getNumPartitions() > writeFiles) docs = docs.coalesce(writeFiles);
    run.output(Lake.BRONZE_DOCUMENTS);
    // doc_ids are unique after DuplicateKeys; with no earlier rows of these files in bronze, every
    // document is new to bronze (the others' ids were turned into skips or quarantines): a plain
    // append, no MERGE join against the whole table.
    Dataset<Row> write = docs;
    long bronzeVersion = withNewTableStats(spark, bronzePath, () -> replaceCondition == null
        ? DeltaTables.append(write, bronzePath)
        : DeltaTables.mergeReplacing(write, bronzePath, replaceCondition, "doc_id"));
    run.wrote(Lake.BRONZE_DOCUMENTS, bronzeVersion);
    return bronzeVersion;
  }

  /**
   * Runs {@code write}; when it creates the table at {@code path}, the table gets
   * {@code delta.dataSkippingStatsColumns} = {@link #BRONZE_STATS_COLUMNS}: Delta's per-file
   * min/max statistics then skip {@code text} (and the {@code metadata} map), which no query filters
   * on and whose min/max cost a copy of every document's text at write time.
   */
  private static long withNewTableStats(SparkSession spark, String path, java.util.function.LongSupplier write) {
    if (DeltaTables.exists(spark, path)) return write.getAsLong();
    String was = spark.conf().get(STATS_COLUMNS_DEFAULT, null);
    spark.conf().set(STATS_COLUMNS_DEFAULT, BRONZE_STATS_COLUMNS);
    try {
      return write.getAsLong();
    } finally {
      if (was == null) spark.conf().unset(STATS_COLUMNS_DEFAULT);
      else spark.conf().set(STATS_COLUMNS_DEFAULT, was);
    }
  }

  /** Writes the quarantine entries to {@code _sieve/quarantine}, replacing the earlier entries of the files read. */
  private static void writeQuarantine(SparkSession spark, Lake lake, StageRun run, Earlier earlier, Dataset<Row> resolved,
                                      long quarantined) {
    String quarantinePath = lake.path(Lake.QUARANTINE);
    Dataset<Row> quarantine = resolved.where(col("kind").equalTo(ReadFile.QUARANTINE))
        .select(col("source_file"), col("source_offset"), col("error_kind"), col("message"), col("snippet"), col("run_id"),
            current_timestamp().as("quarantined_at"));
    if (quarantined == 0 && !DeltaTables.exists(spark, quarantinePath)) return;
    String quarantineReplace = null;
    if (DeltaTables.exists(spark, quarantinePath)) {
      Map<String, Long> earlierQuarantine = rowsPerFile(DeltaTables.read(spark, quarantinePath), earlier.paths());
      if (!earlierQuarantine.isEmpty()) {
        quarantineReplace = "t.source_file IN (" + earlierQuarantine.keySet().stream().map(IngestJob::sqlString)
            .collect(Collectors.joining(", ")) + ")";
      }
    }
    long qv = DeltaTables.mergeReplacing(spark.createDataFrame(quarantine.rdd(), QUARANTINE_SCHEMA), quarantinePath,
        quarantineReplace, "source_file", "source_offset", "error_kind");
    run.wrote(Lake.QUARANTINE, qv);
  }

  /**
   * Records each file read in {@code _sieve/ingest_files}: DONE only when every record its reader
   * framed is a document, a skip or a quarantine entry, else FAILED.
   *
   * @return {files failed as unreadable, files failed as unreconciled}
   */
  private static long[] recordFiles(SparkSession spark, Lake lake, StageRun run, IngestPlan plan, IngestTally tally) {
    Timestamp now = new Timestamp(System.currentTimeMillis());
    List<Row> fileRows = new ArrayList<>();
    long failedUnreadable = 0, failedUnreconciled = 0;
    for (InputFile f : plan.toRead()) {
      long[] c = tally.of(f.path());
      long fileFramed = tally.framedByFile.getOrDefault(f.path(), -1L);
      String status = DONE;
      if (tally.unreadable.containsKey(f.path())) {
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
    long fv = DeltaTables.merge(spark.createDataFrame(fileRows, FILES_SCHEMA), lake.path(Lake.INGEST_FILES),
        DeltaTables.OnMatch.UPDATE, "path");
    run.wrote(Lake.INGEST_FILES, fv);
    return new long[] {failedUnreadable, failedUnreconciled};
  }

  /** The run's counts and ledger: every record is a document, a skip or a quarantine; bronze gains the documents less the replaced rows. */
  private static Result account(StageRun run, IngestPlan plan, IngestTally tally, long replaced, long[] failed, long bronzeVersion) {
    long documents = tally.documents();
    long quarantined = tally.quarantined();
    run.count("files_read", plan.toRead().size());
    if (failed[0] > 0) run.count("files_failed_unreadable", failed[0]);
    if (failed[1] > 0) run.count("files_failed_unreconciled", failed[1]);
    run.count("records", tally.framed());
    run.count("documents", documents);
    run.count("documents_replaced", replaced);
    run.count("quarantined", quarantined);
    tally.repaired.forEach(run::count);
    // Every record is a document, a skip or a quarantine (per file, checked against what its reader
    // framed); bronze gains the documents, less the earlier rows of the files re-read.
    run.in(documents + quarantined + tally.skippedTotal());
    run.out(documents);
    tally.quarantinedByKind.forEach((k, v) -> run.dropped("quarantined_" + k, v));
    tally.skipped.forEach((k, v) -> run.dropped("skipped_" + k, v));
    run.gained(Lake.BRONZE_DOCUMENTS, documents - replaced);
    long bytes = plan.bytes();
    run.count("bytes_read", bytes);
    return new Result(run.runId(), plan.found(), plan.toRead().size(), plan.unchanged(), plan.ignored(), documents, quarantined,
        tally.skipped, bytes, bronzeVersion);
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
