package dev.sieve.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.ParsingException;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;

/**
 * Reads WARC files with jwarc: {@code response} records holding HTML become documents (main text
 * by {@link HtmlExtractor}); in WET mode, {@code conversion} records become documents as they are.
 * Other record types (warcinfo, request, metadata…) are skipped as {@code warc_<type>}; non-HTML
 * responses are skipped and counted. A document's identity is its URL and WARC-Record-ID
 * ({@link DocAssembler#docId}), global across files: two copies of one record are one document.
 *
 * <p>A record that cannot be read (broken header, truncated or corrupt gzip member) is
 * quarantined and the reader resynchronises at the next gzip member (or the next
 * {@code WARC/1.x} line in an uncompressed file), so the records after it are still read.
 */
public final class WarcRecordReader extends QueuedRecordReader {
  /** Largest response body read; bigger ones are quarantined as {@link QuarantineEntry#TOO_LARGE}. */
  public static final int DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

  private final RecordSource source;
  private final boolean wet;
  private final String corpus;
  private final HtmlExtractor extractor;
  private final int maxBodyBytes;
  private final boolean gzip;
  private final long length;

  private WarcReader reader;
  private LenientWarcScanner scanner;
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
    this.corpus = corpus;
    this.extractor = extractor;
    this.maxBodyBytes = maxBodyBytes;
    this.length = source.length();
    try (InputStream in = source.open(0)) {
      byte[] magic = in.readNBytes(2);
      this.gzip = magic.length == 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B;
    }
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
    long length = source.length();
    if (from <= 0) from = 0;
    if (from >= length) return -1;
    try (InputStream in = source.open(0)) {
      byte[] magic = in.readNBytes(2);
      if (magic.length < 2 || (magic[0] & 0xFF) != 0x1F || (magic[1] & 0xFF) != 0x8B) return -1;
    }
    return findRecordStart(source, true, length, from);
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
    if (scanner != null) {
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
      pending.add(quarantine(start, kindOf(e, QuarantineEntry.BAD_HTTP), e));
      if (isStreamError(e)) resyncAfter(start);
    }
  }

  /** What the reader needs of a record, whichever way it was read (jwarc, or the lenient scanner). */
  private record Capture(String type, String target, Instant date, String recordId, String identifiedLanguage,
                         int httpStatus, String contentType, byte[] payload, long start) {}

  private void handle(WarcRecord rec, long start) throws IOException {
    if (wet) {
      if (!(rec instanceof WarcConversion conv)) {
        skipOtherType(rec, start);
        return;
      }
      byte[] body = readBody(conv.body().stream(), start);
      if (body == null) return;
      emit(new Capture("conversion", conv.target(), date(conv), conv.id().toString(),
          conv.headers().first("WARC-Identified-Content-Language").orElse(null), 200, "text/plain", body, start));
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
    if (!isHtml(type.base().toString()) || http.status() < 200 || http.status() >= 300) {
      http.body().consume();
      emit(new Capture("response", resp.target(), date(resp), resp.id().toString(), null, http.status(), type.toString(), null, start));
      return;
    }
    byte[] body = readBody(http.body().stream(), start);
    if (body == null) return;
    emit(new Capture("response", resp.target(), date(resp), resp.id().toString(), null, http.status(), type.toString(), body, start));
  }

  /** A record of a type that holds no document (warcinfo, request, metadata…): read past it, then count it as skipped. */
  private void skipOtherType(WarcRecord rec, long start) throws IOException {
    rec.body().consume();
    pending.add(new IngestRecord.Skipped(otherTypeReason(rec.type()), source.name(), start));
  }

  /** Skip reason for a WARC record type that is not a document here: {@code warc_<type>} for the standard types. */
  static String otherTypeReason(String type) {
    String t = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
    return switch (t) {
      case "warcinfo", "request", "metadata", "resource", "revisit", "continuation", "response", "conversion" -> "warc_" + t;
      default -> "warc_other";
    };
  }

  private static boolean isHtml(String baseType) {
    String b = baseType.toLowerCase(java.util.Locale.ROOT);
    return b.equals("text/html") || b.equals("application/xhtml+xml");
  }

  /** Turns a capture into a document, a skip (non-HTML, HTTP error, no text) or nothing (other record types). */
  private void emit(Capture c) {
    if (wet) {
      if (!c.type().equals("conversion")) {
        pending.add(new IngestRecord.Skipped(otherTypeReason(c.type()), source.name(), c.start()));
        return;
      }
      Map<String, String> meta = new LinkedHashMap<>();
      if (c.identifiedLanguage() != null) meta.put("identified_language", c.identifiedLanguage());
      meta.put("warc_record_id", c.recordId());
      // WET bodies are UTF-8 by definition: a BOM is dropped, an invalid byte becomes U+FFFD and is counted.
      byte[] p = c.payload();
      int bom = p.length >= 3 && (p[0] & 0xFF) == 0xEF && (p[1] & 0xFF) == 0xBB && (p[2] & 0xFF) == 0xBF ? 3 : 0;
      CharsetSniffer.Counted text = CharsetSniffer.decodeCounting(p, bom, java.nio.charset.StandardCharsets.UTF_8);
      pending.add(new IngestRecord.Parsed(new RawDoc(corpus, c.target(), null, c.recordId(), null, text.text(), c.date(), source.name(),
          c.start(), meta), new Repairs().add(Repairs.INVALID_UTF8, text.errors()).asMap()));
      return;
    }
    if (!c.type().equals("response")) {
      pending.add(new IngestRecord.Skipped(otherTypeReason(c.type()), source.name(), c.start()));
      return;
    }
    MediaType type = MediaType.parseLeniently(c.contentType() == null ? "application/octet-stream" : c.contentType());
    if (!isHtml(type.base().toString())) {
      pending.add(new IngestRecord.Skipped("non_html", source.name(), c.start()));
      return;
    }
    if (c.httpStatus() < 200 || c.httpStatus() >= 300) {
      pending.add(new IngestRecord.Skipped("http_status_" + c.httpStatus(), source.name(), c.start()));
      return;
    }
    HtmlExtractor.Page page = extractor.extract(c.payload(), type.parameters().get("charset"), c.target());
    if (page.text().isEmpty()) {
      pending.add(new IngestRecord.Skipped("empty_text", source.name(), c.start()));
      return;
    }
    Map<String, String> meta = new LinkedHashMap<>();
    if (page.htmlLang() != null) meta.put("html_lang", page.htmlLang());
    meta.put("charset", page.charset().name());
    meta.put("charset_from", page.charsetFrom());
    if (page.charsetRejected() != null) meta.put("charset_declared", page.charsetRejected().name());
    meta.put("warc_record_id", c.recordId());
    if (!page.rawTitle().equals(page.title())) meta.put("html_title", page.rawTitle());
    pending.add(new IngestRecord.Parsed(new RawDoc(corpus, c.target(), null, c.recordId(), blankToNull(page.title()),
        page.text(), c.date(), source.name(), c.start(), meta), page.repairs().asMap()));
  }

  // ------------------------------------------------------------ lenient mode

  /** Switches to reading by record boundaries from the member that starts at {@code base}, skipping the records already read there. */
  private void startLenientMode(int alreadyRead) throws IOException {
    if (reader != null) reader.close();
    reader = null;
    InputStream raw = source.open(base);
    InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
    scanner = new LenientWarcScanner(in, maxBodyBytes);
    for (int i = 0; i < alreadyRead; i++) {
      if (scanner.next() == null) break;
    }
  }

  private void stepLenient() {
    LenientWarcScanner.Record r;
    try {
      r = scanner.next();
    } catch (IOException | RuntimeException e) {
      quarantineRegion(new IngestRecord.Quarantined(new QuarantineEntry(source.name(), base, kindOf(e, QuarantineEntry.TRUNCATED),
          e.getClass().getSimpleName() + ": " + e.getMessage(), "")));
      done = true;
      return;
    }
    if (r == null) {
      done = true;
      return;
    }
    long start = base + r.offset();
    framed++;
    String type = r.header("WARC-Type");
    if (r.truncated() || type == null) {
      String kind = r.truncated() ? QuarantineEntry.TRUNCATED : QuarantineEntry.BAD_WARC_HEADER;
      String snippet = r.block() == null ? "" : QuarantineEntry.snippet(r.block(), 0, QuarantineEntry.SNIPPET_CHARS);
      pending.add(new IngestRecord.Quarantined(new QuarantineEntry(source.name(), start, kind,
          r.truncated() ? "record cut short at the end of the file" : "WARC record without WARC-Type", snippet)));
      return;
    }
    if (r.block() == null) {
      pending.add(new IngestRecord.Quarantined(new QuarantineEntry(source.name(), start, QuarantineEntry.TOO_LARGE,
          "block larger than " + maxBodyBytes + " bytes", "")));
      return;
    }
    Instant date = null;
    try {
      String d = r.header("WARC-Date");
      if (d != null) date = Instant.parse(d);
    } catch (RuntimeException ignored) {
      // leave it empty
    }
    String target = r.header("WARC-Target-URI");
    if (target != null && target.startsWith("<") && target.endsWith(">")) target = target.substring(1, target.length() - 1);
    String id = r.header("WARC-Record-ID");
    try {
      if (type.equals("response")) {
        LenientHttp http = LenientHttp.parse(r.block());
        emit(new Capture(type, target, date, id, null, http.status(), http.contentType(), http.payload(), start));
      } else {
        emit(new Capture(type, target, date, id, r.header("WARC-Identified-Content-Language"), 200,
            r.header("Content-Type"), r.block(), start));
      }
    } catch (IOException | RuntimeException e) {
      pending.add(new IngestRecord.Quarantined(new QuarantineEntry(source.name(), start, QuarantineEntry.BAD_HTTP,
          e.getClass().getSimpleName() + ": " + e.getMessage(), QuarantineEntry.snippet(r.block(), 0, QuarantineEntry.SNIPPET_CHARS))));
    }
  }

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

  private static Instant date(WarcRecord r) {
    try {
      return r.date();
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
      if (isFramingError(e) && !nextMemberReadable()) {
        // Not a single bad record but a file jwarc cannot frame (e.g. CRLF rewritten to LF, so
        // every Content-Length is off): read the rest of it by record boundaries.
        startLenientMode(readSinceOpen);
        return;
      }
      if (lastStart < 0) {
        quarantineRegion(quarantine(base, kindOf(e, QuarantineEntry.BAD_WARC_HEADER), e));
        resyncAfter(base);
        return;
      }
      long following = findRecordStart(lastStart + 1);
      if (following < 0 || readable(following)) {
        // The following record reads fine (or there is none): the damage is in the last record's body.
        quarantineRegion(quarantine(lastStart, kindOf(e, QuarantineEntry.TRUNCATED), e));
        if (following < 0) done = true;
        else openAt(following);
      } else {
        quarantineRegion(quarantine(following, kindOf(e, QuarantineEntry.BAD_WARC_HEADER), e));
        resyncAfter(following);
      }
    } catch (IOException io) {
      quarantineRegion(quarantine(Math.max(base, lastStart), QuarantineEntry.UNREADABLE_FILE, io));
      done = true;
    }
  }

  private static boolean isFramingError(Throwable e) {
    return !isStreamError(e);
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
    return findRecordStart(source, gzip, length, from);
  }

  private static long findRecordStart(RecordSource source, boolean gzip, long length, long from) throws IOException {
    if (from >= length) return -1;
    byte[] pattern = gzip ? new byte[] {0x1F, (byte) 0x8B, 0x08} : "WARC/1.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
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
      return new String(head, java.nio.charset.StandardCharsets.US_ASCII).startsWith("WARC/1.");
    } catch (IOException e) {
      return false;
    }
  }

  private IngestRecord quarantine(long offset, String kind, Throwable e) {
    return new IngestRecord.Quarantined(new QuarantineEntry(source.name(), offset, kind,
        e.getClass().getSimpleName() + ": " + e.getMessage(), rawSnippet(offset)));
  }

  private String rawSnippet(long offset) {
    try (InputStream raw = source.open(offset)) {
      InputStream in = gzip ? new GZIPInputStream(raw) : raw;
      byte[] b = new byte[QuarantineEntry.SNIPPET_CHARS];
      int n = in.readNBytes(b, 0, b.length);
      return QuarantineEntry.snippet(b, 0, n);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static String kindOf(Throwable e, String otherwise) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException) return QuarantineEntry.TRUNCATED;
      String m = t.getMessage() == null ? "" : t.getMessage();
      if (m.contains("Unexpected end of ZLIB") || m.contains("unexpected end") || m.contains("Unexpected end")) return QuarantineEntry.TRUNCATED;
      if (t instanceof ZipException) return "corrupt_gzip";
      if (t instanceof ParsingException) return otherwise;
    }
    return otherwise;
  }

  private static boolean isStreamError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException || t instanceof ZipException) return true;
      String m = t.getMessage() == null ? "" : t.getMessage();
      if (m.contains("Unexpected end")) return true;
    }
    return false;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public void close() throws IOException {
    if (reader != null) reader.close();
  }
}
