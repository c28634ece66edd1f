package dev.sieve.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.zip.GZIPInputStream;

/**
 * The rest of a file that jwarc cannot frame, read record by record with
 * {@link LenientWarcScanner} (by boundaries, not {@code Content-Length}) from one gzip member (or
 * file) start: each record becomes a document or skip through {@link WarcDocuments}, or a
 * quarantine entry (cut short, no {@code WARC-Type}, too large, unparseable HTTP).
 */
final class LenientWarcRecords {
  private final RecordSource source;
  private final long base;
  private final int maxBodyBytes;
  private final WarcDocuments documents;
  private final LenientWarcScanner scanner;

  /** Reads from {@code base}, skipping the {@code alreadyRead} records there that jwarc read already. */
  LenientWarcRecords(RecordSource source, boolean gzip, long base, int maxBodyBytes, WarcDocuments documents, int alreadyRead)
      throws IOException {
    this.source = source;
    this.base = base;
    this.maxBodyBytes = maxBodyBytes;
    this.documents = documents;
    InputStream raw = source.open(base);
    InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
    this.scanner = new LenientWarcScanner(in, maxBodyBytes);
    for (int i = 0; i < alreadyRead; i++) {
      if (scanner.next() == null) break;
    }
  }

  /**
   * The next record's document, skip or quarantine entry, or null at the end.
   *
   * @throws IOException when the stream fails; the caller quarantines the rest (at {@link #base()})
   */
  IngestRecord next() throws IOException {
    LenientWarcScanner.Record r = scanner.next();
    if (r == null) return null;
    long start = base + r.offset();
    String type = r.header("WARC-Type");
    if (r.truncated() || type == null) {
      String kind = r.truncated() ? QuarantineEntry.TRUNCATED : QuarantineEntry.BAD_WARC_HEADER;
      String snippet = r.block() == null ? "" : QuarantineEntry.snippet(r.block(), 0, QuarantineEntry.SNIPPET_CHARS);
      return new IngestRecord.Quarantined(new QuarantineEntry(source.name(), start, kind,
          r.truncated() ? "record cut short at the end of the file" : "WARC record without WARC-Type", snippet));
    }
    if (r.block() == null) {
      return new IngestRecord.Quarantined(new QuarantineEntry(source.name(), start, QuarantineEntry.TOO_LARGE,
          "block larger than " + maxBodyBytes + " bytes", ""));
    }
    Instant date = null;
    try {
      String d = r.header("WARC-Date");
      if (d != null) date = WarcDates.parse(d);
    } catch (RuntimeException ignored) {
      // leave it empty
    }
    String target = r.header("WARC-Target-URI");
    if (target != null && target.startsWith("<") && target.endsWith(">")) target = target.substring(1, target.length() - 1);
    String id = r.header("WARC-Record-ID");
    try {
      if (type.equals("response")) {
        LenientHttp http = LenientHttp.parse(r.block());
        return documents.of(new WarcCapture(type, target, date, id, null, http.status(), http.contentType(), http.payload(), start));
      }
      return documents.of(new WarcCapture(type, target, date, id, r.header("WARC-Identified-Content-Language"), 200,
          r.header("Content-Type"), r.block(), start));
    } catch (IOException | RuntimeException e) {
      return new IngestRecord.Quarantined(new QuarantineEntry(source.name(), start, QuarantineEntry.BAD_HTTP,
          e.getClass().getSimpleName() + ": " + e.getMessage(), QuarantineEntry.snippet(r.block(), 0, QuarantineEntry.SNIPPET_CHARS)));
    }
  }

  /** Where this stretch started (the member or file start). */
  long base() {
    return base;
  }
}
