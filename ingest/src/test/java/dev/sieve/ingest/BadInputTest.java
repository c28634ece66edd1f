package dev.sieve.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad records are quarantined with kind and offset, and never take good records with them. */
class BadInputTest {
  static List<IngestRecord> readAll(InputFormat f, Path file) throws Exception {
    List<IngestRecord> out = new ArrayList<>();
    try (RecordReader r = Readers.open(f, RecordSource.of(file), new IngestSettings())) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  static List<String> summary(List<IngestRecord> records) {
    List<String> out = new ArrayList<>();
    for (IngestRecord r : records) {
      if (r instanceof IngestRecord.Parsed p) out.add("doc:" + p.doc().key() + "@" + p.doc().offset());
      else if (r instanceof IngestRecord.Quarantined q) out.add("bad:" + q.entry().errorKind() + "@" + q.entry().offset());
      else out.add("skip:" + ((IngestRecord.Skipped) r).reason());
    }
    return out;
  }

  @Test
  void jsonlBadLines(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x.jsonl");
    byte[] bad = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write("{\"id\":\"a\",\"text\":\"first\"}\n".getBytes(StandardCharsets.UTF_8));   // 26 bytes
    b.write("this is not json\n".getBytes(StandardCharsets.UTF_8));                    // 17 bytes
    b.write(bad);                                                                      // 14 bytes
    b.write("{\"id\":\"b\",\"body\":\"no text\"}\n".getBytes(StandardCharsets.UTF_8));  
    long last = b.size();
    b.write("\n{\"id\":\"c\",\"text\":\"last\",\"lang\":\"en\"}".getBytes(StandardCharsets.UTF_8));
    Files.write(f, b.toByteArray());
    List<IngestRecord> records = readAll(InputFormat.JSONL, f);
    assertEquals(List.of("doc:a@0", "bad:invalid_json@26", "doc:null@43", "bad:missing_field@57", "skip:blank_line",
        "doc:c@" + (last + 1)), summary(records));
    // Jackson's own words and where in the line, not its "at [Source: REDACTED ...]" suffix.
    String message = ((IngestRecord.Quarantined) records.get(1)).entry().message();
    assertEquals("JsonParseException: Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
        + " (line 1, column 5)", message);
  }

  @Test
  void wudaoCutInTheMiddleOfAnObject(@TempDir Path dir) throws Exception {
    String full = "[\n{\"id\":1,\"uniqueKey\":\"k1\",\"titleUkey\":\"t1\",\"dataType\":\"新闻\",\"title\":\"一\",\"content\":\"第一条。\"},\n"
        + "{\"id\":2,\"uniqueKey\":\"k2\",\"titleUkey\":\"t2\",\"dataType\":\"新闻\",\"title\":\"二\",\"content\":\"第二条。\"},\n"
        + "{\"id\":3,\"uniqueKey\":\"k3\",\"titleUkey\":\"t3\",\"dataType\":\"新闻\",\"title\":\"三\",\"content\":\"第三";
    Path f = dir.resolve("cut.json");
    Files.writeString(f, full);
    List<String> s = summary(readAll(InputFormat.WUDAO, f));
    assertEquals(3, s.size(), s.toString());
    assertTrue(s.get(0).startsWith("doc:k1@2"), s.toString());
    assertTrue(s.get(1).startsWith("doc:k2@"), s.toString());
    int third = full.getBytes(StandardCharsets.UTF_8).length - full.substring(full.lastIndexOf("{\"id\":3")).getBytes(StandardCharsets.UTF_8).length;
    assertEquals("bad:truncated@" + third, s.get(2));

    // Garbage in the middle: that object is quarantined, the next one is read.
    String mid = "[\n{\"id\":1,\"uniqueKey\":\"k1\",\"content\":\"一\"},\n{\"id\":2,\"uniqueKey\":\"k2\",\"content\":\"二\" oops},\n"
        + "{\"id\":3,\"uniqueKey\":\"k3\",\"content\":\"三\"}\n]";
    Files.writeString(f, mid);
    List<String> m = summary(readAll(InputFormat.WUDAO, f));
    assertEquals(3, m.size(), m.toString());
    assertTrue(m.get(0).startsWith("doc:k1@"));
    assertTrue(m.get(1).startsWith("bad:invalid_json@"), m.toString());
    assertTrue(m.get(2).startsWith("doc:k3@"), m.toString());
  }
}
