package dev.sieve.ingest.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.ingest.TestWarc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, "every document accounted for", on real Delta tables: records without a globally
 * unique key never merge by accident, repeated keys are quarantined or counted, reruns keep ids.
 */
class IngestIdentityTest {
  private final SparkSession spark = TestSpark.session();

  @TempDir
  Path dir;

  private IngestJob.Result ingest(Lake lake, String runId, Path in) {
    return IngestJob.run(spark, lake, SieveConfig.defaults(), runId, List.of(in.toString()));
  }

  private Map<String, Long> counts(Lake lake, String runId) {
    Row r = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("run_id = '" + runId + "' AND status = 'SUCCEEDED'").head();
    return new HashMap<>(r.getJavaMap(r.fieldIndex("counts")));
  }

  /** records framed = documents + skipped + quarantined, from the stage run's counts. */
  private static void assertReconciled(Map<String, Long> c) {
    long skipped = c.entrySet().stream().filter(e -> e.getKey().startsWith("skipped_")).mapToLong(Map.Entry::getValue).sum();
    assertEquals(c.get("records"), c.get("documents") + skipped + c.get("quarantined"), c.toString());
  }

  /** bronze/documents rows per file name (the last path segment; Parquet part files by their folder). */
  private Map<String, Long> rowsPerFile(Lake lake) {
    Map<String, Long> out = new HashMap<>();
    for (Row r : DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS)).groupBy("source_file").count().collectAsList()) {
      String[] parts = r.getString(0).split("/");
      String name = parts[parts.length - 1].endsWith(".parquet") ? parts[parts.length - 2] : parts[parts.length - 1];
      out.merge(name, r.getLong(1), Long::sum);
    }
    return out;
  }

  private Set<String> ids(Lake lake) {
    Set<String> s = new HashSet<>();
    for (Row r : DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS)).select("doc_id").collectAsList()) s.add(r.getString(0));
    return s;
  }

  private static String parts(int part) {
    StringBuilder sb = new StringBuilder();
    for (int id = 0; id < 3; id++) {
      sb.append("{\"id\": ").append(id).append(", \"text\": \"Part ").append(part).append(" holds record ").append(id)
          .append(", a sentence of its own about harbours and ships.\"}\n");
    }
    return sb.toString();
  }

  @Test
  void everyRecordWithoutAGlobalKeyIsItsOwnDocumentAndRerunsKeepTheIds() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("a.txt"), "alpha one\nalpha two\n");
    Files.writeString(in.resolve("b.txt"), "bravo one\nbravo two\n");
    StringBuilder wudao = new StringBuilder("{\"RECORDS\": [\n");
    for (int i = 0; i < 21; i++) {
      wudao.append(i == 0 ? "" : ",\n").append("{\"id\": ").append(i)
          .append(", \"uniqueKey\": \"\", \"titleUkey\": \"\", \"dataType\": \"\", \"title\": \"\", \"content\": \"第")
          .append(i).append("条记录：各条内容都不一样。\"}");
    }
    Files.writeString(in.resolve("empty-keys.json"), wudao.append("\n]}\n"), StandardCharsets.UTF_8);
    Files.writeString(in.resolve("part-0000.jsonl"), parts(0));
    Files.writeString(in.resolve("part-0001.jsonl"), parts(1));
    String nokey = "{\"text\": \"The same words in two files.\"}\n{\"id\": null, \"text\": \"The same words in two files.\"}\n"
        + "{\"id\": \"\", \"text\": \"Other words, also in both files.\"}\n";
    Files.writeString(in.resolve("nokey-1.jsonl"), nokey);
    Files.writeString(in.resolve("nokey-2.jsonl"), nokey);
    String keyless = "[\n{\"content\": \"同样的内容\"},\n{\"uniqueKey\": null, \"id\": null, \"content\": \"同样的内容\"},\n"
        + "{\"uniqueKey\": \"\", \"id\": \"\", \"content\": \"另外的内容\"}\n]";
    Files.writeString(in.resolve("keyless-1.json"), keyless, StandardCharsets.UTF_8);
    Files.writeString(in.resolve("keyless-2.json"), keyless, StandardCharsets.UTF_8);
    StructType textOnly = new StructType().add("text", "string");
    List<Row> pq = List.of(RowFactory.create("A Parquet row without an id column."), RowFactory.create("A second Parquet row."));
    spark.createDataFrame(pq, textOnly).coalesce(1).write().parquet(in.resolve("noid-1").toString());
    spark.createDataFrame(pq, textOnly).coalesce(1).write().parquet(in.resolve("noid-2").toString());

    Lake lake = new Lake(dir.resolve("lake").toString());
    IngestJob.Result r1 = ingest(lake, "id-1", in);
    Map<String, Long> perFile = rowsPerFile(lake);
    assertEquals(2L, perFile.get("a.txt"));
    assertEquals(2L, perFile.get("b.txt"));
    assertEquals(21L, perFile.get("empty-keys.json"));
    assertEquals(3L, perFile.get("part-0000.jsonl"));
    assertEquals(3L, perFile.get("part-0001.jsonl"));
    for (String f : List.of("nokey-1.jsonl", "nokey-2.jsonl", "keyless-1.json", "keyless-2.json")) assertEquals(3L, perFile.get(f), f);
    assertEquals(2L, perFile.get("noid-1"));
    assertEquals(2L, perFile.get("noid-2"));
    long expected = 4 + 21 + 6 + 12 + 4;
    assertEquals(expected, DeltaTables.count(spark, lake.path(Lake.BRONZE_DOCUMENTS)));
    assertEquals(expected, r1.documents());
    assertEquals(0, r1.quarantined());
    Map<String, Long> c1 = counts(lake, "id-1");
    assertReconciled(c1);
    assertEquals(expected, c1.get("records"));

    // A later run with a third part file numbered 0, 1, 2 again: nine distinct documents.
    Files.writeString(in.resolve("part-0002.jsonl"), parts(2));
    IngestJob.Result r2 = ingest(lake, "id-2", in);
    assertEquals(1, r2.filesRead());
    assertEquals(3, r2.documents());
    assertEquals(expected + 3, DeltaTables.count(spark, lake.path(Lake.BRONZE_DOCUMENTS)));
    assertEquals(3L, rowsPerFile(lake).get("part-0000.jsonl"), "part-0002 does not replace part-0000's documents");
    List<Row> partRows = DeltaTables.read(spark, lake.path(Lake.INGEST_FILES)).where("path LIKE '%part-000%.jsonl'")
        .select("status", "documents").collectAsList();
    assertEquals(3, partRows.size());
    for (Row p : partRows) {
      assertEquals("DONE", p.getString(0));
      assertEquals(3L, p.getLong(1));
    }
    assertEquals(3, DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS)).where("text LIKE 'Part 0 %'").count());
    assertEquals(9, DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS)).where("text LIKE 'Part %'").count());

    // Every file changed (touched): all are read again, replace their own documents, and keep their ids.
    Set<String> before = ids(lake);
    try (Stream<Path> s = Files.walk(in)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(p, FileTime.fromMillis(Files.getLastModifiedTime(p).toMillis() + 10_000));
      }
    }
    IngestJob.Result r3 = ingest(lake, "id-3", in);
    assertEquals(12, r3.filesRead());
    assertEquals(expected + 3, r3.documents());
    assertEquals(before, ids(lake), "rereading the same files gives the same ids");
    assertEquals(expected + 3, DeltaTables.count(spark, lake.path(Lake.BRONZE_DOCUMENTS)));
    Map<String, Long> c3 = counts(lake, "id-3");
    assertReconciled(c3);
    assertEquals(expected + 3, c3.get("documents_replaced"));
    assertTrue(c3.keySet().stream().noneMatch(k -> k.contains("duplicate")), "a re-read file is not a duplicate of itself: " + c3);
  }

  /**
   * Issue 15: the same corpus at another path (another clone, another machine) gives the same ids,
   * so its dedup survivors and token totals are the same too. File-scoped ids use the path under
   * the {@code --input} argument's parent ({@code corpus/sub/a.jsonl}), not the absolute path.
   */
  @Test
  void theSameCorpusInAnotherFolderGivesTheSameIds() throws Exception {
    Path pq = dir.resolve("pq");
    spark.createDataFrame(List.of(RowFactory.create("A Parquet row without an id column.")), new StructType().add("text", "string"))
        .coalesce(1).write().parquet(pq.toString());
    Set<String> first = null;
    for (Path base : List.of(dir.resolve("x"), dir.resolve("y/deeper/still"))) {
      Path in = Files.createDirectories(base.resolve("corpus/sub"));
      Files.writeString(in.resolve("a.txt"), "alpha one\nalpha two\n");
      Files.writeString(in.resolve("part-0000.jsonl"), parts(0));
      Files.writeString(in.resolve("nokey.jsonl"), "{\"text\": \"No key here.\"}\n{\"id\": \"\", \"text\": \"Nor here.\"}\n");
      Files.writeString(base.resolve("corpus/top.json"), "[{\"content\": \"没有键的记录\"}, {\"uniqueKey\": \"k1\", \"content\": \"有键的记录\"}]",
          StandardCharsets.UTF_8);
      // A copy of one Parquet folder (Spark names part files with a random UUID: written twice they would differ).
      Files.createDirectories(in.resolve("noid"));
      try (Stream<Path> s = Files.list(pq)) {
        for (Path f : s.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) Files.copy(f, in.resolve("noid").resolve(f.getFileName()));
      }
      Lake lake = new Lake(base.resolve("lake").toString());
      IngestJob.Result r = ingest(lake, first == null ? "moved-1" : "moved-2", base.resolve("corpus"));
      assertEquals(2 + 3 + 2 + 2 + 1, r.documents());
      Set<String> ids = ids(lake);
      if (first == null) {
        first = ids;
      } else {
        assertEquals(first, ids, "ids do not depend on where the corpus lies");
      }
    }
  }

  @Test
  void repeatedKeysAreQuarantinedOrCountedNeverMergedSilently() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    String first = "{\"id\": \"x\", \"text\": \"The first record under key x tells of rivers.\"}\n";
    Files.writeString(in.resolve("dupkey.jsonl"), first + "{\"id\": \"x\", \"text\": \"A different record that reuses key x.\"}\n");
    long repeatAt = first.getBytes(StandardCharsets.UTF_8).length;
    String same = "{\"id\": \"y\", \"text\": \"This record is repeated byte for byte.\"}\n";
    Files.writeString(in.resolve("duprec.jsonl"), same + same);
    String text = "This paragraph is the main text of the page and it is long enough to be kept by the boilerplate remover.";
    byte[] warc = new TestWarc().page("urn:uuid:00000000-0000-0000-0000-0000000000aa", "https://example.org/a", "A page", text).bytes();
    Files.write(in.resolve("copy-1.warc"), warc);
    Files.write(in.resolve("copy-2.warc"), warc);

    Lake lake = new Lake(dir.resolve("lake").toString());
    IngestJob.Result r1 = ingest(lake, "dup-1", in);
    assertEquals(3, r1.documents(), "x, y and the WARC page, once each");
    assertEquals(3, DeltaTables.count(spark, lake.path(Lake.BRONZE_DOCUMENTS)));
    assertEquals(1, r1.quarantined());
    assertEquals(2L, r1.skipped().get("duplicate_record"), "y repeated in its file, the page in a second WARC copy");
    Map<String, Long> c1 = counts(lake, "dup-1");
    assertReconciled(c1);
    assertEquals(1L, c1.get("quarantined_duplicate_key"));
    assertEquals(2L, c1.get("skipped_duplicate_record"));
    Row q = DeltaTables.read(spark, lake.path(Lake.QUARANTINE)).head();
    assertEquals("duplicate_key", q.getAs("error_kind"));
    assertTrue(q.<String>getAs("source_file").endsWith("dupkey.jsonl"));
    assertEquals(repeatAt, (long) q.<Long>getAs("source_offset"));
    String message = q.getAs("message");
    assertTrue(message.contains("dupkey.jsonl offset 0") && message.contains("dupkey.jsonl offset " + repeatAt), message);
    assertTrue(q.<String>getAs("snippet").startsWith("A different record"), q.<String>getAs("snippet"));
    assertTrue(DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS)).where("text LIKE '%rivers%'").count() == 1, "the first x is kept");

    // A later run: another copy of the WARC record (same record), and one with the same id but another text.
    Files.write(in.resolve("copy-3.warc"), warc);
    Files.write(in.resolve("copy-4.warc"), new TestWarc().page("urn:uuid:00000000-0000-0000-0000-0000000000aa", "https://example.org/a",
        "A page", "Somebody rewrote this page under the same record id, with quite different words in its paragraph.").bytes());
    IngestJob.Result r2 = ingest(lake, "dup-2", in);
    assertEquals(2, r2.filesRead());
    assertEquals(0, r2.documents());
    assertEquals(1L, r2.skipped().get("duplicate_record"));
    assertEquals(1, r2.quarantined());
    assertEquals(3, DeltaTables.count(spark, lake.path(Lake.BRONZE_DOCUMENTS)));
    Row q4 = DeltaTables.read(spark, lake.path(Lake.QUARANTINE)).where("source_file LIKE '%copy-4.warc'").head();
    assertEquals("duplicate_key", q4.getAs("error_kind"));
    assertTrue(q4.<String>getAs("message").contains("copy-1.warc offset 0 (in bronze/documents)"), q4.<String>getAs("message"));
    assertReconciled(counts(lake, "dup-2"));
    assertEquals(2, DeltaTables.count(spark, lake.path(Lake.QUARANTINE)), "dup-1's entry kept, copy-4's added");
    assertEquals(6, DeltaTables.count(spark, lake.path(Lake.INGEST_FILES)), "the 4 files of dup-1 and the 2 new ones, one row each");
    for (Row f : DeltaTables.read(spark, lake.path(Lake.INGEST_FILES)).select("path", "status").collectAsList()) {
      assertEquals("DONE", f.getString(1), f.getString(0));
    }
  }
}
