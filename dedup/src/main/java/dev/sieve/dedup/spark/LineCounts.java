package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;

import dev.sieve.core.spark.DeltaTables;
import dev.sieve.dedup.DedupSettings;
import dev.sieve.dedup.LineHashes;
import io.delta.tables.DeltaTable;
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
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * The counting half of {@link LineDedup}: each new document's distinct normalised line hashes
 * ({@link DocLines}), their per-batch counts ({@link #batch}) and the idempotent MERGE of those
 * counts into {@code silver/line_counts} ({@link #COUNTS}).
 *
 * <p>The table has Delta deletion vectors ({@code delta.enableDeletionVectors}, set on tables
 * written before too): a batch's lines are spread over every file of the table (the hashes are
 * uniform), so a MERGE that rewrote each file holding a matched line rewrote the whole table on
 * every increment; with deletion vectors it marks the matched rows deleted and writes only the
 * updated and new rows.
 *
 * <p><b>Crash safety.</b> The counts MERGE is an idempotent Delta transaction (application id
 * {@value #TXN_APP_ID}, version from the {@code silver/filtered} and band index versions the run
 * read): a run killed after it and redone skips it, so no batch is ever counted twice.
 */
final class LineCounts {
  private LineCounts() {}

  /** Delta transaction application id of the counts MERGE. */
  static final String TXN_APP_ID = "sieve-dedup-line-counts";
  /** Characters of a line kept as its example in {@code silver/line_counts}. */
  static final int EXAMPLE_CHARS = 200;

  /**
   * {@code silver/line_counts}: {@code line_hash} (xxh3-64 of the normalised line), {@code doc_count}
   * (documents it occurs on), {@code domains} (its smallest distinct domains, sorted, at most
   * {@link DedupSettings.Lines#MAX_DOMAINS}), {@code domain_count} (size of {@code domains}: exact
   * below the cap), {@code example} (the smallest raw form seen, trimmed, at most
   * {@value #EXAMPLE_CHARS} characters) and {@code run_id} of the run that last changed the row.
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
        .agg(count(lit(1)).as("doc_count"), slice(array_sort(collect_set(col("domain"))), 1, DedupSettings.Lines.MAX_DOMAINS).as("domains"),
            min(col("example")).as("example"))
        .withColumn("domain_count", size(col("domains")))
        .withColumn("run_id", lit(runId))
        .select(Arrays.stream(COUNTS.fieldNames()).map(n -> col(n)).toArray(Column[]::new));
  }

  /**
   * Writes the batch's counts: MERGEd into the table (counts added, domain sets united and capped),
   * or with {@code --full} replacing it. The MERGE is an idempotent transaction: a redone run
   * whose batch was counted already skips it.
   *
   * @return the table's version after the write
   */
  static long write(SparkSession spark, Dataset<Row> batch, String path, boolean full, long filteredVersion, long indexVersion) {
    if (full) return DeltaTables.withDeletionVectors(spark, () -> DeltaTables.overwrite(batch, path));
    return mergeCounts(spark, batch, path, filteredVersion, indexVersion);
  }

  /**
   * The idempotent counts MERGE ({@link #COUNTS} rows of one batch): Delta skips it when the table
   * has a transaction of {@value #TXN_APP_ID} at this version or later, i.e. when the run that
   * read the same {@code silver/filtered} and band index versions counted its batch already.
   *
   * @return the table's version after it
   */
  static long mergeCounts(SparkSession spark, Dataset<Row> batch, String path, long filteredVersion, long indexVersion) {
    // Monotonic over the runs of a lake: silver/filtered only grows its version, and so does the index.
    long txnVersion = (filteredVersion << 24) + (indexVersion + 1);
    // (Before the transaction id is set: the property change is a commit of its own, not the counts'.)
    if (DeltaTables.exists(spark, path)) DeltaTables.enableDeletionVectors(spark, path);
    var conf = spark.conf();
    conf.set("spark.databricks.delta.write.txnAppId", TXN_APP_ID);
    conf.set("spark.databricks.delta.write.txnVersion", Long.toString(txnVersion));
    try {
      if (!DeltaTables.exists(spark, path)) {
        DeltaTables.withDeletionVectors(spark, () -> {
          batch.write().format("delta").option("txnAppId", TXN_APP_ID).option("txnVersion", txnVersion).save(path);
          return null;
        });
      } else {
        DeltaTable.forPath(spark, path).as("t").merge(batch.as("s"), "t.line_hash = s.line_hash")
            .whenMatched().updateExpr(Map.of(
                "doc_count", "t.doc_count + s.doc_count",
                "domains", "slice(array_sort(array_distinct(concat(t.domains, s.domains))), 1, " + DedupSettings.Lines.MAX_DOMAINS + ")",
                "domain_count", "size(slice(array_sort(array_distinct(concat(t.domains, s.domains))), 1, " + DedupSettings.Lines.MAX_DOMAINS + "))",
                "example", "least(t.example, s.example)",
                "run_id", "s.run_id"))
            .whenNotMatched().insertAll()
            .execute();
      }
    } finally {
      conf.unset("spark.databricks.delta.write.txnAppId");
      conf.unset("spark.databricks.delta.write.txnVersion");
    }
    return DeltaTables.version(spark, path);
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
