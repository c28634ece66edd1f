package dev.sieve.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Where WARC records start in a file, found by scanning bytes rather than by reading records: the
 * next gzip member whose data begins with a {@code WARC/1.} line (record-at-a-time gzip WARCs), or
 * the next {@code WARC/1.} line at a line start (uncompressed files). Used to split large files
 * into tasks and to resynchronise after a broken record.
 */
final class WarcBoundaries {
  private WarcBoundaries() {}

  /** True when {@code source} starts with the gzip magic bytes {@code 1F 8B}. */
  static boolean isGzip(RecordSource source) throws IOException {
    try (InputStream in = source.open(0)) {
      byte[] magic = in.readNBytes(2);
      return magic.length == 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B;
    }
  }

  /** See {@link WarcRecordReader#memberStartAtOrAfter}. */
  static long memberStartAtOrAfter(RecordSource source, long from) throws IOException {
    long length = source.length();
    if (from <= 0) from = 0;
    if (from >= length) return -1;
    if (!isGzip(source)) return -1;
    return recordStart(source, true, length, from);
  }

  /**
   * Offset of the next gzip member (or {@code WARC/1.} line) at or after {@code from} in a file of
   * {@code length} bytes, or -1 when there is none.
   */
  static long recordStart(RecordSource source, boolean gzip, long length, long from) throws IOException {
    if (from >= length) return -1;
    byte[] pattern = gzip ? new byte[] {0x1F, (byte) 0x8B, 0x08} : "WARC/1.".getBytes(StandardCharsets.US_ASCII);
    try (InputStream in = new java.io.BufferedInputStream(source.open(from), 1 << 16)) {
      long pos = from;
      int matched = 0;
      int prev = '\n';
      int b;
      while ((b = in.read()) >= 0) {
        if (b == (pattern[matched] & 0xFF) && (matched > 0 || gzip || prev == '\n')) {
          matched++;
          if (matched == pattern.length) {
            long candidate = pos - pattern.length + 1;
            if (!gzip || validGzipMember(source, candidate)) return candidate;
            matched = 0;
          }
        } else {
          matched = b == (pattern[0] & 0xFF) && (gzip || prev == '\n') ? 1 : 0;
        }
        prev = b;
        pos++;
      }
    }
    return -1;
  }

  /** True when a gzip member that starts with a WARC header begins at {@code offset} (rules out magic bytes inside compressed data). */
  private static boolean validGzipMember(RecordSource source, long offset) {
    try (InputStream in = new GZIPInputStream(source.open(offset))) {
      byte[] head = in.readNBytes(7);
      return new String(head, StandardCharsets.US_ASCII).startsWith("WARC/1.");
    } catch (IOException e) {
      return false;
    }
  }
}
