package dev.sieve.ingest;

/**
 * One row of {@code _sieve/quarantine}: a record that could not be read, where it is, why, and a
 * short snippet of its raw bytes (at most {@link #SNIPPET_CHARS} characters, control characters
 * replaced) so it can be found and inspected.
 */
public record QuarantineEntry(String sourceFile, long offset, String errorKind, String message, String snippet) {
  /** Length of the raw snippet kept with a quarantined record. */
  public static final int SNIPPET_CHARS = 200;

  /** A truncated gzip member or a file that ends inside a record. */
  public static final String TRUNCATED = "truncated";
  /** A WARC record whose header cannot be parsed. */
  public static final String BAD_WARC_HEADER = "bad_warc_header";
  /** An HTTP response inside a WARC record that cannot be parsed. */
  public static final String BAD_HTTP = "bad_http";
  /** JSON that does not parse. */
  public static final String INVALID_JSON = "invalid_json";
  /** Bytes that are not valid UTF-8 where UTF-8 is required. Readers now repair them ({@link Repairs#INVALID_UTF8}); the kind stays for earlier rows. */
  public static final String INVALID_UTF8 = "invalid_utf8";
  /** A record without its text field, or with one of the wrong type. */
  public static final String MISSING_FIELD = "missing_field";
  /** A record larger than the configured limit. */
  public static final String TOO_LARGE = "too_large";
  /**
   * A record whose key (its {@code doc_id}) was already taken by an earlier record with different
   * text: in the same file, another file of the run, or a document already in bronze from another
   * file. The later one is quarantined; the message names both positions.
   */
  public static final String DUPLICATE_KEY = "duplicate_key";
  /** A file that cannot be opened or read at all. */
  public static final String UNREADABLE_FILE = "unreadable_file";

  public QuarantineEntry {
    message = oneLine(message, 500);
    snippet = snippet == null ? "" : oneLine(snippet, SNIPPET_CHARS);
  }

  /** A printable snippet of raw bytes (decoded leniently as UTF-8). */
  /**
   * A parse error as a quarantine message: the exception's class and message; for Jackson's errors
   * its own message and where (line and column of what the parser read) instead of Jackson's
   * {@code at [Source: REDACTED ...]} suffix, which says nothing about the record.
   */
  public static String errorMessage(Throwable e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getOriginalMessage() != null) {
      com.fasterxml.jackson.core.JsonLocation at = j.getLocation();
      String where = at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      return e.getClass().getSimpleName() + ": " + j.getOriginalMessage() + where;
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  public static String snippet(byte[] raw, int from, int length) {
    int to = Math.min(raw.length, from + Math.max(0, length));
    if (from >= to) return "";
    return new String(raw, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String oneLine(String s, int max) {
    if (s == null) return "";
    StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
    for (int i = 0; i < s.length() && sb.length() < max; i++) {
      char c = s.charAt(i);
      sb.append(Character.isISOControl(c) ? ' ' : c);
    }
    return sb.toString().strip();
  }
}
