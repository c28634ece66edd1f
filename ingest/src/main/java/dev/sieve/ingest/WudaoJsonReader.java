package dev.sieve.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams WuDao corpus files: a bare JSON array of {@code {id, uniqueKey, titleUkey, dataType,
 * title, content}} objects, or the same array under {@code {"RECORDS": [...]}}. Files of
 * gigabytes are read one object at a time (Jackson's streaming parser), never whole.
 *
 * <p>A UTF-8 BOM at the start of the file is dropped. Invalid UTF-8 is repaired, not quarantined
 * (each bad sequence becomes U+FFFD and is counted as {@link Repairs#INVALID_UTF8}; the same policy
 * as the other formats). An object that does not parse (invalid JSON, a file cut in the middle of an object)
 * is quarantined, and reading resumes at the next line that starts an object, so the records
 * after it are kept.
 *
 * <p>A record's key is its {@code uniqueKey}, else its {@code id}, when not empty; keys are scoped
 * by file ({@link DocAssembler#docId}). A record with neither is identified by its byte offset.
 */
public final class WudaoJsonReader extends QueuedRecordReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private final RecordSource source;
  private final String corpus;
  private final long length;
  private JsonParser parser;
  /** File offset where the bytes the parser reads (after what was prepended) start. */
  private long base;
  /** Bytes prepended to the file's bytes ("[" when restarting inside the array). */
  private int prefix;
  /** The file's bytes as the parser sees them: invalid UTF-8 repaired, a leading BOM dropped. */
  private Utf8RepairingInputStream repairing;

  public WudaoJsonReader(RecordSource source, String corpus) throws IOException {
    this.source = source;
    this.corpus = corpus;
    this.length = source.length();
    openAtStart();
  }

  private void openAtStart() throws IOException {
    repairing = new Utf8RepairingInputStream(source.open(0), true);
    parser = FACTORY.createParser(repairing);
    base = 0;
    prefix = 0;
    try {
      findRecords();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // Not JSON from the start (or cut before the records begin): the whole file is one bad stretch.
      quarantineRegion(quarantine(0, isUtf8Error(e) ? QuarantineEntry.INVALID_UTF8 : QuarantineEntry.INVALID_JSON,
          QuarantineEntry.errorMessage(e)));
      done = true;
    }
  }

  private void findRecords() throws IOException {
    JsonToken t = parser.nextToken();
    if (t == JsonToken.START_OBJECT) {
      // {"RECORDS": [ ... ]}: find the array of records.
      while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        t = parser.nextToken();
        if (t == JsonToken.START_ARRAY && name.equalsIgnoreCase("RECORDS")) return;
        parser.skipChildren();
      }
      quarantineRegion(quarantine(0, QuarantineEntry.MISSING_FIELD, "a JSON object without a RECORDS array of records"));
      done = true;
      return;
    }
    if (t != JsonToken.START_ARRAY) {
      quarantineRegion(quarantine(0, QuarantineEntry.INVALID_JSON, "a WuDao file is a JSON array of records (or an object with a RECORDS array), found " + t));
      done = true;
    }
  }

  /** Restarts inside the array at {@code offset} (the start of an object) by reading "[" + the rest of the file. */
  private void reopenAt(long offset) throws IOException {
    if (parser != null) parser.close();
    repairing = new Utf8RepairingInputStream(source.open(offset), false);
    InputStream rest = new SequenceInputStream(new ByteArrayInputStream(new byte[] {'['}), repairing);
    parser = FACTORY.createParser(rest);
    base = offset;
    prefix = 1;
    parser.nextToken();
  }

  @Override
  protected void step() {
    long start = -1;
    try {
      JsonToken t = parser.nextToken();
      if (t == null || t == JsonToken.END_ARRAY) {
        done = true;
        return;
      }
      long startAt = parser.currentTokenLocation().getByteOffset();
      start = fileOffset(startAt);
      framed++;
      if (t != JsonToken.START_OBJECT) {
        parser.skipChildren();
        pending.add(quarantine(start, QuarantineEntry.INVALID_JSON, "expected a record object, found " + t));
        return;
      }
      JsonNode n = MAPPER.readTree(parser);
      long repaired = repairing.repairsBetween(startAt - prefix, parser.currentLocation().getByteOffset() - prefix);
      IngestRecord r = toRecord(n, start);
      if (repaired > 0 && r instanceof IngestRecord.Parsed p) {
        r = new IngestRecord.Parsed(p.doc(), new Repairs().add(Repairs.INVALID_UTF8, repaired).asMap());
      }
      pending.add(r);
    } catch (IOException | RuntimeException e) {
      if (start < 0) {
        // Nothing framed yet: the bad bytes are a stretch of their own.
        framed++;
        start = Math.max(1, fileOffset(parser.currentLocation().getByteOffset()));
      }
      String kind = isUtf8Error(e) ? QuarantineEntry.INVALID_UTF8
          : e.getMessage() != null && e.getMessage().contains("end-of-input") ? QuarantineEntry.TRUNCATED : QuarantineEntry.INVALID_JSON;
      pending.add(quarantine(start, kind, QuarantineEntry.errorMessage(e)));
      resyncAfter(start);
    }
  }

  /** The file offset of a byte offset in what the parser reads. */
  private long fileOffset(long parserOffset) {
    return base + repairing.toInput(Math.max(0, parserOffset - prefix));
  }

  private IngestRecord toRecord(JsonNode n, long start) {
    JsonNode content = n.get("content");
    if (content == null || !content.isTextual()) {
      return quarantine(start, QuarantineEntry.MISSING_FIELD, "record without a string 'content' field");
    }
    String uniqueKey = text(n, "uniqueKey");
    String id = text(n, "id");
    Map<String, String> meta = new LinkedHashMap<>();
    if (id != null) meta.put("wudao_id", id);
    if (uniqueKey != null) meta.put("unique_key", uniqueKey);
    String titleUkey = text(n, "titleUkey");
    if (titleUkey != null) meta.put("title_ukey", titleUkey);
    String dataType = text(n, "dataType");
    if (dataType != null) meta.put("data_type", dataType);
    // Keys are unique inside a file at best (DocAssembler#docId scopes them by file). Released
    // dumps often carry "uniqueKey": "" on every record: an empty key is no key.
    String key = notEmpty(uniqueKey) ? uniqueKey : notEmpty(id) ? "id:" + id : null;
    return new IngestRecord.Parsed(new RawDoc(corpus, null, key, "", text(n, "title"), content.asText(), null, source.name(), start, meta));
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** Resumes at the next line that starts an object after {@code failedAt}, or stops. */
  private void resyncAfter(long failedAt) {
    try {
      long next = nextObjectLine(failedAt + 1);
      if (next < 0) {
        done = true;
      } else {
        reopenAt(next);
      }
    } catch (IOException e) {
      quarantineRegion(quarantine(failedAt, QuarantineEntry.UNREADABLE_FILE, e.getMessage()));
      done = true;
    }
  }

  /** Offset of the first '{' that begins a line (after spaces or a comma) at or after {@code from}, or -1. */
  private long nextObjectLine(long from) throws IOException {
    if (from >= length) return -1;
    try (InputStream in = new java.io.BufferedInputStream(source.open(from), 1 << 16)) {
      long pos = from;
      boolean lineStart = false;
      int b;
      while ((b = in.read()) >= 0) {
        if (b == '\n') {
          lineStart = true;
        } else if (lineStart && b == '{') {
          return pos;
        } else if (b != ' ' && b != '\t' && b != '\r' && b != ',') {
          lineStart = false;
        }
        pos++;
      }
    }
    return -1;
  }

  private IngestRecord quarantine(long offset, String kind, String message) {
    String snippet = "";
    try (InputStream in = source.open(Math.max(0, offset))) {
      byte[] b = in.readNBytes(QuarantineEntry.SNIPPET_CHARS);
      snippet = QuarantineEntry.snippet(b, 0, b.length);
    } catch (IOException ignored) {
      // no snippet then
    }
    return new IngestRecord.Quarantined(new QuarantineEntry(source.name(), offset, kind, message, snippet));
  }

  static boolean isUtf8Error(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (m.contains("Invalid UTF-8") || m.contains("UTF8"))) return true;
      if (t instanceof java.nio.charset.CharacterCodingException) return true;
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    if (parser != null) parser.close();
  }

}
