package dev.sieve.ingest.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.DocIds;
import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.generate.GeneratedCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;

/** Ingest on real Delta tables: the generated corpus against its ground truth, reruns, new and changed files, bad input. */
class IngestJobTest {
  private final SparkSession spark = TestSpark.session();

  @TempDir
  static Path dir;
  static Path corpus;
  static List<JsonNode> truth = new ArrayList<>();

  @BeforeAll
  static void generate() throws IOException {
    GeneratedCorpus generated = GeneratedCorpus.cached(400, 77);
    corpus = generated.dir();
    truth.addAll(generated.truth().all());
  }

  private IngestJob.Result ingest(Lake lake, String runId, Path... inputs) {
    List<String> in = new ArrayList<>();
    for (Path p : inputs) in.add(p.toString());
    return IngestJob.run(spark, lake, SieveConfig.defaults(), runId, in);
  }

  @Test
  void generatedCorpusMatchesItsGroundTruthAndRerunsAddNothing() {
    Lake lake = new Lake(dir.resolve("lake1").toString());
    IngestJob.Result r = ingest(lake, "ingest-1", corpus);
    assertEquals(4, r.filesFound(), "the _ground-truth and _manifest files are left alone");
    assertEquals(0, r.quarantined());
    assertTrue(!DeltaTables.exists(spark, lake.path(Lake.QUARANTINE)) || DeltaTables.count(spark, lake.path(Lake.QUARANTINE)) == 0);

    // Every document is there but WARC pages with no main text (boilerplate-only pages, link lists).
    Map<String, JsonNode> docs = new HashMap<>();
    long expected = 0, nonHtml = 0;
    for (JsonNode n : truth) {
      switch (n.get("type").asText()) {
        case "doc" -> {
          docs.put(n.get("key").asText(), n);
          String q = n.get("quality").asText();
          boolean emptyPage = n.get("format").asText().equals("warc") && (q.equals("boilerplate_only") || q.equals("link_list"));
          if (!emptyPage) expected++;
        }
        case "non_html" -> nonHtml++;
        default -> { }
      }
    }
    List<Row> rows = DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS))
        .select("url", "metadata", "text", "language", "source", "run_id").collectAsList();
    assertEquals(expected, rows.size());
    assertEquals(expected, r.documents());
    assertEquals(nonHtml, r.skipped().get("non_html"));

    // Text: exact for JSONL, WuDao and WET; the HTML extractor must give back the article text of WARC pages.
    int exact = 0, warcExact = 0, warc = 0, langRight = 0, good = 0;
    for (Row row : rows) {
      Map<String, String> meta = row.getJavaMap(1);
      String key = meta.containsKey("unique_key") ? meta.get("unique_key") : row.getString(0);
      JsonNode d = docs.get(key);
      String text = row.getString(2);
      if (d.get("format").asText().equals("wet")) text = text.substring(text.indexOf('\n') + 1);
      boolean same = DocIds.sha256Hex(text).equals(d.get("text_sha256").asText());
      if (d.get("format").asText().equals("warc")) {
        warc++;
        if (same) warcExact++;
      } else if (same) {
        exact++;
      }
      if (d.get("quality").asText().equals("good")) {
        good++;
        if (d.get("lang").asText().equals(row.getString(3))) langRight++;
      }
      assertEquals("ingest-1", row.getString(5));
    }
    assertEquals(rows.size() - warc, exact, "JSONL, WuDao and WET texts are kept exactly");
    System.out.println("ingest test: WARC main text exact for " + warcExact + " of " + warc + " pages; language right for " + langRight + " of " + good);
    assertTrue(warcExact >= warc * 0.97, "WARC main text extracted exactly: " + warcExact + " of " + warc);
    assertTrue(langRight >= good * 0.99, "language of good documents: " + langRight + " of " + good);

    // A rerun reads nothing and leaves bronze/documents at the same version.
    long version = DeltaTables.version(spark, lake.path(Lake.BRONZE_DOCUMENTS));
    IngestJob.Result again = ingest(lake, "ingest-2", corpus);
    assertEquals(0, again.filesRead());
    assertEquals(4, again.filesUnchanged());
    assertEquals(version, DeltaTables.version(spark, lake.path(Lake.BRONZE_DOCUMENTS)));
    assertEquals(expected, DeltaTables.count(spark, lake.path(Lake.BRONZE_DOCUMENTS)));
    Row files = spark.read().format("delta").load(lake.path(Lake.INGEST_FILES)).where("format = 'warc'").head();
    assertEquals("DONE", files.getAs("status"));
    assertEquals("ingest-1", files.getAs("run_id"));
  }

  @Test
  void newFilesAreReadAndChangedFilesReplaceTheirDocuments() throws IOException {
    Lake lake = new Lake(dir.resolve("lake2").toString());
    Path in = Files.createDirectories(dir.resolve("incoming"));
    Path a = in.resolve("a.jsonl");
    Files.writeString(a, line("a1", "The first document of file a is about rivers and the towns that grew along them.")
        + line("a2", "The second document of file a is about bridges, ferries and the people who built them.")
        + line("a3", "The third document of file a is about floods and how cities learned to live with them."));
    assertEquals(3, ingest(lake, "r1", in).documents());

    Path b = in.resolve("b.jsonl");
    Files.writeString(b, line("b1", "File b arrives later with one document about mountain passes and old trade routes."));
    IngestJob.Result second = ingest(lake, "r2", in);
    assertEquals(1, second.filesRead());
    assertEquals(1, second.filesUnchanged());
    assertEquals(4, DeltaTables.count(spark, lake.path(Lake.BRONZE_DOCUMENTS)));

    // a.jsonl changes: a2 is rewritten, a3 is gone.
    Files.writeString(a, line("a1", "The first document of file a is about rivers and the towns that grew along them.")
        + line("a2", "The second document of file a now tells how the bridges were rebuilt after the war."));
    Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 5000));
    IngestJob.Result third = ingest(lake, "r3", in);
    assertEquals(1, third.filesRead());
    List<Row> rows = DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS)).orderBy("text").select("text", "run_id").collectAsList();
    assertEquals(3, rows.size());
    assertTrue(rows.stream().anyMatch(r -> r.getString(0).contains("rebuilt after the war") && r.getString(1).equals("r3")));
    assertTrue(rows.stream().noneMatch(r -> r.getString(0).contains("floods")));
    assertTrue(rows.stream().anyMatch(r -> r.getString(0).contains("mountain passes") && r.getString(1).equals("r2")));
  }

  @Test
  void aRunReadsTheListingItIsGivenAndNoOtherFile() throws IOException {
    Lake lake = new Lake(dir.resolve("lake-listed").toString());
    Path in = Files.createDirectories(dir.resolve("listed"));
    Files.writeString(in.resolve("a.jsonl"), line("la1", "File a of the listing test holds one document about lighthouses on rocky coasts.")
        + line("la2", "File a of the listing test holds a second document about the keepers of those lighthouses."));
    Files.writeString(in.resolve("b.jsonl"), line("lb1", "File b is in the folder but not in the listing, so no run may read it."));
    InputFiles.Listing all = InputFiles.list(spark.sparkContext().hadoopConfiguration(), List.of(in.toString()));
    assertEquals(2, all.files().size());
    InputFiles.Listing onlyA = new InputFiles.Listing(all.files().stream().filter(f -> f.path().endsWith("a.jsonl")).toList(), List.of());
    IngestJob.Result r = IngestJob.run(spark, lake, SieveConfig.defaults(), "listed-1", onlyA);
    assertEquals(1, r.filesFound());
    assertEquals(1, r.filesRead());
    assertEquals(2, r.documents());
    List<Row> rows = DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS)).select("source_file").distinct().collectAsList();
    assertEquals(1, rows.size());
    assertTrue(rows.get(0).getString(0).endsWith("a.jsonl"), rows.get(0).getString(0));
  }

  @Test
  void parquetRowsBecomeDocumentsAndAFileWithoutTextIsQuarantined() {
    Lake lake = new Lake(dir.resolve("lake4").toString());
    Path in = dir.resolve("parquet-in");
    spark.createDataFrame(List.of(
            org.apache.spark.sql.RowFactory.create("p1", "https://example.org/a", "Parquet rows become documents with their id and url."),
            org.apache.spark.sql.RowFactory.create("p2", null, "Der zweite Text ist deutsch und hat keine Adresse, aber eine Kennung.")),
        new org.apache.spark.sql.types.StructType().add("id", "string").add("url", "string").add("text", "string"))
        .coalesce(1).write().parquet(in.resolve("good").toString());
    spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("x", "no text column here")),
        new org.apache.spark.sql.types.StructType().add("id", "string").add("body", "string"))
        .coalesce(1).write().parquet(in.resolve("bad").toString());
    IngestJob.Result r = ingest(lake, "parquet-1", in);
    assertEquals(2, r.documents());
    assertEquals(1, r.quarantined());
    List<Row> rows = DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS)).orderBy("url").select("source", "url", "language", "domain")
        .collectAsList();
    assertEquals("parquet", rows.get(0).getString(0));
    assertEquals("de", rows.get(0).getString(2));
    assertEquals("https://example.org/a", rows.get(1).getString(1));
    assertEquals("example.org", rows.get(1).getString(3));
    Row q = DeltaTables.read(spark, lake.path(Lake.QUARANTINE)).head();
    assertEquals("missing_field", q.getAs("error_kind"));
    assertEquals(0, ingest(lake, "parquet-2", in).filesRead());
  }

  private static String line(String id, String text) {
    return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}\n";
  }

  @Test
  void badRecordsAreQuarantinedExactlyAndEveryGoodRecordIsKept() throws IOException {
    Lake clean = new Lake(dir.resolve("lake3-clean").toString());
    Path copy = dir.resolve("damaged");
    copyTree(corpus, copy);
    ingest(clean, "clean", copy);
    Map<String, List<Long>> cleanOffsets = offsetsByFile(clean);

    // 1. Cut the WARC file in the middle of its 5th HTML response.
    Path warc = single(copy.resolve("warc"));
    List<long[]> responses = htmlResponses(warc);
    long cutRecord = responses.get(4)[0];
    long cutAt = cutRecord + (responses.get(4)[1] - cutRecord) / 2;
    truncate(warc, cutAt);
    // 2. Cut the WuDao file in the middle of its 3rd record.
    Path wudao = single(copy.resolve("wudao"));
    byte[] w = Files.readAllBytes(wudao);
    int third = nthIndexOf(w, "\n{\"id\"", 3) + 1;
    truncate(wudao, third + 40);
    // 3. Put a line of garbage into the JSONL file, after its first line.
    Path jsonl = single(copy.resolve("jsonl"));
    List<String> lines = new ArrayList<>(Files.readAllLines(jsonl, StandardCharsets.UTF_8));
    lines.add(1, "{\"id\": \"broken\", \"text\": \"no closing");
    Files.write(jsonl, lines, StandardCharsets.UTF_8);

    Lake lake = new Lake(dir.resolve("lake3").toString());
    IngestJob.Result r = ingest(lake, "damaged", copy);
    List<Row> q = DeltaTables.read(spark, lake.path(Lake.QUARANTINE)).orderBy("source_file")
        .select("source_file", "source_offset", "error_kind", "snippet").collectAsList();
    assertEquals(3, q.size(), q.toString());
    assertEquals(3, r.quarantined());
    Map<String, Row> byFile = new HashMap<>();
    for (Row row : q) byFile.put(row.getString(0).replace("file:", ""), row);
    assertEquals("invalid_json", byFile.get(jsonl.toString()).getString(2));
    assertTrue(byFile.get(jsonl.toString()).getString(3).startsWith("{\"id\": \"broken\""));
    assertEquals("truncated", byFile.get(wudao.toString()).getString(2));
    assertEquals((long) third, byFile.get(wudao.toString()).getLong(1));
    assertEquals("truncated", byFile.get(warc.toString()).getString(2));
    assertEquals(cutRecord, byFile.get(warc.toString()).getLong(1));

    // Every good record is kept: all documents of untouched files, and those before the damage.
    Map<String, List<Long>> got = offsetsByFile(lake);
    for (Map.Entry<String, List<Long>> e : cleanOffsets.entrySet()) {
      String file = e.getKey();
      List<Long> expected = e.getValue();
      if (file.endsWith(warc.getFileName().toString())) expected = expected.stream().filter(o -> o < cutRecord).toList();
      if (file.endsWith(wudao.getFileName().toString())) expected = expected.stream().filter(o -> o < third).toList();
      if (file.endsWith(jsonl.getFileName().toString())) {
        assertEquals(expected.size(), got.get(file).size(), "every JSONL line but the garbage one");
        continue;
      }
      assertEquals(expected, got.get(file), file);
    }
    assertEquals(2, got.get(byFileKey(got, wudao)).size());
    // Each damaged file still adds up (records framed = documents + skipped + quarantined): DONE.
    for (Row f : DeltaTables.read(spark, lake.path(Lake.INGEST_FILES)).select("path", "status").collectAsList()) {
      assertEquals("DONE", f.getString(1), f.getString(0));
    }

    // More quarantine entries than a task carries to the driver: the run reads again in two passes, same tables.
    Lake twoPass = new Lake(dir.resolve("lake3-two-pass").toString());
    int cap = IngestTally.quarantineRowsMax;
    IngestTally.quarantineRowsMax = 0;
    IngestJob.Result r2;
    try {
      r2 = ingest(twoPass, "damaged", copy);
    } finally {
      IngestTally.quarantineRowsMax = cap;
    }
    assertEquals(r.quarantined(), r2.quarantined());
    assertEquals(r.documents(), r2.documents());
    assertEquals(r.skipped(), r2.skipped());
    assertEquals(q, DeltaTables.read(spark, twoPass.path(Lake.QUARANTINE)).orderBy("source_file")
        .select("source_file", "source_offset", "error_kind", "snippet").collectAsList());
    assertEquals(got, offsetsByFile(twoPass));
    // The read pass's uncommitted files were deleted: every data file in bronze's folder is in its log.
    try (Stream<Path> files = Files.list(Path.of(twoPass.path(Lake.BRONZE_DOCUMENTS)))) {
      List<String> inFolder = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".parquet")).sorted().toList();
      List<String> inLog = java.util.Arrays.stream(DeltaTables.read(spark, twoPass.path(Lake.BRONZE_DOCUMENTS)).inputFiles())
          .map(f -> f.substring(f.lastIndexOf('/') + 1)).sorted().toList();
      assertEquals(inLog, inFolder);
    }
  }

  private static String byFileKey(Map<String, List<Long>> m, Path p) {
    return m.keySet().stream().filter(k -> k.endsWith(p.getFileName().toString())).findFirst().orElseThrow();
  }

  private Map<String, List<Long>> offsetsByFile(Lake lake) {
    Map<String, List<Long>> out = new HashMap<>();
    for (Row r : DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS)).orderBy("source_file", "source_offset")
        .select("source_file", "source_offset").collectAsList()) {
      out.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getLong(1));
    }
    return out;
  }

  /** [start, next start) of each HTML response record. */
  private static List<long[]> htmlResponses(Path warc) throws IOException {
    List<long[]> out = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    List<Boolean> html = new ArrayList<>();
    try (WarcReader reader = new WarcReader(warc)) {
      for (WarcRecord rec : reader) {
        starts.add(reader.position());
        html.add(rec instanceof WarcResponse resp && resp.http().contentType().base().toString().equals("text/html"));
      }
    }
    starts.add(Files.size(warc));
    for (int i = 0; i < html.size(); i++) if (html.get(i)) out.add(new long[] {starts.get(i), starts.get(i + 1)});
    return out;
  }

  private static int nthIndexOf(byte[] data, String pattern, int n) {
    byte[] p = pattern.getBytes(StandardCharsets.UTF_8);
    int found = 0;
    outer:
    for (int i = 0; i <= data.length - p.length; i++) {
      for (int j = 0; j < p.length; j++) if (data[i + j] != p[j]) continue outer;
      if (++found == n) return i;
    }
    throw new IllegalStateException("pattern occurs fewer than " + n + " times");
  }

  private static void truncate(Path p, long size) throws IOException {
    try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  private static Path single(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      List<Path> files = s.toList();
      assertEquals(1, files.size(), folder.toString());
      return files.get(0);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
