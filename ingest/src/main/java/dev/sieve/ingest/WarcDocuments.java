package dev.sieve.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import org.netpreserve.jwarc.MediaType;

/**
 * Turns a {@link WarcCapture} into what ingest records for it: a document ({@code response}
 * holding HTML, main text by {@link HtmlExtractor}; in WET mode a {@code conversion} as it is) or a
 * skip ({@code warc_<type>}, {@code non_html}, {@code http_status_<n>}, {@code empty_text}).
 */
final class WarcDocuments {
  private final boolean wet;
  private final String corpus;
  private final String sourceName;
  private final HtmlExtractor extractor;

  WarcDocuments(boolean wet, String corpus, String sourceName, HtmlExtractor extractor) {
    this.wet = wet;
    this.corpus = corpus;
    this.sourceName = sourceName;
    this.extractor = extractor;
  }

  /** Skip reason for a WARC record type that is not a document here: {@code warc_<type>} for the standard types. */
  static String otherTypeReason(String type) {
    String t = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
    return switch (t) {
      case "warcinfo", "request", "metadata", "resource", "revisit", "continuation", "response", "conversion" -> "warc_" + t;
      default -> "warc_other";
    };
  }

  static boolean isHtml(String baseType) {
    String b = baseType.toLowerCase(java.util.Locale.ROOT);
    return b.equals("text/html") || b.equals("application/xhtml+xml");
  }

  /** The document or skip for {@code c}. */
  IngestRecord of(WarcCapture c) {
    if (wet) {
      if (!c.type().equals("conversion")) return new IngestRecord.Skipped(otherTypeReason(c.type()), sourceName, c.start());
      Map<String, String> meta = new LinkedHashMap<>();
      if (c.identifiedLanguage() != null) meta.put("identified_language", c.identifiedLanguage());
      meta.put("warc_record_id", c.recordId());
      // WET bodies are UTF-8 by definition: a BOM is dropped, an invalid byte becomes U+FFFD and is counted.
      byte[] p = c.payload();
      int bom = p.length >= 3 && (p[0] & 0xFF) == 0xEF && (p[1] & 0xFF) == 0xBB && (p[2] & 0xFF) == 0xBF ? 3 : 0;
      CharsetSniffer.Counted text = CharsetSniffer.decodeCounting(p, bom, java.nio.charset.StandardCharsets.UTF_8);
      return new IngestRecord.Parsed(new RawDoc(corpus, c.target(), null, c.recordId(), null, text.text(), c.date(), sourceName,
          c.start(), meta), new Repairs().add(Repairs.INVALID_UTF8, text.errors()).asMap());
    }
    if (!c.type().equals("response")) return new IngestRecord.Skipped(otherTypeReason(c.type()), sourceName, c.start());
    MediaType type = MediaType.parseLeniently(c.contentType() == null ? "application/octet-stream" : c.contentType());
    if (!isHtml(type.base().toString())) return new IngestRecord.Skipped("non_html", sourceName, c.start());
    if (c.httpStatus() < 200 || c.httpStatus() >= 300) {
      return new IngestRecord.Skipped("http_status_" + c.httpStatus(), sourceName, c.start());
    }
    HtmlExtractor.Page page = extractor.extract(c.payload(), type.parameters().get("charset"), c.target());
    if (page.text().isEmpty()) return new IngestRecord.Skipped("empty_text", sourceName, c.start());
    Map<String, String> meta = new LinkedHashMap<>();
    if (page.htmlLang() != null) meta.put("html_lang", page.htmlLang());
    meta.put("charset", page.charset().name());
    meta.put("charset_from", page.charsetFrom());
    if (page.charsetRejected() != null) meta.put("charset_declared", page.charsetRejected().name());
    meta.put("warc_record_id", c.recordId());
    if (!page.rawTitle().equals(page.title())) meta.put("html_title", page.rawTitle());
    return new IngestRecord.Parsed(new RawDoc(corpus, c.target(), null, c.recordId(), blankToNull(page.title()),
        page.text(), c.date(), sourceName, c.start(), meta), page.repairs().asMap());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
