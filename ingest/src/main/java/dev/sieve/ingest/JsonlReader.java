package dev.sieve.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.Conversation;
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
 * <p>Lines that are instruction records (Alpaca, chat, ShareGPT: {@link InstructionRecords}) become
 * conversation documents: the {@link Conversation}'s canonical text, {@code metadata} marked with
 * {@link Conversation#METADATA_KEY}, or are quarantined with the reason they are invalid.
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

  /** The fields an instruction record's turns come from: not copied to its metadata. */
  private static final java.util.Set<String> TURN_FIELDS = java.util.Set.of("messages", "conversations", "instruction", "input", "output", "system");

  private final String corpus;
  private final Fields fields;
  private final InstructionRecords.Format instructions;
  private final String configuredSource;

  /** A reader of plain JSONL only ({@code instruction_format: off}). */
  public JsonlReader(RecordSource source, String corpus, Fields fields) throws IOException {
    this(source, corpus, fields, InstructionRecords.Format.OFF, null);
  }

  /**
   * @param instructions which lines are instruction records ({@link InstructionRecords})
   * @param configuredSource {@code ingest.source} when set: the source of instruction records too;
   *     null gives them their format's name ({@code alpaca}, {@code chat}, {@code sharegpt})
   */
  public JsonlReader(RecordSource source, String corpus, Fields fields, InstructionRecords.Format instructions, String configuredSource)
      throws IOException {
    super(source);
    this.corpus = corpus;
    this.fields = fields;
    this.instructions = instructions;
    this.configuredSource = configuredSource;
  }

  @Override
  protected IngestRecord parse(String s, byte[] line, long offset) {
    if (s.isBlank()) return new IngestRecord.Skipped("blank_line", source.name(), offset);
    JsonNode n;
    try {
      n = MAPPER.readTree(s);
    } catch (IOException e) {
      return quarantine(offset, QuarantineEntry.INVALID_JSON, QuarantineEntry.errorMessage(e), line);
    }
    if (n == null || !n.isObject()) return quarantine(offset, QuarantineEntry.INVALID_JSON, "line is not a JSON object", line);
    InstructionRecords.Outcome o = InstructionRecords.read(n, instructions);
    if (o instanceof InstructionRecords.Invalid bad) return quarantine(offset, bad.kind(), bad.message(), line);
    if (o instanceof InstructionRecords.Valid chat) {
      Map<String, String> meta = metadata(n, TURN_FIELDS);
      meta.put(Conversation.METADATA_KEY, chat.format());
      String id = scalar(n, fields.id());
      RawDoc doc = new RawDoc(configuredSource != null ? configuredSource : chat.format(), null, id == null || id.isEmpty() ? null : id, "", null,
          chat.conversation().text(), null, source.name(), offset, meta);
      return new IngestRecord.Parsed(doc, chat.repairs().asMap());
    }
    JsonNode text = n.get(fields.text());
    if (text == null || !text.isTextual()) {
      return quarantine(offset, QuarantineEntry.MISSING_FIELD, "no string field '" + fields.text() + "'", line);
    }
    String id = scalar(n, fields.id());
    String url = scalar(n, fields.url());
    Map<String, String> meta = metadata(n, new java.util.HashSet<>(java.util.Arrays.asList(fields.text(), fields.title())));
    String key = id == null || id.isEmpty() ? null : id;
    return new IngestRecord.Parsed(new RawDoc(corpus, url, key, "", scalar(n, fields.title()), text.asText(), null, source.name(), offset, meta));
  }

  /** The line's non-null fields but {@code skip}, as strings (JSON text for objects and arrays). */
  private static Map<String, String> metadata(JsonNode n, java.util.Set<String> skip) {
    Map<String, String> meta = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (skip.contains(e.getKey()) || v.isNull()) continue;
      meta.put(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
    }
    return meta;
  }

  private static String scalar(JsonNode n, String field) {
    if (field == null) return null;
    JsonNode v = n.get(field);
    return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
  }
}
