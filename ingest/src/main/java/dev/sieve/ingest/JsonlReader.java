package dev.sieve.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads JSON Lines: one object per line with a text field and optional id, URL, title and
 * language fields (names configurable). A line that is not valid UTF-8 or not a JSON object, or
 * that lacks the text field, is quarantined; the other lines are read. Other string fields go to
 * the document's metadata.
 *
 * <p>The id field is a key inside this file only: a document's identity is (source, file, id),
 * so {@code part-0000.jsonl} and {@code part-0001.jsonl} may both number their records from 0. A
 * line without an id (missing, null or empty) is identified by its file and byte offset
 * ({@link DocAssembler#docId}). The URL is not an identity: the same page may appear twice.
 */
public final class JsonlReader extends LineRecordReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Which fields of a line mean what. */
  public record Fields(String text, String id, String url, String title) {
    public static final Fields DEFAULT = new Fields("text", "id", "url", "title");
  }

  private final String corpus;
  private final Fields fields;

  public JsonlReader(RecordSource source, String corpus, Fields fields) throws IOException {
    super(source);
    this.corpus = corpus;
    this.fields = fields;
  }

  @Override
  protected IngestRecord parse(String s, byte[] line, long offset) {
    if (s.isBlank()) return new IngestRecord.Skipped("blank_line", source.name(), offset);
    JsonNode n;
    try {
      n = MAPPER.readTree(s);
    } catch (IOException e) {
      return quarantine(offset, QuarantineEntry.INVALID_JSON, e.getMessage(), line);
    }
    if (n == null || !n.isObject()) return quarantine(offset, QuarantineEntry.INVALID_JSON, "line is not a JSON object", line);
    JsonNode text = n.get(fields.text());
    if (text == null || !text.isTextual()) {
      return quarantine(offset, QuarantineEntry.MISSING_FIELD, "no string field '" + fields.text() + "'", line);
    }
    String id = scalar(n, fields.id());
    String url = scalar(n, fields.url());
    Map<String, String> meta = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (k.equals(fields.text()) || k.equals(fields.title())) continue;
      JsonNode v = e.getValue();
      if (v.isValueNode() && !v.isNull()) meta.put(k, v.asText());
      else if (!v.isNull()) meta.put(k, v.toString());
    }
    String key = id == null || id.isEmpty() ? null : id;
    return new IngestRecord.Parsed(new RawDoc(corpus, url, key, "", scalar(n, fields.title()), text.asText(), null, source.name(), offset, meta));
  }

  private static String scalar(JsonNode n, String field) {
    if (field == null) return null;
    JsonNode v = n.get(field);
    return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
  }
}
