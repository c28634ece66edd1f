package dev.sieve.ingest.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.DocIds;
import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.ingest.InputFormat;
import dev.sieve.ingest.RecordSource;
import dev.sieve.ingest.TestWarc;
import dev.sieve.ingest.WarcRecordReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-member gzip WARC read by several tasks ({@code ingest.split_bytes}) gives exactly what
 * one task reading it whole gives: the same documents with the same ids, the same skips and
 * quarantine entries, a DONE file; and a run that died after writing bronze but before recording
 * the file is finished by a rerun that replaces, not duplicates.
 */
class SplitWarcTest {
  private static final int PAGES = 240;
  private static final int BROKEN_AT = 150;
  private final SparkSession spark = TestSpark.session();

  @TempDir
  static Path dir;
  static Path input;
  static Path warc;

  /** warcinfo, then request + response per page, one gzip member per record, one member of garbage after page {@value #BROKEN_AT}. */
  @BeforeAll
  static void write() throws IOException {
    input = dir.resolve("in");
    Files.createDirectories(input);
    warc = input.resolve("big.warc.gz");
    Random rnd = new Random(7);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(gzip(new TestWarc().warcinfo("urn:uuid:info").bytes()));
    for (int i = 0; i < PAGES; i++) {
      String url = "http://site" + (i % 17) + ".example.org/page/" + i;
      file.writeBytes(gzip(new TestWarc().request("urn:uuid:req-" + i, url).bytes()));
      file.writeBytes(gzip(new TestWarc().page("urn:uuid:page-" + i, url, "Page " + i, words(rnd, 400)).bytes()));
      if (i == BROKEN_AT) {
        byte[] junk = gzip(new TestWarc().page("urn:uuid:junk", url, "junk", words(rnd, 50)).bytes());
        for (int k = 20; k < junk.length; k++) junk[k] = (byte) rnd.nextInt(256);   // a member whose data is corrupt
        file.writeBytes(junk);
      }
    }
    Files.write(warc, file.toByteArray());
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(out)) {
      g.write(b);
    }
    return out.toByteArray();
  }

  private static String words(Random rnd, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append(' ');
      int len = 2 + rnd.nextInt(8);
      for (int k = 0; k < len; k++) sb.append((char) ('a' + rnd.nextInt(26)));
    }
    return sb.toString();
  }

  private IngestJob.Result ingest(Lake lake, String runId, long splitBytes) {
    SieveConfig config = SieveConfig.parse("ingest:\n  split_bytes: " + splitBytes + "\n");
    return IngestJob.run(spark, lake, config, runId, List.of(input.toString()));
  }

  private Set<String> ids(Lake lake) {
    return DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS)).select("doc_id").collectAsList().stream()
        .map(r -> r.getString(0)).collect(Collectors.toCollection(TreeSet::new));
  }

  private List<String> quarantine(Lake lake) {
    return DeltaTables.read(spark, lake.path(Lake.QUARANTINE)).orderBy("source_offset")
        .select("source_offset", "error_kind").collectAsList().stream().map(Row::toString).toList();
  }

  @Test
  void splitsAgreeOnBoundariesAndEveryRecordIsReadOnce() throws IOException {
    long size = Files.size(warc);
    int count = 7;
    FileSplit[] splits = FileSplit.of(List.of(new InputFile(warc.toString(), warc.getFileName().toString(), size, 0, InputFormat.WARC)), (size + count - 1) / count)
        .toArray(FileSplit[]::new);
    assertEquals(count, splits.length);
    long previousEnd = 0;
    for (int i = 1; i < count; i++) {
      long b = WarcRecordReader.memberStartAtOrAfter(RecordSource.of(warc), splits[i].nominalStart());
      assertTrue(b >= splits[i].nominalStart() && b > previousEnd, "boundary " + i + " at " + b);
      previousEnd = b;
    }
    assertEquals(-1, WarcRecordReader.memberStartAtOrAfter(RecordSource.of(warc), size));
  }

  @Test
  void aFileReadInSplitsGivesWhatReadingItWholeGives() throws IOException {
    long size = Files.size(warc);
    long splitBytes = 64 * 1024;
    assertTrue(size > 4 * splitBytes, "the file is split into several tasks: " + size + " bytes");

    Lake whole = new Lake(dir.resolve("whole").toString());
    IngestJob.Result w = ingest(whole, "whole", size * 2);
    Lake split = new Lake(dir.resolve("split").toString());
    IngestJob.Result s = ingest(split, "split", splitBytes);

    // Exact counts: every page a document, every request and the warcinfo skipped, the corrupt member quarantined.
    assertEquals(PAGES, s.documents());
    assertEquals(Map.of("warc_request", (long) PAGES, "warc_warcinfo", 1L), s.skipped());
    assertEquals(1, s.quarantined());
    assertEquals(w.documents(), s.documents());
    assertEquals(w.skipped(), s.skipped());
    assertEquals(w.quarantined(), s.quarantined());
    assertEquals(quarantine(whole), quarantine(split));

    // The same ids: WARC identity is (source, URL, WARC-Record-ID), whichever task read the record.
    Set<String> expected = new TreeSet<>();
    for (int i = 0; i < PAGES; i++) {
      expected.add(DocIds.of("commoncrawl", "http://site" + (i % 17) + ".example.org/page/" + i, "urn:uuid:page-" + i));
    }
    assertEquals(expected, ids(split));
    assertEquals(expected, ids(whole));
    List<Row> offsets = DeltaTables.read(spark, split.path(Lake.BRONZE_DOCUMENTS)).orderBy("source_offset")
        .select("source_offset").collectAsList();
    assertEquals(DeltaTables.read(spark, whole.path(Lake.BRONZE_DOCUMENTS)).orderBy("source_offset").select("source_offset")
        .collectAsList(), offsets);

    Row file = DeltaTables.read(spark, split.path(Lake.INGEST_FILES)).head();
    assertEquals(IngestJob.DONE, file.getAs("status"));
    assertEquals((long) PAGES, (long) file.getAs("documents"));
    assertEquals((long) PAGES + 1, (long) file.getAs("skipped"));
    assertEquals(1L, (long) file.getAs("quarantined"));

    // A run that died after its bronze commit, before recording the file: the rerun reads the file
    // again in splits and replaces its documents (none twice, none lost).
    try (var walk = Files.walk(Path.of(split.path(Lake.INGEST_FILES).replace("file:", "")))) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
    IngestJob.Result again = ingest(split, "split-again", splitBytes);
    assertEquals(1, again.filesRead());
    assertEquals(PAGES, again.documents());
    assertEquals(PAGES, DeltaTables.count(spark, split.path(Lake.BRONZE_DOCUMENTS)));
    assertEquals(expected, ids(split));
    assertEquals(quarantine(whole), quarantine(split));
    assertEquals(IngestJob.DONE, DeltaTables.read(spark, split.path(Lake.INGEST_FILES)).head().getAs("status"));

    // And a rerun of a finished file reads nothing.
    assertEquals(0, ingest(split, "split-3", splitBytes).filesRead());
  }
}
