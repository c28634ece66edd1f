package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sum;

import dev.sieve.core.spark.DeltaTables;
import dev.sieve.dedup.DedupSettings;
import dev.sieve.dedup.LineHashes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * The counting half of {@link LineDedup}: each new document's distinct normalised line hashes
 * ({@link DocLines}), their per-batch counts ({@link #batch}), the batch appended to
 * {@code silver/line_counts} ({@link #COUNTS}) and the totals of the batch's lines read back
 * ({@link #totalsOf}).
 *
 * <p><b>Append, then add up.</b> A batch's lines are spread over every file of the table (the
 * hashes are uniform), so a MERGE that updated the counts in place read the whole table (all its
 * columns) on every increment, however small: on a 100,000-document lake, 14 s of a 90-document
 * increment's 18 s lines phase. Instead each run appends its batch (one row per distinct line of
 * the batch), and a line's count is the sum of its rows: a lookup reads only {@code line_hash} and
 * {@code doc_count} (and {@code domains} when {@code min_domains} is over 1). When the table holds
 * more than {@value #COMPACT_AT_FILES} files, the run that appended rewrites it as one row per line
 * ({@link #totals}), the same totals in one commit: a table of few files again, at the cost of one
 * rewrite every so many increments. {@code --full} writes the batch as the whole table.
 *
 * <p><b>Crash safety.</b> The append is an idempotent Delta transaction (application id
 * {@value #TXN_APP_ID}, version from the {@code silver/filtered} and band index versions the run
 * read): a run killed after it and redone skips it, so no batch is ever counted twice. The
 * compaction changes no total: killed before its commit, the table is as it was; after, the totals
 * are the same.
 */
final class LineCounts {
  private LineCounts() {}

  /** Delta transaction application id of the counts append. */
  static final String TXN_APP_ID = "sieve-dedup-line-counts";
  /** Characters of a line kept as its example in {@code silver/line_counts}. */
  static final int EXAMPLE_CHARS = 200;
  /** Files over which the appending run compacts {@code silver/line_counts} to one row per line. */
  static final int COMPACT_AT_FILES = 64;
  /** Rows per file an append writes at most (a small batch is one file, not one per shuffle partition). */
  static final long ROWS_PER_FILE = 1_000_000;

  /**
   * {@code silver/line_counts}, one row per (batch, distinct line of the batch) until compacted, one
   * row per line after: {@code line_hash} (xxh3-64 of the normalised line), {@code doc_count}
   * (documents of the batch it occurs on), {@code domains} (their smallest distinct domains, sorted,
   * at most {@link DedupSettings.Lines#MAX_DOMAINS}), {@code domain_count} (size of {@code domains}),
   * {@code example} (the smallest raw form seen, trimmed, at most {@value #EXAMPLE_CHARS} characters)
   * and {@code run_id} of the run that wrote the row. A line's totals are its rows added up:
   * {@code sum(doc_count)}, the union of {@code domains} (capped), {@code min(example)}
   * ({@link #totals}; in SQL, {@code GROUP BY line_hash}).
   */
  static final StructType COUNTS = new StructType()
      .add("line_hash", DataTypes.LongType, false)
      .add("doc_count", DataTypes.LongType, false)
      .add("domains", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("domain_count", DataTypes.IntegerType, false)
      .add("example", DataTypes.StringType, true)
      .add("run_id", DataTypes.StringType, true);

  /** One row per (document, distinct line): {@code doc_id, line_hash, domain, example}. */
  static final StructType DOC_LINES = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("line_hash", DataTypes.LongType, false)
      .add("domain", DataTypes.StringType, true)
      .add("example", DataTypes.StringType, true);

  /**
   * One batch's counts, {@link #COUNTS} rows: {@link #DOC_LINES} rows grouped by line hash, a
   * document counted once per line, the domains sorted and capped at
   * {@link DedupSettings.Lines#MAX_DOMAINS}.
   */
  static Dataset<Row> batch(Dataset<Row> docLines, String runId) {
    return docLines.groupBy(col("line_hash"))
        .agg(count(lit(1)).as("doc_count"), cappedDomains(collect_set(col("domain"))).as("domains"), min(col("example")).as("example"))
        .withColumn("domain_count", size(col("domains")))
        .withColumn("run_id", lit(runId))
        .select(Arrays.stream(COUNTS.fieldNames()).map(n -> col(n)).toArray(Column[]::new));
  }

  /** {@code domains} (an array of domains) sorted, without repeats, cut to {@link DedupSettings.Lines#MAX_DOMAINS}. */
  private static Column cappedDomains(Column domains) {
    return slice(array_sort(array_distinct(domains)), 1, DedupSettings.Lines.MAX_DOMAINS);
  }

  /**
   * {@code rows} ({@link #COUNTS} rows, a line possibly on several) added up to one row per line:
   * counts summed, domain sets united and capped, the smallest example, {@code run_id} = {@code runId}.
   */
  static Dataset<Row> totals(Dataset<Row> rows, String runId) {
    return rows.groupBy(col("line_hash"))
        .agg(sum(col("doc_count")).as("doc_count"), cappedDomains(flatten(collect_list(col("domains")))).as("domains"), min(col("example")).as("example"))
        .withColumn("domain_count", size(col("domains")))
        .withColumn("run_id", lit(runId))
        .select(Arrays.stream(COUNTS.fieldNames()).map(n -> col(n)).toArray(Column[]::new));
  }

  /**
   * The totals of {@code batch}'s lines in the table at {@code path} (the batch's own rows
   * included once it is written): {@code line_hash}, {@code doc_count}, {@code domain_count}
   * (null unless {@code withDomains}: reading the domain sets costs more than the counts) and
   * {@code batch_docs} (the batch's own {@code doc_count}).
   */
  static Dataset<Row> totalsOf(SparkSession spark, String path, Dataset<Row> batch, boolean withDomains) {
    Dataset<Row> keys = batch.select(col("line_hash"), col("doc_count").as("batch_docs"));
    Dataset<Row> rows = DeltaTables.read(spark, path).select(withDomains
        ? new Column[] {col("line_hash"), col("doc_count"), col("domains")}
        : new Column[] {col("line_hash"), col("doc_count")})
        .join(keys.select(col("line_hash")), "line_hash", "left_semi"); // Spark broadcasts a small batch itself, not a large one
    Dataset<Row> summed = rows.groupBy(col("line_hash")).agg(sum(col("doc_count")).as("doc_count"),
        (withDomains ? size(cappedDomains(flatten(collect_list(col("domains"))))) : lit(null).cast(DataTypes.IntegerType)).as("domain_count"));
    return summed.join(keys, "line_hash");
  }

  /**
   * Writes the batch's counts: appended to the table (an idempotent transaction: a redone run whose
   * batch was counted already skips it; the table compacted when it holds more than
   * {@value #COMPACT_AT_FILES} files), or with {@code --full} replacing it.
   *
   * @return the table's version after the write
   */
  static long write(SparkSession spark, Dataset<Row> batch, long rows, String path, boolean full, long filteredVersion, long indexVersion, String runId) {
    return write(spark, batch, rows, path, full, filteredVersion, indexVersion, runId, COMPACT_AT_FILES);
  }

  /** {@link #write} compacting over {@code compactAtFiles} files (tests). {@code rows}: the batch's rows. */
  static long write(SparkSession spark, Dataset<Row> batch, long rows, String path, boolean full, long filteredVersion, long indexVersion, String runId,
                    int compactAtFiles) {
    if (full) return DeltaTables.overwrite(batch, path);
    long v = appendCounts(spark, batch.coalesce((int) Math.min(Integer.MAX_VALUE, 1 + rows / ROWS_PER_FILE)), path, filteredVersion, indexVersion);
    return DeltaTables.files(spark, path) > compactAtFiles ? compact(spark, path, runId) : v;
  }

  /**
   * The idempotent counts append ({@link #COUNTS} rows of one batch): Delta skips it when the table
   * has a transaction of {@value #TXN_APP_ID} at this version or later, i.e. when the run that
   * read the same {@code silver/filtered} and band index versions counted its batch already.
   *
   * @return the table's version after it
   */
  static long appendCounts(SparkSession spark, Dataset<Row> batch, String path, long filteredVersion, long indexVersion) {
    // Monotonic over the runs of a lake: silver/filtered only grows its version, and so does the index.
    long txnVersion = (filteredVersion << 24) + (indexVersion + 1);
    batch.write().format("delta").mode(SaveMode.Append).option("txnAppId", TXN_APP_ID).option("txnVersion", txnVersion).save(path);
    return DeltaTables.version(spark, path);
  }

  /** Rewrites the table as one row per line ({@link #totals}), in one commit; returns the version after it. */
  static long compact(SparkSession spark, String path, String runId) {
    return DeltaTables.overwrite(totals(DeltaTables.read(spark, path), runId), path);
  }


  /** Executor side of the counting: each document's distinct line hashes with its domain and an example of each line. */
  static final class DocLines implements FlatMapFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final LongAccumulator read;

    DocLines(LongAccumulator read) {
      this.read = read;
    }

    @Override
    public Iterator<Row> call(Row r) {
      read.add(1);
      String id = r.getString(0), text = r.getString(1), domain = r.isNullAt(2) ? null : r.getString(2);
      Map<Long, String> seen = new HashMap<>();
      int start = 0;
      while (start <= text.length()) {
        int end = text.indexOf('\n', start);
        if (end < 0) end = text.length();
        String line = text.substring(start, end);
        long h = LineHashes.hash(line);
        if (h != LineHashes.NO_HASH) {
          String ex = line.strip();
          if (ex.length() > EXAMPLE_CHARS) ex = ex.substring(0, EXAMPLE_CHARS);
          seen.merge(h, ex, (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        start = end + 1;
      }
      List<Row> out = new ArrayList<>(seen.size());
      for (Map.Entry<Long, String> e : seen.entrySet()) out.add(RowFactory.create(id, e.getKey(), domain, e.getValue()));
      return out.iterator();
    }
  }
}
