package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.sieve.core.Conversation;
import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaIncrement;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.StageRun;
import dev.sieve.dedup.DedupSettings;
import dev.sieve.dedup.LineHashes;
import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.storage.StorageLevel;

/**
 * Dedup phase 0, {@code lines}: corpus-wide boilerplate-line removal, before MinHash (where CCNet
 * runs it). For the new documents only (those neither in the band index nor rejected by an
 * earlier dedup run):
 *
 * <ol>
 *   <li>the distinct normalised line hashes of each document ({@link LineHashes}), a line counted
 *       once per document;
 *   <li>their counts appended to {@code silver/line_counts} ({@link LineCounts#COUNTS}; a line's
 *       count is the sum of its rows): old documents are never re-read, nor are the counts
 *       rewritten, so the work grows with the new documents only;
 *   <li>the lines whose updated counts reach {@code dedup.lines.min_docs} documents from
 *       {@code min_domains} domains are removed from the new documents ({@link LineRemoval}, joined
 *       per document, never collected to the driver);
 *   <li>a document that lost lines and has fewer than {@code min_chars} characters left goes to
 *       {@code silver/rejected} whole, with {@code stage = dedup}, {@code rule =}
 *       {@value #RULE_TOO_SHORT}, {@code value} = characters left, {@code threshold} = min_chars.
 * </ol>
 *
 * <p>Conversations ({@link Conversation}, instruction records) are left out of the phase: their
 * lines are never counted nor removed.
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
 * <p><b>Crash safety.</b> The counts append is an idempotent Delta transaction (application id
 * {@value LineCounts#TXN_APP_ID}, version from the {@code silver/filtered} and band index versions the run
 * read): a run killed after it and redone skips it, so no batch is ever counted twice.
 */
final class LineDedup {
  private LineDedup() {}

