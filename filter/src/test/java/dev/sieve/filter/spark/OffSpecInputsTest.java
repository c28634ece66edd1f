package dev.sieve.filter.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.ingest.spark.IngestJob;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 through the jobs: a WET page whose URL is off-spec ({@code |}, {@code ^}) keeps its
 * domain and is rejected by the domain blocklist; a JSONL file behind a BOM loses no record; repairs
 * (a NUL, an invalid byte) are counted in the ingest stage run, not dropped.
 */
class OffSpecInputsTest {
  private final SparkSession spark = TestSpark.session();

  @Test
  void offSpecUrlsAreBlockedAndRepairsAreCounted(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    String page = "The red and the blue are both good colours for a shirt. ".repeat(12);
    Files.write(in.resolve("pages.wet"), concat(
        wet("<urn:uuid:1>", "http://www.blocked-example.com/search?q=red|blue&tag=a^b", page.getBytes(StandardCharsets.UTF_8)),
        wet("<urn:uuid:2>", "http://shop.example.de/files/summer sale.html",
            concat("Summer sale on every shoe, ".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xF1},
                (" all week long. " + page).getBytes(StandardCharsets.UTF_8)))));
    Files.write(in.resolve("docs.jsonl"), concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        ("{\"id\":\"1\",\"text\":\"null\\u0000after " + page + "\"}\n{\"id\":\"2\",\"text\":\"second " + page + "\"}\n"
            + "{\"id\":\"3\",\"text\":\"third " + page + "\"}\n").getBytes(StandardCharsets.UTF_8)));
    Lake lake = new Lake(dir.resolve("lake").toString());
    IngestJob.Result ir = IngestJob.run(spark, lake, SieveConfig.defaults(), "ingest-1", List.of(in.toString()));
    assertEquals(5, ir.documents(), ir.toString());
    assertEquals(0, ir.quarantined(), ir.toString());

    Row stage = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("run_id = 'ingest-1'").head();
    Map<String, Long> counts = stage.getJavaMap(stage.fieldIndex("counts"));
    assertEquals(1L, counts.get("repaired_nul"), counts.toString());
    assertEquals(1L, counts.get("repaired_invalid_utf8"), counts.toString());
    assertEquals(5L, counts.get("documents"), counts.toString());
    assertNull(counts.get("quarantined_invalid_json"), counts.toString());

    Row blocked = DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS)).where("domain = 'blocked-example.com'").head();
    assertEquals("http://www.blocked-example.com/search?q=red%7Cblue&tag=a%5Eb", blocked.getAs("url"));
    assertEquals(1, DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS))
        .where("domain = 'example.de' AND url = 'http://shop.example.de/files/summer%20sale.html'").count());
    assertEquals("null after " + page.strip(), DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS))
        .where("text LIKE 'null%'").head().getAs("text"));

    Path blocklist = Files.writeString(dir.resolve("domains.txt"), "# test\nblocked-example.com\n");
    SieveConfig cfg = SieveConfig.parse("filter:\n  blocklist:\n    domains_file: " + blocklist + "\n");
    FilterJob.Result fr = FilterJob.run(spark, lake, cfg, "filter-1", false);
    assertEquals(1L, fr.rejectedByRule().get("blocklist_domain"), fr.toString());
    Row rej = DeltaTables.read(spark, lake.path(Lake.SILVER_REJECTED)).where("rule = 'blocklist_domain'").head();
    assertEquals("blocked-example.com", rej.getAs("domain"));
  }

  private static byte[] wet(String id, String target, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: " + id + "\r\nWARC-Date: 2024-03-01T12:00:00Z\r\n"
        + "WARC-Target-URI: " + target + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(body);
    out.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }
}
