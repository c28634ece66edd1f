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
 * @param key the record's key inside its file (WuDao uniqueKey or id, JSONL id, Parquet id column), or null
 *     when it has none (then the file and offset identify it)
 * @param recordId a globally unique record id (WARC-Record-ID, with the URL), or empty
 * @param sourceFile the file it came from
 * @param offset byte offset of the record in the file (uncompressed offset for .jsonl.gz)
 */
public record RawDoc(String source, String url, String key, String recordId, String title, String text, Instant fetchTime,
                     String sourceFile, long offset, Map<String, String> metadata) {
  public RawDoc {
    metadata = metadata == null ? Map.of() : new LinkedHashMap<>(metadata);
  }
}
