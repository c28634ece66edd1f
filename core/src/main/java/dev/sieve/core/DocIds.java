package dev.sieve.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Stable document ids: the hex SHA-256 of source, URL (or source key) and record id.
 *
 * <p>The same input always gives the same id, so a rerun of a stage MERGEs on {@code doc_id}
 * instead of appending duplicates (DESIGN.md, {@code bronze/documents}). The three parts are
 * joined with a NUL byte so that {@code ("a", "bc")} and {@code ("ab", "c")} differ.
 */
public final class DocIds {
  private static final HexFormat HEX = HexFormat.of();

  private DocIds() {}

  /**
   * @param source the corpus the document comes from, e.g. {@code commoncrawl}
   * @param urlOrKey the document URL (WARC), or the source file's path for records whose key is
   *     unique only inside their file (ingest's {@code DocAssembler.docId})
   * @param recordId the record id: WARC-Record-ID, or {@code key:<key>} / {@code offset:<byte offset>}
   *     inside the file; may be empty
   */
  public static String of(String source, String urlOrKey, String recordId) {
    if (source == null || source.isEmpty()) throw new IllegalArgumentException("source must not be empty");
    return sha256Hex(source + '\0' + nullToEmpty(urlOrKey) + '\0' + nullToEmpty(recordId));
  }

  /** Hex SHA-256 of the UTF-8 bytes of {@code s}. */
  public static String sha256Hex(String s) {
    return HEX.formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  /** A fresh SHA-256 digest (the JDK always ships it). */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
