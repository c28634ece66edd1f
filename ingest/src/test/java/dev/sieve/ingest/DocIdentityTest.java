package dev.sieve.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.DocIds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Document identity (issue 13): a record without a natural unique key is identified by its file
 * and position, a per-file key is scoped by its file, and WARC keeps URL + WARC-Record-ID. And
 * every reader frames each record into exactly one outcome ({@link RecordReader#framed()}).
 */
class DocIdentityTest {
  @TempDir
  Path dir;

  /** What one read of a file gave: the ids of its documents in order, every record, and the framed count. */
  record Read(List<String> ids, List<IngestRecord> records, long framed) {}

  static Read read(InputFormat format, Path file) throws Exception {
    List<String> ids = new ArrayList<>();
    List<IngestRecord> all = new ArrayList<>();
    long framed;
    try (RecordReader r = Readers.open(format, RecordSource.of(file), new IngestSettings())) {
      while (r.hasNext()) {
        IngestRecord rec = r.next();
        all.add(rec);
        if (rec instanceof IngestRecord.Parsed p) ids.add(DocAssembler.docId(p.doc()));
      }
      framed = r.framed();
    }
    assertEquals(all.size(), framed, "every framed record of " + file.getFileName() + " has one outcome: " + BadInputTest.summary(all));
    return new Read(ids, all, framed);
  }

  private Path write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static Set<String> union(List<String>... lists) {
    Set<String> s = new HashSet<>();
    for (List<String> l : lists) s.addAll(l);
    return s;
  }

  @Test
  void twoTextFilesGiveFourDocumentsAndTheSameIdsWhenReadAgain() throws Exception {
    Path a = write("a.txt", "alpha one\nalpha two\n");
    Path b = write("b.txt", "bravo one\nbravo two\n");
    Read ra = read(InputFormat.TEXT, a);
    Read rb = read(InputFormat.TEXT, b);
    assertEquals(2, ra.ids().size());
    assertEquals(4, union(ra.ids(), rb.ids()).size(), "line 0 of a.txt and line 0 of b.txt are two documents");
    assertEquals(ra.ids(), read(InputFormat.TEXT, a).ids(), "rereading a file gives the same ids");
  }

  @Test
  void wudaoRecordsWithAnEmptyUniqueKeyAreKeyedByTheirIds() throws Exception {
    StringBuilder sb = new StringBuilder("{\"RECORDS\": [\n");
    for (int i = 0; i < 21; i++) {
      if (i > 0) sb.append(",\n");
      sb.append("{\"id\": ").append(i).append(", \"uniqueKey\": \"\", \"titleUkey\": \"\", \"dataType\": \"\", \"title\": \"\", ")
          .append("\"content\": \"第").append(i).append("条记录的内容各不相同。\"}");
    }
    Path f = write("empty-keys.json", sb.append("\n]}\n").toString());
    Read r = read(InputFormat.WUDAO, f);
    assertEquals(21, r.ids().size());
    assertEquals(21, new HashSet<>(r.ids()).size(), "21 records with uniqueKey \"\" are 21 documents");
  }

  @Test
  void jsonlIdsAreScopedByTheirFile() throws Exception {
    List<String> all = new ArrayList<>();
    for (int part = 0; part < 3; part++) {
      StringBuilder sb = new StringBuilder();
      for (int id = 0; id < 3; id++) sb.append("{\"id\": ").append(id).append(", \"text\": \"part ").append(part).append(" record ").append(id).append("\"}\n");
      all.addAll(read(InputFormat.JSONL, write(String.format("part-%04d.jsonl", part), sb.toString())).ids());
    }
    assertEquals(9, all.size());
    assertEquals(9, new HashSet<>(all).size(), "ids 0, 1, 2 in three part files are nine documents");
  }

  @Test
  void keylessRecordsAreIdentifiedByFileAndPosition() throws Exception {
    // JSONL: no id field, a null id, an empty id; two files with identical contents.
    String jsonl = "{\"text\": \"same words\"}\n{\"id\": null, \"text\": \"same words\"}\n{\"id\": \"\", \"text\": \"same words\"}\n";
    Read j1 = read(InputFormat.JSONL, write("nokey-1.jsonl", jsonl));
    Read j2 = read(InputFormat.JSONL, write("nokey-2.jsonl", jsonl));
    assertEquals(6, union(j1.ids(), j2.ids()).size());
    // WuDao JSON: the key missing, null, empty (uniqueKey and id).
    String wudao = "[\n{\"content\": \"同样的内容\"},\n{\"uniqueKey\": null, \"id\": null, \"content\": \"同样的内容\"},\n"
        + "{\"uniqueKey\": \"\", \"id\": \"\", \"content\": \"同样的内容\"}\n]";
    Read w1 = read(InputFormat.WUDAO, write("nokey-1.json", wudao));
    Read w2 = read(InputFormat.WUDAO, write("nokey-2.json", wudao));
    assertEquals(6, union(w1.ids(), w2.ids()).size());
    // Parquet without an id column: the reader gives no key and the row position as offset.
    RawDoc p1 = new RawDoc("parquet", null, null, "", null, "same words", null, "file:/in/one.parquet", 0, null);
    RawDoc p2 = new RawDoc("parquet", null, null, "", null, "same words", null, "file:/in/two.parquet", 0, null);
    RawDoc p1b = new RawDoc("parquet", null, null, "", null, "same words", null, "file:/in/one.parquet", 1, null);
    assertEquals(3, Set.of(DocAssembler.docId(p1), DocAssembler.docId(p2), DocAssembler.docId(p1b)).size());
    // Reruns: the same ids.
    assertEquals(j1.ids(), read(InputFormat.JSONL, dir.resolve("nokey-1.jsonl")).ids());
    assertEquals(w2.ids(), read(InputFormat.WUDAO, dir.resolve("nokey-2.json")).ids());
  }

  @Test
  void aRepeatedKeyInOneFileIsOneIdForTheJobToResolve() throws Exception {
    Read r = read(InputFormat.JSONL, write("rep.jsonl", "{\"id\": \"x\", \"text\": \"first\"}\n{\"id\": \"x\", \"text\": \"second\"}\n"));
    assertEquals(2, r.ids().size());
    assertEquals(r.ids().get(0), r.ids().get(1), "the same key in one file is the same document: IngestJob quarantines the repeat");
  }

  @Test
  void warcKeepsUrlAndRecordIdAcrossFiles() throws Exception {
    byte[] warc = new TestWarc().warcinfo("urn:uuid:00000000-0000-0000-0000-000000000001")
        .request("urn:uuid:00000000-0000-0000-0000-000000000002", "https://example.org/a")
        .page("urn:uuid:00000000-0000-0000-0000-000000000003", "https://example.org/a", "A page",
            "This paragraph is the main text of the page and it is long enough to be kept by the boilerplate remover.")
        .bytes();
    Path c1 = Files.write(dir.resolve("copy-1.warc"), warc);
    Path c2 = Files.write(dir.resolve("copy-2.warc"), warc);
    Read r1 = read(InputFormat.WARC, c1);
    Read r2 = read(InputFormat.WARC, c2);
    assertEquals(List.of("skip:warc_warcinfo", "skip:warc_request"), BadInputTest.summary(r1.records()).subList(0, 2));
    assertEquals(3, r1.framed());
    assertEquals(1, r1.ids().size(), BadInputTest.summary(r1.records()).toString());
    RawDoc page = ((IngestRecord.Parsed) r1.records().get(2)).doc();
    assertEquals(DocIds.of("commoncrawl", Urls.normalize("https://example.org/a"), page.recordId()), r1.ids().get(0),
        "the id is source, URL and WARC-Record-ID: not the file");
    assertTrue(page.recordId().contains("00000000-0000-0000-0000-000000000003"), page.recordId());
    assertEquals(r1.ids(), r2.ids(), "two copies of one WARC record are one document (IngestJob counts the repeat)");
  }

  @Test
  void everyFramedRecordHasOneOutcome() throws Exception {
    // Blank lines are skipped with a reason, not passed over.
    Read t = read(InputFormat.TEXT, write("blank.txt", "one\n\n  \ntwo\n"));
    assertEquals(List.of("doc:null@0", "skip:blank_line", "skip:blank_line", "doc:null@8"), BadInputTest.summary(t.records()));
    // A WuDao object without a RECORDS array, and a file that is not JSON at all, are quarantined, not read as empty.
    Read noRecords = read(InputFormat.WUDAO, write("norecords.json", "{\"data\": [{\"content\": \"x\"}]}"));
    assertEquals(List.of("bad:missing_field@0"), BadInputTest.summary(noRecords.records()));
    Read notJson = read(InputFormat.WUDAO, write("notjson.json", "this is not json at all\n"));
    assertEquals(List.of("bad:invalid_json@0"), BadInputTest.summary(notJson.records()));
    // Garbage between records: one quarantine entry, and the records around it.
    Read mid = read(InputFormat.WUDAO, write("mid.json",
        "[\n{\"id\":1,\"content\":\"一\"},\n{\"id\":2,\"content\":\"二\" oops},\n{\"id\":3,\"content\":\"三\"}\n]"));
    assertEquals(3, mid.framed());
    assertTrue(BadInputTest.summary(mid.records()).get(1).startsWith("bad:invalid_json@"));
    // A WARC file cut inside a record.
    byte[] warc = new TestWarc().page("urn:uuid:1", "https://example.org/x", "X",
            "A first page with enough words in its one paragraph to count as the main text of the page.")
        .page("urn:uuid:2", "https://example.org/y", "Y",
            "A second page with enough words in its one paragraph to count as the main text of the page.").bytes();
    Path cut = Files.write(dir.resolve("cut.warc"), java.util.Arrays.copyOf(warc, warc.length - 60));
    Read c = read(InputFormat.WARC, cut);
    assertEquals(1, c.ids().size(), BadInputTest.summary(c.records()).toString());
    assertTrue(c.records().stream().anyMatch(x -> x instanceof IngestRecord.Quarantined), BadInputTest.summary(c.records()).toString());
    // The JSONL file of BadInputTest: docs, bad lines and a blank line, all framed.
    assertNotEquals(0, read(InputFormat.JSONL, write("j.jsonl", "{\"id\":\"a\",\"text\":\"first\"}\nnot json\n\n")).framed());
  }
}