  /** The rule a document left too short is rejected under. */
  static final String RULE_TOO_SHORT = "line_dedup_too_short";
  /**
   * What the phase did.
   *
   * @param filtered {@code silver/filtered} as the later phases see it: the new documents' text with
   *     their boilerplate lines removed, {@code line_chars_removed} added (0 for untouched ones),
   *     the documents rejected by line dedup (this run's and earlier ones) left out
   * @param fresh the rows of {@code filtered} that are new (in neither the band index nor rejected
   *     by line dedup): what the signature phase hashes, from {@code newDocs} without a re-read
   * @param newDocs the new documents' {@code silver/filtered} rows as read (cached: read once)
   * @param cleaned the documents that lost lines ({@link LineRemoval#CLEANED}, cached), or null
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
  record Outcome(Dataset<Row> filtered, Dataset<Row> fresh, Dataset<Row> newDocs, Dataset<Row> cleaned, long docs, long tooShort, long docsTouched, long linesRemoved,
                 long charsRemoved, long hashesCounted, long pairsCounted, long boilerplate, long crossed) implements AutoCloseable {
    @Override
    public void close() {
      if (cleaned != null) cleaned.unpersist();
      newDocs.unpersist();
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
    // The new documents, read once: neither in the index nor rejected by an earlier run's line dedup.
    // With an index, only what silver/filtered gained since the last run is read when it only gained
    // rows (and the index only gained rows since that run): DeltaIncrement, the same answer either way.
    Dataset<Row> newDocs = oldIndex == null ? filtered
        : DeltaIncrement.unprocessed(run, Lake.SILVER_FILTERED, filteredVersion, "doc_id", Lake.SILVER_MINHASH_INDEX);
    if (rejectedBefore != null) newDocs = newDocs.join(rejectedBefore, "doc_id", "left_anti");
    newDocs = newDocs.persist(StorageLevel.MEMORY_AND_DISK());
    if (!s.enabled) {
      Dataset<Row> view = filtered.withColumn("line_chars_removed", lit(0));
      if (rejectedBefore != null) view = view.join(rejectedBefore, "doc_id", "left_anti");
      return new Outcome(view, newDocs.withColumn("line_chars_removed", lit(0)), newDocs, null, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
    phases.start("lines");
    // Conversations (instruction records) are neither counted nor cleaned: their lines are turns, and a
    // short answer that many chats share ("Sure.", "Yes.") is no boilerplate; removing it would leave an empty turn.
    Dataset<Row> fresh = newDocs.where(col("metadata").getItem(Conversation.METADATA_KEY).isNull())
        .select(col("doc_id"), col("text"), col("domain"));

    org.apache.spark.util.LongAccumulator read = run.spark().sparkContext().longAccumulator("dedup_line_docs");
    Dataset<Row> docLines = fresh.flatMap(new LineCounts.DocLines(read), ExpressionEncoder.apply(LineCounts.DOC_LINES)).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> cleaned = null;
    try {
      Dataset<Row> batch = LineCounts.batch(docLines, run.runId()).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        // A line is boilerplate at min_docs documents (and min_domains domains, when that is over 1:
        // without a domain condition, documents without a domain count too).
        Column over = s.minDomains <= 1 ? col("doc_count").geq(s.minDocs) : col("doc_count").geq(s.minDocs).and(col("domain_count").geq(s.minDomains));
        Row t = batch.agg(count(lit(1)), coalesce(sum(col("doc_count")), lit(0L)), coalesce(sum(when(over, 1).otherwise(0)), lit(0L))).first();
        long hashesCounted = t.getLong(0), pairsCounted = t.getLong(1), batchOver = t.getLong(2);
        String countsPath = run.lake().path(Lake.SILVER_LINE_COUNTS);
        long indexVersion = oldIndex == null ? -1 : DeltaTables.version(run.spark(), run.lake().path(Lake.SILVER_MINHASH_INDEX));
        run.output(Lake.SILVER_LINE_COUNTS); // measured, not checked: a compaction removes rows, an append already counted (a redone run) adds none
        if (hashesCounted > 0 || full) {
          run.wrote(Lake.SILVER_LINE_COUNTS, LineCounts.write(run.spark(), batch, hashesCounted, countsPath, full, filteredVersion, indexVersion, run.runId()));
        }
        // The batch's lines over the threshold, by their counts after this batch (old documents' included).
        // (--full: the table is this batch's counts, no re-read.)
        // (No lines counted: line_counts may not exist yet, so nothing is read.)
        Dataset<Row> counted = hashesCounted == 0 ? null : full ? batch.select(col("line_hash"), col("doc_count"), col("domain_count"), col("doc_count").as("batch_docs"))
            : LineCounts.totalsOf(run.spark(), countsPath, batch, s.minDomains > 1);
        Dataset<Row> boilerplate = hashesCounted == 0 ? null : counted.where(over);
        long boilerplateCount = 0, crossed = 0;
        if (boilerplate != null && full) {
          boilerplateCount = batchOver; // the counts are the batch's: every line over the threshold crossed it now
          crossed = s.minDocs > 0 ? batchOver : 0;
        } else if (boilerplate != null) {
          Row b = boilerplate.agg(count(lit(1)), coalesce(sum(when(col("doc_count").minus(col("batch_docs")).lt(s.minDocs), 1).otherwise(0)), lit(0L)))
              .first();
          boilerplateCount = b.getLong(0);
          crossed = b.getLong(1);
        }
        long docs = read.value(); // counted as the batch's lines were (docLines is cached: read once)
        long tooShort = 0, touched = 0, lines = 0, chars = 0;
        if (boilerplateCount > 0) {
          cleaned = LineRemoval.clean(fresh, docLines, boilerplate, s.minChars).persist(StorageLevel.MEMORY_AND_DISK());
          Row c = cleaned.agg(count(lit(1)), sum(when(col("too_short"), 1).otherwise(0)), sum(col("lines_removed")),
              sum(col("line_chars_removed"))).first();
          touched = c.getLong(0);
          if (touched > 0) {
            tooShort = c.getLong(1);
            lines = c.getLong(2);
            chars = c.getLong(3);
          }
        }
        Dataset<Row> view = cleaned == null ? filtered.withColumn("line_chars_removed", lit(0)) : LineRemoval.withCleanText(filtered, cleaned);
        Dataset<Row> freshView = cleaned == null ? newDocs.withColumn("line_chars_removed", lit(0)) : LineRemoval.withCleanText(newDocs, cleaned);
        if (rejectedBefore != null) view = view.join(rejectedBefore, "doc_id", "left_anti");
        if (tooShort > 0) {
          Dataset<Row> shortDocs = cleaned.where(col("too_short")).select(col("doc_id"), col("clean_text"));
          view = view.join(shortDocs.select(col("doc_id")), "doc_id", "left_anti");
          freshView = freshView.join(shortDocs.select(col("doc_id")), "doc_id", "left_anti");
          Dataset<Row> rejected = LineRemoval.rejected(newDocs, shortDocs, DedupJob.STAGE, RULE_TOO_SHORT, s.minChars);
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
        phases.done(docs + " new documents, " + hashesCounted + " distinct lines counted, " + boilerplateCount + " of them boilerplate; "
            + lines + " line occurrences (" + chars + " characters) removed from " + touched + " documents, " + tooShort
            + " of those left too short");
        return new Outcome(view, freshView, newDocs, cleaned, docs, tooShort, touched, lines, chars, hashesCounted, pairsCounted, boilerplateCount, crossed);
      } finally {
        batch.unpersist();
      }
    } catch (RuntimeException | Error e) {
      if (cleaned != null) cleaned.unpersist();
      newDocs.unpersist();
      throw e;
    } finally {
      docLines.unpersist();
    }
  }
}
