package dev.sieve.dedup.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Doc;
import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.DocRows;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.dedup.LineHashes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Line dedup on crafted sites with known answers: the footer lines a site repeats are removed
 * exactly, pages left too short are rejected, an increment counts only its own lines, and the
 * ledger reconciles (every run goes through {@code Stage.run}, which fails on a mismatch).
 */
class LineDedupTest {
  private final SparkSession spark = TestSpark.session();

  static final List<String> FOOTER = List.of("© 2024 Example Shop Ltd. All rights reserved.", "Follow us on Facebook, Twitter and Instagram",
      "Privacy policy | Terms of use | Cookie settings");
  static final List<String> SHORT_FOOTER = List.of("Powered by TinyBlog 3.1", "Back to top", "Subscribe to our newsletter for weekly updates");

  private static final String[] WORDS = ("river mountain garden window paper coffee morning evening station market harbour bridge "
      + "teacher student doctor engine silver winter summer forest meadow castle village letter message number school city "
      + "orange yellow purple green blue quiet loud gentle rapid slow bright dark golden open closed simple careful early late "
      + "walks reads writes builds carries finds keeps leaves brings shows hears plays runs holds turns moves lives pays meets").split(" ");

  /** A paragraph of {@code lines} lines of random words: no two pages share a line or come near each other. */
  static String body(Random rnd, int lines, int wordsPerLine) {
    StringBuilder b = new StringBuilder();
    for (int l = 0; l < lines; l++) {
      if (l > 0) b.append('\n');
      for (int w = 0; w < wordsPerLine; w++) b.append(w == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
      b.append(" ").append(rnd.nextInt(1_000_000)).append('.');
    }
    return b.toString();
  }

  record Page(String id, String domain, String body, List<String> footer) {
    String text() {
      return footer.isEmpty() ? body : body + "\n" + String.join("\n", footer);
    }
  }

  static void write(SparkSession spark, Lake lake, List<Page> pages, SaveMode mode) {
    write(spark, lake, pages, mode, id -> Map.of());
  }

  static void write(SparkSession spark, Lake lake, List<Page> pages, SaveMode mode, java.util.function.Function<String, Map<String, String>> metadata) {
    List<Row> rows = new ArrayList<>();
    for (Page p : pages) {
      Doc doc = Doc.builder().docId(p.id()).source("test").url(p.domain() == null ? null : "https://" + p.domain() + "/" + p.id())
          .domain(p.domain()).language("en").metadata(metadata.apply(p.id()))
          .languageScore(1).text(p.text()).sourceOffset(0).runId("filter-test").build();
      Row r = DocRows.toRow(doc);
      Object[] values = new Object[r.length() + 2];
      for (int i = 0; i < r.length(); i++) values[i] = r.get(i);
      values[r.length()] = 0.5;
      values[r.length() + 1] = scala.collection.immutable.Map$.MODULE$.empty();
      rows.add(RowFactory.create(values));
    }
    spark.createDataFrame(rows, DedupJobTest.FILTERED).write().format("delta").mode(mode).save(lake.path(Lake.SILVER_FILTERED));
  }

  private Map<String, Row> deduped(Lake lake) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : DeltaTables.read(spark, lake.path(Lake.SILVER_DEDUPED)).select("doc_id", "text", "line_chars_removed").collectAsList()) {
      out.put(r.getString(0), r);
    }
    return out;
  }

  private Map<Long, Long> counts(Lake lake) {
    Map<Long, Long> out = new HashMap<>();
    // A line's count is the sum of its rows (one per batch that saw it, until the table is compacted).
    for (Row r : DeltaTables.read(spark, lake.path(Lake.SILVER_LINE_COUNTS)).groupBy("line_hash").agg(functions.sum("doc_count")).collectAsList()) {
      out.put(r.getLong(0), r.getLong(1));
    }
    return out;
  }

  /**
   * Documents without a domain (JSONL, WuDao, text lines) count toward a line's documents: with the
   * default {@code min_domains} of 1 there is no domain condition and their shared lines go; a
   * cross-site condition ({@code min_domains} 2) cannot be met by them.
   */
  @Test
  void linesOfDocumentsWithoutADomainAreRemovedUnlessCrossSiteLinesAreAskedFor(@TempDir Path dir) {
    Random rnd = new Random(11);
    List<Page> pages = new ArrayList<>();
    for (int i = 0; i < 30; i++) pages.add(new Page(String.format("wudao-%02d", i), null, body(rnd, 8, 9), FOOTER));
    Lake lake = new Lake(dir.resolve("lake").toString());
    write(spark, lake, pages, SaveMode.ErrorIfExists);
    DedupJob.Result r = DedupJob.run(spark, lake, SieveConfig.defaults(), "lines-nodomain-1", false);
    assertEquals(30, r.lines().docsTouched(), r.toString());
    assertEquals(90, r.lines().linesRemoved(), r.toString());
    Map<String, Row> deduped = deduped(lake);
    for (Page p : pages) assertEquals(p.body(), deduped.get(p.id()).getString(1), p.id());

    Lake crossSite = new Lake(dir.resolve("cross").toString());
    write(spark, crossSite, pages, SaveMode.ErrorIfExists);
    DedupJob.Result c = DedupJob.run(spark, crossSite, SieveConfig.parse("dedup:\n  lines:\n    min_domains: 2\n"), "lines-nodomain-2", false);
    assertEquals(0, c.lines().linesRemoved(), c.toString());
  }

  /** Conversations' lines are turns: never counted, never removed, however many chats share them. */
  @Test
  void conversationsAreLeftOutOfTheLinePhase(@TempDir Path dir) {
    Random rnd = new Random(13);
    List<Page> pages = new ArrayList<>();
    for (int i = 0; i < 30; i++) pages.add(new Page(String.format("chat-%02d", i), null, body(rnd, 8, 9), FOOTER));
    for (int i = 0; i < 30; i++) pages.add(new Page(String.format("page-%02d", i), null, body(rnd, 8, 9), FOOTER));
    Lake lake = new Lake(dir.resolve("lake").toString());
    write(spark, lake, pages, SaveMode.ErrorIfExists,
        id -> id.startsWith("chat") ? Map.of(dev.sieve.core.Conversation.METADATA_KEY, "chat") : Map.of());
    DedupJob.Result r = DedupJob.run(spark, lake, SieveConfig.defaults(), "lines-chat-1", false);
    assertEquals(30, r.lines().docsTouched(), r.toString());
    assertEquals(90, r.lines().linesRemoved(), r.toString());
    Map<String, Row> deduped = deduped(lake);
    for (Page p : pages) assertEquals(p.id().startsWith("chat") ? p.text() : p.body(), deduped.get(p.id()).getString(1), p.id());
  }

  @Test
  void siteFooterRemovedExactlyShortPagesRejectedIncrementCountsOnlyItsLines(@TempDir Path dir) {
    Random rnd = new Random(7);
    List<Page> pages = new ArrayList<>();
    // 50 pages of one shop sharing 3 footer lines; bodies of 8 lines (~ 500 characters), all different.
    for (int i = 0; i < 50; i++) pages.add(new Page(String.format("shop-%02d", i), "shop.example", body(rnd, 8, 9), FOOTER));
    // 25 short blog pages (2 body lines) with their own 3-line footer: too short once it goes.
    for (int i = 0; i < 25; i++) pages.add(new Page(String.format("blog-%02d", i), "blog.example", body(rnd, 2, 8), SHORT_FOOTER));
    // 40 pages of other sites without any shared line.
    for (int i = 0; i < 40; i++) pages.add(new Page(String.format("misc-%02d", i), "site" + i + ".example", body(rnd, 8, 9), List.of()));
    Lake lake = new Lake(dir.resolve("lake").toString());
    write(spark, lake, pages, SaveMode.ErrorIfExists);

    DedupJob.Result r = DedupJob.run(spark, lake, SieveConfig.defaults(), "lines-1", false);
    assertEquals(115, r.in());
    assertEquals(115, r.kept() + r.exactRemoved() + r.nearRemoved() + r.lines().tooShort());
    assertEquals(25, r.lines().tooShort(), r.toString());
    assertEquals(90, r.kept(), r.toString());
    assertEquals(75, r.lines().docsTouched());
    assertEquals(150 + 75, r.lines().linesRemoved());

    Map<String, Row> deduped = deduped(lake);
    assertEquals(90, deduped.size());
    long chars = 0;
    for (Page p : pages) {
      if (p.domain().equals("blog.example")) continue;
      Row row = deduped.get(p.id());
      assertEquals(p.body(), row.getString(1), p.id() + ": exactly the footer lines go, every other line stays");
      int removed = p.text().length() - p.body().length();
      assertEquals(removed, row.getInt(2));
      chars += removed;
    }
    for (Page p : pages) if (p.domain().equals("blog.example")) chars += p.text().length() - p.body().length();
    assertEquals(chars, r.lines().charsRemoved());

    List<Row> rejected = DeltaTables.read(spark, lake.path(Lake.SILVER_REJECTED)).select("doc_id", "stage", "rule", "value", "threshold", "text")
        .collectAsList();
    assertEquals(25, rejected.size());
    for (Row x : rejected) {
      assertTrue(x.getString(0).startsWith("blog-"));
      assertEquals("dedup", x.getString(1));
      assertEquals(LineDedup.RULE_TOO_SHORT, x.getString(2));
      assertTrue(x.getDouble(3) < 300 && x.getDouble(4) == 300, x.toString());
      assertTrue(x.getString(5).contains("Back to top"), "rejected whole, as the filter does");
    }
    Map<Long, Long> before = counts(lake);
    for (String f : FOOTER) assertEquals(50L, before.get(LineHashes.hash(f)));
    for (String f : SHORT_FOOTER) assertEquals(25L, before.get(LineHashes.hash(f)));

    // Nothing new: a no-op, nothing recounted, the rejected pages are not picked up again.
    DedupJob.Result again = DedupJob.run(spark, lake, SieveConfig.defaults(), "lines-2", false);
    assertEquals(0, again.in());
    assertEquals(before, counts(lake));

    // Increment: 100 new documents, 10 of them shop pages with the footer. Only their lines are counted.
    List<Page> inc = new ArrayList<>();
    for (int i = 0; i < 10; i++) inc.add(new Page(String.format("shop-new-%02d", i), "shop.example", body(rnd, 8, 9), FOOTER));
    for (int i = 0; i < 90; i++) inc.add(new Page(String.format("new-%02d", i), "new" + i + ".example", body(rnd, 8, 9), List.of()));
    write(spark, lake, inc, SaveMode.Append);
    DedupJob.Result n = DedupJob.run(spark, lake, SieveConfig.defaults(), "lines-3", false);
    assertEquals(100, n.in());
    assertEquals(100, n.lines().docs(), "the old documents are not read again");
    long pairs = 0;
    Set<Long> newHashes = new HashSet<>();
    for (Page p : inc) {
      long[] d = LineHashes.distinct(p.text());
      pairs += d.length;
      for (long h : d) newHashes.add(h);
    }
    assertEquals(newHashes.size(), n.lines().hashesCounted());
    Map<Long, Long> after = counts(lake);
    long delta = 0;
    for (Map.Entry<Long, Long> e : after.entrySet()) delta += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    assertEquals(pairs, delta, "the counts grew by the new documents' (document, line) pairs, nothing else");
    for (Map.Entry<Long, Long> e : before.entrySet()) {
      if (!newHashes.contains(e.getKey())) assertEquals(e.getValue(), after.get(e.getKey()), "an old line no new document has is untouched");
    }
    for (String f : FOOTER) assertEquals(60L, after.get(LineHashes.hash(f)));
    // The increment appended one row per distinct line of its batch: no file of the table was read back or rewritten.
    Row append = io.delta.tables.DeltaTable.forPath(spark, lake.path(Lake.SILVER_LINE_COUNTS)).history(1)
        .select("operation", "operationParameters", "operationMetrics").first();
    assertEquals("WRITE", append.getString(0));
    assertEquals("Append", append.<String, String>getJavaMap(1).get("mode"));
    assertEquals("1", append.<String, String>getJavaMap(2).get("numFiles"), "a small batch is one file");
    assertEquals(String.valueOf(newHashes.size()), append.<String, String>getJavaMap(2).get("numOutputRows"));
    Map<String, Row> d2 = deduped(lake);
    for (Page p : inc) assertEquals(p.body(), d2.get(p.id()).getString(1));
    assertEquals(30, n.lines().linesRemoved());
  }

  @Test
  void countsMergeIsIdempotentPerBatch(@TempDir Path dir) {
    Random rnd = new Random(3);
    List<Page> pages = new ArrayList<>();
    for (int i = 0; i < 30; i++) pages.add(new Page("p" + i, "a.example", body(rnd, 6, 9), FOOTER));
    Lake lake = new Lake(dir.resolve("lake").toString());
    write(spark, lake, pages, SaveMode.ErrorIfExists);
    DedupJob.run(spark, lake, SieveConfig.defaults(), "first", false);
    Map<Long, Long> once = counts(lake);
    // The same batch again, as a run killed after its counts MERGE and redone would write it: skipped.
    var batch = DeltaTables.read(spark, lake.path(Lake.SILVER_LINE_COUNTS));
    long v = DeltaTables.version(spark, lake.path(Lake.SILVER_LINE_COUNTS));
    String path = lake.path(Lake.SILVER_LINE_COUNTS);
    LineCounts.appendCounts(spark, batch.localCheckpoint(), path, 0, -1);
    assertEquals(v, DeltaTables.version(spark, path), "a batch already counted is not counted again");
    assertEquals(once, counts(lake));
    LineCounts.appendCounts(spark, batch.localCheckpoint(), path, 1, -1);
    for (String f : FOOTER) assertEquals(60L, counts(lake).get(LineHashes.hash(f)), "a later batch is");
    Map<Long, Long> twice = counts(lake);
    assertEquals(2L * once.size(), DeltaTables.read(spark, path).count(), "one row per line per batch until compacted");

    // Over the file limit, the appending run compacts: one row per line, the same totals, domains united.
    long files = DeltaTables.files(spark, path);
    long before = DeltaTables.version(spark, path);
    long after = LineCounts.write(spark, batch.localCheckpoint(), once.size(), path, false, 2, -1, "compacting", (int) files);
    assertEquals(before + 2, after, "the append, then the compaction");
    Map<Long, Long> thrice = counts(lake);
    for (Map.Entry<Long, Long> e : once.entrySet()) assertEquals(3 * e.getValue(), thrice.get(e.getKey()), "the totals survive compaction");
    assertEquals(once.size(), DeltaTables.read(spark, path).count(), "one row per line after compaction");
    Row footer = DeltaTables.read(spark, path).where(functions.col("line_hash").equalTo(LineHashes.hash(FOOTER.get(0)))).first();
    assertEquals(List.of("a.example"), footer.getList(footer.fieldIndex("domains")));
    assertEquals(1, footer.getInt(footer.fieldIndex("domain_count")));
    assertEquals("compacting", footer.getString(footer.fieldIndex("run_id")));
    assertEquals(twice.keySet(), thrice.keySet());
  }
}
