package dev.sieve.ingest.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;

import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.DocRows;
import dev.sieve.core.spark.StageRun;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Ingest's writes, after duplicate resolution and the tally: the documents to
 * {@code bronze/documents}, the quarantine entries to {@code _sieve/quarantine} and, last, one row
 * per file read to {@code _sieve/ingest_files} (DONE or FAILED).
 */
final class IngestWrites {
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

  /**
   * Input bytes per {@code bronze/documents} Parquet file written: {@value} (512 MB of gzip WARC
   * holds roughly 150 MB of extracted text, near Delta's usual file size).
   */
  static final long WRITE_BYTES = 512L * 1024 * 1024;

  /**
   * The {@code bronze/documents} columns with Delta file statistics (min/max/nulls): {@value}.
   * All but {@code text} and {@code metadata}; {@code source_file} keeps them for the MERGE that
   * replaces a re-read file's rows.
   */
  static final String BRONZE_STATS_COLUMNS =
      "doc_id,source,url,domain,fetch_time,language,language_score,title,source_file,source_offset,run_id";

  private IngestWrites() {}

  /**
   * Writes the documents to {@code bronze/documents}: an append when no file read has earlier rows
   * there, else a MERGE that replaces those files' rows.
   *
   * @return bronze's version after the write
   */
  static long writeBronze(SparkSession spark, Lake lake, StageRun run, IngestPlan plan, Dataset<Row> resolved, EarlierRows earlier) {
    String bronzePath = lake.path(Lake.BRONZE_DOCUMENTS);
    Dataset<Row> docs = resolved.where(col("kind").equalTo(ReadFile.DOC))
        .select(java.util.Arrays.stream(DocRows.SCHEMA.fieldNames()).map(Column::new).toArray(Column[]::new));
    String replaceCondition = earlier.replacedByFile().isEmpty() ? null : "t.source_file IN (" + earlier.replacedByFile().keySet()
        .stream().map(IngestWrites::sqlString).collect(Collectors.joining(", ")) + ")";
    // One Parquet file per WRITE_BYTES of input at most (and no fewer than the cores), not one per task.
    int writeFiles = (int) Math.max(spark.sparkContext().defaultParallelism(),
        Math.min(100_000, (plan.bytes() + WRITE_BYTES - 1) / WRITE_BYTES));
    if (docs.rdd().getNumPartitions() > writeFiles) docs = docs.coalesce(writeFiles);
    run.output(Lake.BRONZE_DOCUMENTS);
    // doc_ids are unique after DuplicateKeys; with no earlier rows of these files in bronze, every
    // document is new to bronze (the others' ids were turned into skips or quarantines): a plain
    // append, no MERGE join against the whole table.
    Dataset<Row> write = docs;
    // (The table exists: StagedBronze created it, with its stats columns, before the read.)
    long bronzeVersion = withPlainText(spark, () -> replaceCondition == null
        ? DeltaTables.append(write, bronzePath)
        : DeltaTables.mergeReplacing(write, bronzePath, replaceCondition, "doc_id"));
    run.wrote(Lake.BRONZE_DOCUMENTS, bronzeVersion);
    return bronzeVersion;
  }

  /** Parquet's per-column switch of dictionary encoding for the {@code text} column (parquet-mr's {@code ColumnConfigParser}). */
  private static final String TEXT_DICTIONARY = "parquet.enable.dictionary#text";

  /**
   * Runs {@code write} with Parquet's dictionary encoding off for the {@code text} column: every
   * document's text is its own value, so the dictionary (which hashes and compares every value
   * until it gives up on the column chunk) costs time and saves nothing.
   */
  static <T> T withPlainText(SparkSession spark, java.util.function.Supplier<T> write) {
    return dev.sieve.core.spark.SessionConf.with(spark, TEXT_DICTIONARY, "false", write);
  }

  /**
   * Creates {@code bronze/documents}, empty, when absent (with {@link #BRONZE_STATS_COLUMNS}), so
   * that a run can write its documents inside a transaction on it ({@link StagedBronze}).
   */
  static void createBronze(SparkSession spark, String bronzePath) {
    if (DeltaTables.exists(spark, bronzePath)) return;
    // The columns as a DataFrame write creates them (all nullable), so that tables created either way are alike; no data file.
    StructType columns = new StructType();
    for (org.apache.spark.sql.types.StructField f : DocRows.SCHEMA.fields()) {
      org.apache.spark.sql.types.DataType t = f.dataType() instanceof org.apache.spark.sql.types.MapType m
          ? DataTypes.createMapType(m.keyType(), m.valueType(), true) : f.dataType();
      columns = columns.add(f.name(), t, true, f.metadata());
    }
    io.delta.tables.DeltaTable.createIfNotExists(spark).location(DeltaTables.qualified(spark, bronzePath)).addColumns(columns)
        .property("delta.dataSkippingStatsColumns", BRONZE_STATS_COLUMNS).execute();
  }

