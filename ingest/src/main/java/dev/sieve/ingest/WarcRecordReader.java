package dev.sieve.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.ParsingException;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;

/**
 * Reads WARC files with jwarc: {@code response} records holding HTML become documents (main text
 * by {@link HtmlExtractor}); in WET mode, {@code conversion} records become documents as they are
 * ({@link WarcDocuments}). Other record types (warcinfo, request, metadata…) are skipped as
 * {@code warc_<type>}; non-HTML responses are skipped and counted. A document's identity is its URL
 * and WARC-Record-ID ({@link DocAssembler#docId}), global across files: two copies of one record
 * are one document.
 *
 * <p>A record that cannot be read (broken header, truncated or corrupt gzip member) is
 * quarantined and the reader resynchronises at the next gzip member (or the next
 * {@code WARC/1.x} line in an uncompressed file; {@link WarcBoundaries}), so the records after it
 * are still read. A file jwarc cannot frame at all is read on by boundaries
 * ({@link LenientWarcRecords}).
 */
public final class WarcRecordReader extends QueuedRecordReader {
  /** Largest response body read; bigger ones are quarantined as {@link QuarantineEntry#TOO_LARGE}. */
  public static final int DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

  private final RecordSource source;
  private final boolean wet;
  private final WarcDocuments documents;
  private final int maxBodyBytes;
  private final boolean gzip;
  private final long length;

  private WarcReader reader;
  private LenientWarcRecords lenient;
  private int readSinceOpen;
  private long base;
  private long lastStart = -1;

  public WarcRecordReader(RecordSource source, boolean wet, String corpus, HtmlExtractor extractor, int maxBodyBytes) throws IOException {
    this(source, wet, corpus, extractor, maxBodyBytes, 0);
  }

  /**
   * A reader of the records that start at or after byte {@code start} of {@code source} (a record
   * boundary: 0 or a gzip member start, see {@link #memberStartAtOrAfter}). To read one split of a
   * file, pass a {@link RecordSource#upTo bounded} source: the reader stops at its end, so a split
   * [start, end) holds exactly the records that start in it.
   */
  public WarcRecordReader(RecordSource source, boolean wet, String corpus, HtmlExtractor extractor, int maxBodyBytes, long start)
      throws IOException {
    this.source = source;
    this.wet = wet;
    this.documents = new WarcDocuments(wet, corpus, source.name(), extractor);
    this.maxBodyBytes = maxBodyBytes;
    this.length = source.length();
    this.gzip = WarcBoundaries.isGzip(source);
    openAt(Math.min(start, length));
  }

  /**
   * Where a split of a gzip WARC file may start: the offset of the first gzip member at or after
   * {@code from} whose data begins with a {@code WARC/1.} line (how record-at-a-time gzip WARCs are
   * framed), or -1 when there is none (or the file is not gzip, which is never split). The readers
   * of neighbouring splits compute the same offset for their shared boundary, so every record
   * belongs to exactly one split.
   */
  public static long memberStartAtOrAfter(RecordSource source, long from) throws IOException {
    return WarcBoundaries.memberStartAtOrAfter(source, from);
  }

  private void openAt(long offset) throws IOException {
    if (reader != null) reader.close();
    base = offset;
    lastStart = -1;
    readSinceOpen = 0;
    reader = new WarcReader(source.open(offset));
    // Real crawl files bend the spec (bare LF line ends, odd header values): read them anyway.
    reader.setLenient(true);
  }

  @Override
  protected void step() {
    if (lenient != null) {
      stepLenient();
      return;
    }
    Optional<WarcRecord> rec;
    try {
      rec = reader.next();
    } catch (IOException | RuntimeException e) {
      recover(e);
      return;
    }
    if (rec.isEmpty()) {
      done = true;
      return;
    }
    long start = base + reader.position();
    lastStart = start;
    readSinceOpen++;
    framed++;
    try {
      handle(rec.get(), start);
    } catch (IOException | RuntimeException e) {
      // The framing was fine but this record's content is not: quarantine it, keep reading after it.
      pending.add(quarantine(start, WarcErrors.kindOf(e, QuarantineEntry.BAD_HTTP), e));
      if (WarcErrors.isStreamError(e)) resyncAfter(start);
    }
  }

  private void handle(WarcRecord rec, long start) throws IOException {
    if (wet) {
      if (!(rec instanceof WarcConversion conv)) {
        skipOtherType(rec, start);
        return;
      }
      byte[] body = readBody(conv.body().stream(), start);
      if (body == null) return;
      pending.add(documents.of(new WarcCapture("conversion", conv.target(), date(conv), conv.id().toString(),
          conv.headers().first("WARC-Identified-Content-Language").orElse(null), 200, "text/plain", body, start)));
      return;
    }
    if (!(rec instanceof WarcResponse resp)) {
      skipOtherType(rec, start);
      return;
    }
    HttpResponse http;
    try {
      http = resp.http();
    } catch (ParsingException e) {
      pending.add(quarantine(start, QuarantineEntry.BAD_HTTP, e));
      return;
    }
    MediaType type = http.contentType();
    if (!WarcDocuments.isHtml(type.base().toString()) || http.status() < 200 || http.status() >= 300) {
      http.body().consume();
      pending.add(documents.of(new WarcCapture("response", resp.target(), date(resp), resp.id().toString(), null, http.status(),
          type.toString(), null, start)));
      return;
    }
    byte[] body = readBody(http.body().stream(), start);
    if (body == null) return;
    pending.add(documents.of(new WarcCapture("response", resp.target(), date(resp), resp.id().toString(), null, http.status(),
        type.toString(), body, start)));
  }

