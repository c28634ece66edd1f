package dev.sieve.ingest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A document as a reader found it, before normalisation, language ID and id assignment
 * ({@link DocAssembler} turns it into a {@link dev.sieve.core.Doc}).
 *
 * @param source corpus name, e.g. {@code commoncrawl}, {@code wudao}
 * @param url the document URL, or null
 * @param key the source's own key when there is no URL (WuDao uniqueKey, JSONL id, file:line)
 * @param recordId record id inside the source (WARC-Record-ID), or empty
 * @param sourceFile the file it came from
 * @param offset byte offset of the record in the file (uncompressed offset for .jsonl.gz)
 */
public record RawDoc(String source, String url, String key, String recordId, String title, String text, Instant fetchTime,
                     String sourceFile, long offset, Map<String, String> metadata) {
  public RawDoc {
    metadata = metadata == null ? Map.of() : new LinkedHashMap<>(metadata);
  }
}
