package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.DocRows;
import dev.sieve.core.spark.StageRun;
import dev.sieve.dedup.DedupSettings;
import dev.sieve.dedup.LineHashes;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Dedup phase 0, {@code lines}: corpus-wide boilerplate-line removal, before MinHash (where CCNet
 * runs it). For the new documents only (those neither in the band index nor rejected by an
 * earlier dedup run):
 *
 * <ol>
 *   <li>the distinct normalised line hashes of each document ({@link LineHashes}), a line counted
 *       once per document;
 *   <li>their counts MERGEd into {@code silver/line_counts} ({@link #COUNTS}): old documents are
 *       never re-read, so the work grows with the new documents only;
 *   <li>the lines whose updated counts reach {@code dedup.lines.min_docs} documents from
 *       {@code min_domains} domains are removed from the new documents (joined per document, never
 *       collected to the driver);
 *   <li>a document that lost lines and has fewer than {@code min_chars} characters left goes to
 *       {@code silver/rejected} whole, with {@code stage = dedup}, {@code rule =}
 *       {@value #RULE_TOO_SHORT}, {@code value} = characters left, {@code threshold} = min_chars.
 * </ol>
 *
 * <p>The other new documents continue with their lines removed; {@code silver/deduped} carries
 * {@code line_chars_removed} (characters, UTF-16 units) per document.
 *
 * <p><b>Documents already in the lake</b> are not rewritten when one of their lines crosses the
 * threshold later: they were deduped, scrubbed and tokenized already, and rewriting them would
 * make every increment touch the whole lake. An increment therefore removes exactly what its
 * documents' lines count to at that moment (deterministic for a given order of increments), and
 * the run counts the lines that crossed the threshold with it ({@code lines_crossed}), whose older
 * copies stay. {@code sieve dedup --full} recounts everything and removes the lines from every
 * document, as CCNet does once per snapshot.
 *
 * <p><b>Crash safety.</b> The counts MERGE is an idempotent Delta transaction (application id
 * {@value #TXN_APP_ID}, version from the {@code silver/filtered} and band index versions the run
 * read): a run killed after it and redone skips it, so no batch is ever counted twice.
 */
final class LineDedup {
  private LineDedup() {}

  /** The rule a document left too short is rejected under. */
  static final String RULE_TOO_SHORT = "line_dedup_too_short";
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

  /** One row per document that loses lines. */
  static final StructType CLEANED = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("clean_text", DataTypes.StringType, false)
      .add("line_chars_removed", DataTypes.IntegerType, false)
      .add("lines_removed", DataTypes.IntegerType, false)
      .add("too_short", DataTypes.BooleanType, false);

  /**
   * What the phase did.
   *
   * @param filtered {@code silver/filtered} as the later phases see it: the new documents' text with
   *     their boilerplate lines removed, {@code line_chars_removed} added (0 for untouched ones),
   *     the documents rejected by line dedup (this run's and earlier ones) left out
   * @param docs new documents read (the batch, too-short ones included)
   * @param tooShort documents rejected as {@value #RULE_TOO_SHORT}
   * @param docsTouched documents that lost at least one line
   * @param linesRemoved lines removed in all
   * @param charsRemoved characters removed in all (too-short documents included)
   * @param hashesCounted distinct line hashes this batch added to the counts
   * @param pairsCounted (document, line hash) pairs counted: the increments' total
   * @param boilerplate distinct line hashes of the batch over the threshold
   * @param crossed of those, the ones this batch took over the document threshold
   */
  record Outcome(Dataset<Row> filtered, Dataset<Row> cleaned, long docs, long tooShort, long docsTouched, long linesRemoved,
                 long charsRemoved, long hashesCounted, long pairsCounted, long boilerplate, long crossed) implements AutoCloseable {
    @Override
    public void close() {
      if (cleaned != null) cleaned.unpersist();
    }
  }

  /**
   * Runs the phase.
   *
   * @param filtered the {@code silver/filtered} snapshot the run reads
   * @param oldIndex the stored band index, or null
   * @param filteredVersion the version of that snapshot (part of the counts' transaction version)
   */
  static Outcome run(StageRun run, DedupSettings settings, boolean full, Dataset<Row> filtered, long filteredVersion, Dataset<Row> oldIndex,
                     Phases phases) {
    DedupSettings.Lines s = settings.lines;
    String rejectedPath = run.lake().path(Lake.SILVER_REJECTED);
    Dataset<Row> rejectedBefore = null;
    run.output(Lake.SILVER_REJECTED);
    if (DeltaTables.exists(run.spark(), rejectedPath)) {
      if (full) {
        // --full: every document is new again, so are the earlier line-dedup rejections (the filter's stay).
        long n = DeltaTables.read(run.spark(), rejectedPath).where(col("stage").equalTo(DedupJob.STAGE)).count();
        if (n > 0) {
          DeltaTable.forPath(run.spark(), rejectedPath).delete(col("stage").equalTo(DedupJob.STAGE));
          run.wrote(Lake.SILVER_REJECTED, DeltaTables.version(run.spark(), rejectedPath));
        }
        run.gained(Lake.SILVER_REJECTED, -n);
      } else {
        rejectedBefore = DeltaTables.read(run.spark(), rejectedPath).where(col("stage").equalTo(DedupJob.STAGE)).select(col("doc_id"));
      }
    }
    if (!s.enabled) {
      Dataset<Row> view = filtered.withColumn("line_chars_removed", lit(0));
      if (rejectedBefore != null) view = view.join(rejectedBefore, "doc_id", "left_anti");
      return new Outcome(view, null, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
    phases.start("lines");
    Dataset<Row> fresh = filtered.select(col("doc_id"), col("text"), col("domain"));
    if (oldIndex != null) fresh = fresh.join(oldIndex.select(col("doc_id")), "doc_id", "left_anti");
    if (rejectedBefore != null) fresh = fresh.join(rejectedBefore, "doc_id", "left_anti");

    org.apache.spark.util.LongAccumulator read = run.spark().sparkContext().longAccumulator("dedup_line_docs");
    Dataset<Row> docLines = fresh.flatMap(new DocLines(read), ExpressionEncoder.apply(DOC_LINES)).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> cleaned = null;
    try {
      Dataset<Row> batch = docLines.groupBy(col("line_hash"))
          .agg(count(lit(1)).as("doc_count"), slice(array_sort(collect_set(col("domain"))), 1, DedupSettings.Lines.MAX_DOMAINS).as("domains"),
              min(col("example")).as("example"))
          .withColumn("domain_count", size(col("domains")))
          .withColumn("run_id", lit(run.runId()))
          .select(Arrays.stream(COUNTS.fieldNames()).map(n -> col(n)).toArray(Column[]::new))
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        Row t = batch.agg(count(lit(1)), coalesce(sum(col("doc_count")), lit(0L))).first();
        long hashesCounted = t.getLong(0), pairsCounted = t.getLong(1);
        String countsPath = run.lake().path(Lake.SILVER_LINE_COUNTS);
        long indexVersion = oldIndex == null ? -1 : DeltaTables.version(run.spark(), run.lake().path(Lake.SILVER_MINHASH_INDEX));
        run.output(Lake.SILVER_LINE_COUNTS); // measured, not checked: rows are updated as well as inserted
        if (hashesCounted > 0 || full) {
          run.wrote(Lake.SILVER_LINE_COUNTS, writeCounts(run, batch, countsPath, full, filteredVersion, indexVersion));
        }
        // The batch's lines over the threshold, by their counts after this batch (old documents' included).
        Dataset<Row> boilerplate = hashesCounted == 0 ? null : DeltaTables.read(run.spark(), countsPath)
            .select(col("line_hash"), col("doc_count"), col("domain_count"))
            .join(batch.select(col("line_hash"), col("doc_count").as("batch_docs")), "line_hash")
            .where(col("doc_count").geq(s.minDocs).and(col("domain_count").geq(s.minDomains)));
        long boilerplateCount = 0, crossed = 0;
        if (boilerplate != null) {
          Row b = boilerplate.agg(count(lit(1)), coalesce(sum(when(col("doc_count").minus(col("batch_docs")).lt(s.minDocs), 1).otherwise(0)), lit(0L)))
              .first();
          boilerplateCount = b.getLong(0);
          crossed = b.getLong(1);
        }
        long docs = read.value(); // counted as the batch's lines were (docLines is cached: read once)
        long tooShort = 0, touched = 0, lines = 0, chars = 0;
        if (boilerplateCount > 0) {
          Dataset<Row> drop = docLines.join(boilerplate.select(col("line_hash")), "line_hash")
              .groupBy(col("doc_id")).agg(collect_list(col("line_hash")).as("drop"));
          cleaned = fresh.join(drop, "doc_id").map(new RemoveLines(s.minChars), ExpressionEncoder.apply(CLEANED))
              .persist(StorageLevel.MEMORY_AND_DISK());
          Row c = cleaned.agg(count(lit(1)), sum(when(col("too_short"), 1).otherwise(0)), sum(col("lines_removed")),
              sum(col("line_chars_removed"))).first();
          touched = c.getLong(0);
          if (touched > 0) {
            tooShort = c.getLong(1);
            lines = c.getLong(2);
            chars = c.getLong(3);
          }
        }
        Dataset<Row> view = cleaned == null ? filtered.withColumn("line_chars_removed", lit(0)) : withCleanText(filtered, cleaned);
        if (rejectedBefore != null) view = view.join(rejectedBefore, "doc_id", "left_anti");
        if (tooShort > 0) {
          Dataset<Row> shortDocs = cleaned.where(col("too_short")).select(col("doc_id"), col("clean_text"));
          view = view.join(shortDocs.select(col("doc_id")), "doc_id", "left_anti");
          Dataset<Row> rejected = filtered.join(shortDocs, "doc_id")
              .withColumn("stage", lit(DedupJob.STAGE))
              .withColumn("rule", lit(RULE_TOO_SHORT))
              .withColumn("value", expr("cast(length(trim(clean_text)) as double)"))
              .withColumn("threshold", lit((double) s.minChars))
              .select(concat(docColumns(), col("stage"), col("rule"), col("value"), col("threshold"), col("quality_score")));
          run.wrote(Lake.SILVER_REJECTED, DeltaTables.merge(rejected, rejectedPath, DeltaTables.OnMatch.KEEP, "doc_id"));
        }
        run.gained(Lake.SILVER_REJECTED, tooShort);
        run.count("line_docs", docs);
        run.count("line_hashes_counted", hashesCounted);
        run.count("line_pairs_counted", pairsCounted);
        run.count("line_hashes_boilerplate", boilerplateCount);
        run.count("lines_crossed", crossed);
        run.count("line_docs_touched", touched);
        run.count("lines_removed", lines);
        run.count("line_chars_removed", chars);
        phases.done(docs + " new documents, " + hashesCounted + " distinct lines counted, " + lines + " lines (" + chars
            + " characters) removed from " + touched + " documents, " + tooShort + " left too short");
        return new Outcome(view, cleaned, docs, tooShort, touched, lines, chars, hashesCounted, pairsCounted, boilerplateCount, crossed);
      } finally {
        batch.unpersist();
      }
    } catch (RuntimeException | Error e) {
      if (cleaned != null) cleaned.unpersist();
      throw e;
    } finally {
      docLines.unpersist();
    }
  }

  /**
   * {@code filtered} with the cleaned text of the documents that lost lines and kept enough
   * ({@code too_short} false) and {@code line_chars_removed} (0 for every other document); the
   * columns in their order, the new one last.
   */
  private static Dataset<Row> withCleanText(Dataset<Row> filtered, Dataset<Row> cleaned) {
    Dataset<Row> repl = cleaned.where(col("too_short").equalTo(false))
        .select(col("doc_id").as("clean_id"), col("clean_text"), col("line_chars_removed").as("clean_removed"));
    Dataset<Row> j = filtered.join(repl, filtered.col("doc_id").equalTo(repl.col("clean_id")), "left");
    List<Column> cols = new ArrayList<>();
    for (String n : filtered.columns()) cols.add(n.equals("text") ? coalesce(col("clean_text"), col("text")).as("text") : col(n));
    cols.add(coalesce(col("clean_removed"), lit(0)).as("line_chars_removed"));
    return j.select(cols.toArray(Column[]::new));
  }

  /** The {@link DocRows#SCHEMA} columns, then the rejection's {@code stage, rule, value, threshold}. */
  private static Column[] docColumns() {
    return Arrays.stream(DocRows.SCHEMA.fieldNames()).map(n -> col(n)).toArray(Column[]::new);
  }

  private static Column[] concat(Column[] a, Column... b) {
    Column[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * Writes the batch's counts: MERGEd into the table (counts added, domain sets united and capped),
   * or with {@code --full} replacing it. The MERGE is an idempotent transaction: a redone run
   * whose batch was counted already skips it.
   */
  private static long writeCounts(StageRun run, Dataset<Row> batch, String path, boolean full, long filteredVersion, long indexVersion) {
    if (full) return DeltaTables.overwrite(batch, path);
    return mergeCounts(run.spark(), batch, path, filteredVersion, indexVersion);
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
    var conf = spark.conf();
    conf.set("spark.databricks.delta.write.txnAppId", TXN_APP_ID);
    conf.set("spark.databricks.delta.write.txnVersion", Long.toString(txnVersion));
    try {
      if (!DeltaTables.exists(spark, path)) {
        batch.write().format("delta").option("txnAppId", TXN_APP_ID).option("txnVersion", txnVersion).save(path);
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
    private final org.apache.spark.util.LongAccumulator read;

    DocLines(org.apache.spark.util.LongAccumulator read) {
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

  /** Executor side of the removal: {@code doc_id, text, domain, drop} → {@link #CLEANED}. */
  static final class RemoveLines implements MapFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final int minChars;

    RemoveLines(int minChars) {
      this.minChars = minChars;
    }

    @Override
    public Row call(Row r) {
      String text = r.getString(r.fieldIndex("text"));
      List<Long> drop = r.getList(r.fieldIndex("drop"));
      Set<Long> set = new HashSet<>(drop);
      LineHashes.Removal rm = LineHashes.removeLines(text, set::contains);
      boolean tooShort = rm.charsRemoved() > 0 && rm.text().strip().length() < minChars;
      return RowFactory.create(r.getString(r.fieldIndex("doc_id")), rm.text(), rm.charsRemoved(), rm.linesRemoved(), tooShort);
    }
  }
}
