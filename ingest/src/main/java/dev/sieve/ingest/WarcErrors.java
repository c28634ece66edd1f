package dev.sieve.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.netpreserve.jwarc.ParsingException;

/** How a WARC read failure is named in quarantine, and the quarantine entries for a failed stretch of a file. */
final class WarcErrors {
  private WarcErrors() {}

  /** The quarantine {@code error_kind} for {@code e}: truncated, corrupt_gzip, or {@code otherwise}. */
  static String kindOf(Throwable e, String otherwise) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException) return QuarantineEntry.TRUNCATED;
      String m = t.getMessage() == null ? "" : t.getMessage();
      if (m.contains("Unexpected end of ZLIB") || m.contains("unexpected end") || m.contains("Unexpected end")) return QuarantineEntry.TRUNCATED;
      if (t instanceof ZipException) return "corrupt_gzip";
      if (t instanceof ParsingException) return otherwise;
    }
    return otherwise;
  }

  /** True when {@code e} comes from the byte stream (cut short, corrupt gzip) rather than from the WARC framing. */
  static boolean isStreamError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException || t instanceof ZipException) return true;
      String m = t.getMessage() == null ? "" : t.getMessage();
      if (m.contains("Unexpected end")) return true;
    }
    return false;
  }

  /** A quarantine entry for the record at {@code offset} of {@code source}, with the raw bytes there as its snippet. */
  static IngestRecord quarantine(RecordSource source, boolean gzip, long offset, String kind, Throwable e) {
    return new IngestRecord.Quarantined(new QuarantineEntry(source.name(), offset, kind,
        e.getClass().getSimpleName() + ": " + e.getMessage(), rawSnippet(source, gzip, offset)));
  }

  private static String rawSnippet(RecordSource source, boolean gzip, long offset) {
    try (InputStream raw = source.open(offset)) {
      InputStream in = gzip ? new GZIPInputStream(raw) : raw;
      byte[] b = new byte[QuarantineEntry.SNIPPET_CHARS];
      int n = in.readNBytes(b, 0, b.length);
      return QuarantineEntry.snippet(b, 0, n);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