  /**
   * Writes the quarantine entries to {@code _sieve/quarantine}, replacing the earlier entries of the
   * files read: a MERGE only when those files have earlier entries, else an append of the new
   * entries (no other file's entry can match their keys), and nothing when there is neither.
   */
  static void writeQuarantine(SparkSession spark, Lake lake, StageRun run, EarlierRows earlier, Dataset<Row> resolved,
                                      long quarantined) {
    String quarantinePath = lake.path(Lake.QUARANTINE);
    Dataset<Row> quarantine = resolved.where(col("kind").equalTo(ReadFile.QUARANTINE))
        .select(col("source_file"), col("source_offset"), col("error_kind"), col("message"), col("snippet"), col("run_id"),
            current_timestamp().as("quarantined_at"));
    boolean exists = DeltaTables.exists(spark, quarantinePath);
    String quarantineReplace = null;
    if (exists) {
      Map<String, Long> earlierQuarantine = rowsPerFile(DeltaTables.read(spark, quarantinePath), earlier.paths());
      if (!earlierQuarantine.isEmpty()) {
        quarantineReplace = "t.source_file IN (" + earlierQuarantine.keySet().stream().map(IngestWrites::sqlString)
            .collect(Collectors.joining(", ")) + ")";
      }
    }
    if (quarantined == 0 && quarantineReplace == null) return;
    String[] keys = {"source_file", "source_offset", "error_kind"};
    Dataset<Row> rows = spark.createDataFrame(quarantine.rdd(), QUARANTINE_SCHEMA);
    long qv = exists && quarantineReplace == null
        ? DeltaTables.append(rows.dropDuplicates(keys), quarantinePath)
        : DeltaTables.mergeReplacing(rows, quarantinePath, quarantineReplace, keys);
    run.wrote(Lake.QUARANTINE, qv);
  }

  /**
   * Records each file read in {@code _sieve/ingest_files}: DONE only when every record its reader
   * framed is a document, a skip or a quarantine entry, else FAILED. Appends the rows when no file
   * read has a row there yet (the usual run: new files), else MERGEs them on {@code path}.
   *
   * @return {files failed as unreadable, files failed as unreconciled}
   */
  static long[] recordFiles(SparkSession spark, Lake lake, StageRun run, IngestPlan plan, IngestTally tally) {
    Timestamp now = new Timestamp(System.currentTimeMillis());
    List<Row> fileRows = new ArrayList<>();
    long failedUnreadable = 0, failedUnreconciled = 0;
    for (InputFile f : plan.toRead()) {
      long[] c = tally.of(f.path());
      long fileFramed = tally.framedByFile.getOrDefault(f.path(), -1L);
      String status = IngestJob.DONE;
      if (tally.unreadable.containsKey(f.path())) {
        status = IngestJob.FAILED;
        failedUnreadable++;
      } else if (fileFramed != c[0] + c[1] + c[2]) {
        status = IngestJob.FAILED;
        failedUnreconciled++;
        System.err.printf("ingest: %s: %d records framed, but %d documents + %d skipped + %d quarantined: marked FAILED%n",
            f.path(), fileFramed, c[0], c[2], c[1]);
      }
      fileRows.add(RowFactory.create(f.path(), f.format().name().toLowerCase(java.util.Locale.ROOT), f.size(), f.modificationTime(),
          status, c[0], c[1], c[2], run.runId(), now));
    }
    // One row per path (the plan lists each file once): an append when none of them has a row yet, else a MERGE that updates theirs.
    Dataset<Row> rows = spark.createDataFrame(fileRows, FILES_SCHEMA);
    String filesPath = lake.path(Lake.INGEST_FILES);
    long fv = plan.recorded().isEmpty()
        ? DeltaTables.append(rows, filesPath)
        : DeltaTables.merge(rows, filesPath, DeltaTables.OnMatch.UPDATE, "path");
    run.wrote(Lake.INGEST_FILES, fv);
    return new long[] {failedUnreadable, failedUnreconciled};
  }

  /** Rows of {@code table} per {@code source_file}, for the files in {@code paths} (a small result: one row per file). */
  static Map<String, Long> rowsPerFile(Dataset<Row> table, Dataset<Row> paths) {
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