  /** A record of a type that holds no document (warcinfo, request, metadata…): read past it, then count it as skipped. */
  private void skipOtherType(WarcRecord rec, long start) throws IOException {
    rec.body().consume();
    pending.add(new IngestRecord.Skipped(WarcDocuments.otherTypeReason(rec.type()), source.name(), start));
  }

  // ------------------------------------------------------------ lenient mode

  /** Switches to reading by record boundaries from the member that starts at {@code base}, skipping the records already read there. */
  private void startLenientMode(int alreadyRead) throws IOException {
    if (reader != null) reader.close();
    reader = null;
    lenient = new LenientWarcRecords(source, gzip, base, maxBodyBytes, documents, alreadyRead);
  }

  private void stepLenient() {
    IngestRecord r;
    try {
      r = lenient.next();
    } catch (IOException | RuntimeException e) {
      quarantineRegion(new IngestRecord.Quarantined(new QuarantineEntry(source.name(), base,
          WarcErrors.kindOf(e, QuarantineEntry.TRUNCATED), e.getClass().getSimpleName() + ": " + e.getMessage(), "")));
      done = true;
      return;
    }
    if (r == null) {
      done = true;
      return;
    }
    framed++;
    pending.add(r);
  }

  // ------------------------------------------------------------ recovery

  /** The whole body, or null (and a quarantine entry) when it is larger than allowed. */
  private byte[] readBody(InputStream in, long start) throws IOException {
    byte[] body = in.readNBytes(maxBodyBytes + 1);
    if (body.length > maxBodyBytes) {
      pending.add(new IngestRecord.Quarantined(new QuarantineEntry(source.name(), start, QuarantineEntry.TOO_LARGE,
          "body larger than " + maxBodyBytes + " bytes", QuarantineEntry.snippet(body, 0, QuarantineEntry.SNIPPET_CHARS))));
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return null;
    }
    return body;
  }

  /** The record's {@code WARC-Date} as jwarc's {@code date()} reads it ({@link WarcDates}), or null when it has none or it does not parse. */
  private static Instant date(WarcRecord r) {
    try {
      return WarcDates.parse(r.headers().sole("WARC-Date").get());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * {@code next()} failed: either the record read last was cut short or corrupt (found while
   * skipping its body), or the one after it is broken. Find out which, quarantine it, and go on
   * after it.
   */
  private void recover(Exception e) {
    try {
      if (!WarcErrors.isStreamError(e) && !nextMemberReadable()) {
        // Not a single bad record but a file jwarc cannot frame (e.g. CRLF rewritten to LF, so
        // every Content-Length is off): read the rest of it by record boundaries.
        startLenientMode(readSinceOpen);
        return;
      }
      if (lastStart < 0) {
        quarantineRegion(quarantine(base, WarcErrors.kindOf(e, QuarantineEntry.BAD_WARC_HEADER), e));
        resyncAfter(base);
        return;
      }
      long following = findRecordStart(lastStart + 1);
      if (following < 0 || readable(following)) {
        // The following record reads fine (or there is none): the damage is in the last record's body.
        quarantineRegion(quarantine(lastStart, WarcErrors.kindOf(e, QuarantineEntry.TRUNCATED), e));
        if (following < 0) done = true;
        else openAt(following);
      } else {
        quarantineRegion(quarantine(following, WarcErrors.kindOf(e, QuarantineEntry.BAD_WARC_HEADER), e));
        resyncAfter(following);
      }
    } catch (IOException io) {
      quarantineRegion(quarantine(Math.max(base, lastStart), QuarantineEntry.UNREADABLE_FILE, io));
      done = true;
    }
  }

  /** True when the file has a further gzip member after the current position that reads as a WARC record. */
  private boolean nextMemberReadable() throws IOException {
    if (!gzip) return false;
    long following = findRecordStart(Math.max(base, lastStart) + 1);
    return following >= 0 && readable(following);
  }

  /** True when one whole record (header and body) can be read at {@code offset}. */
  private boolean readable(long offset) {
    try (WarcReader probe = new WarcReader(source.open(offset))) {
      probe.setLenient(true);
      Optional<WarcRecord> r = probe.next();
      if (r.isEmpty()) return false;
      r.get().body().consume();
      return true;
    } catch (IOException | RuntimeException ex) {
      return false;
    }
  }

  private void resyncAfter(long failed) {
    try {
      long next = findRecordStart(failed + 1);
      if (next < 0) {
        done = true;
      } else {
        openAt(next);
      }
    } catch (IOException io) {
      quarantineRegion(quarantine(failed, QuarantineEntry.UNREADABLE_FILE, io));
      done = true;
    }
  }

  /** Offset of the next gzip member (or {@code WARC/1.} line) at or after {@code from}, or -1. */
  long findRecordStart(long from) throws IOException {
    return WarcBoundaries.recordStart(source, gzip, length, from);
  }

  private IngestRecord quarantine(long offset, String kind, Throwable e) {
    return WarcErrors.quarantine(source, gzip, offset, kind, e);
  }

  @Override
  public void close() throws IOException {
    if (reader != null) reader.close();
  }
}
