package dev.sieve.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Doc;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, items 1, 2, 4 and 6: inputs that broke other pipelines (charsets, BOMs, off-spec
 * URLs, silent repairs), each with its known answer, plus inputs of the same kind from public bug
 * reports (named in the comments).
 */
class InputRepairTest {
  private static final Charset GB18030 = Charset.forName("GB18030");
  private static final Charset CP1252 = Charset.forName("windows-1252");
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  // ------------------------------------------------------------------ 1. charsets

  @Test
  void utf8BomWinsOverAContradictingHttpCharset(@TempDir Path dir) throws Exception {
    String html = "<html><head><title>河边的村子</title></head><body><article><p>河边有一个小村子，村里住着几十户人家。</p>"
        + "<p>每天早上，渔夫们划着小船出去打鱼。</p></article></body></html>";
    byte[] body = concat(BOM, html.getBytes(StandardCharsets.UTF_8));
    Path f = dir.resolve("bom.warc");
    Files.write(f, concat(
        ("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=GBK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
        body), java.nio.file.StandardOpenOption.CREATE_NEW);
    // Wrap the HTTP response into a WARC response record.
    byte[] http = Files.readAllBytes(f);
    Files.delete(f);
    Files.write(f, warcRecord("response", "<urn:uuid:1>", "http://example.cn/village".getBytes(StandardCharsets.UTF_8),
        "application/http; msgtype=response", http));
    List<IngestRecord> out = BadInputTest.readAll(InputFormat.WARC, f);
    assertEquals(1, out.size(), out.toString());
    RawDoc d = ((IngestRecord.Parsed) out.get(0)).doc();
    assertEquals("河边的村子", d.title());
    assertEquals("河边有一个小村子，村里住着几十户人家。\n每天早上，渔夫们划着小船出去打鱼。", d.text());
    assertEquals("bom", d.metadata().get("charset_from"));
    assertEquals("UTF-8", d.metadata().get("charset"));
    assertEquals(Map.of(), ((IngestRecord.Parsed) out.get(0)).repairs());

    // scrapy/w3lib#189 (BOM should take precedence over Content-Type): charset=cp1251 header, UTF-8 BOM, "Привет!".
    byte[] w3lib = concat(BOM, "<!DOCTYPE html>Привет!".getBytes(StandardCharsets.UTF_8));
    HtmlExtractor.Page p = new HtmlExtractor().extract(w3lib, "cp1251", null);
    assertEquals("Привет!", p.text());
    assertEquals("bom", p.charsetFrom());
    // A UTF-16LE BOM wins the same way, and is not part of the text.
    byte[] utf16 = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, "<p>Grüße</p>".getBytes(StandardCharsets.UTF_16LE));
    assertEquals("Grüße", new HtmlExtractor().extract(utf16, "iso-8859-1", null).text());
  }

  @Test
  void charsetOrderAndLabelsFollowWhatwg() {
    // AngleSharp/AngleSharp#295: the header says windows-1252, the page's <meta> says utf-8, the bytes are windows-1252:
    // the transport charset comes before the meta prescan.
    byte[] cafe = "<html><head><meta charset=\"utf-8\"></head><body><p>Un café crème à la française.</p></body></html>".getBytes(CP1252);
    HtmlExtractor.Page p = new HtmlExtractor().extract(cafe, "windows-1252", null);
    assertEquals("header", p.charsetFrom());
    assertEquals("Un café crème à la française.", p.text());

    // toland/patron#45: a header label that is no label (iso-88591) is no declaration; the meta (iso-8859-1) decides,
    // and iso-8859-1 decodes as windows-1252 (WHATWG): 0x80 is the euro sign.
    byte[] patron = "<meta http-equiv=\"content-type\" content=\"text/html; charset=iso-8859-1\"><p>Preis: 5 € pro Stück</p>".getBytes(CP1252);
    p = new HtmlExtractor().extract(patron, "iso-88591", null);
    assertEquals("meta", p.charsetFrom());
    assertEquals(CP1252, p.charset());
    assertEquals("Preis: 5 € pro Stück", p.text());

    // kovidgoyal/html5-parser#14: a page that declares UTF-7 (not a WHATWG label) but is ASCII reads as ASCII.
    p = new HtmlExtractor().extract("<p>+xxx and 1+1=2</p>".getBytes(StandardCharsets.US_ASCII), "utf-7", null);
    assertEquals("+xxx and 1+1=2", p.text());
    assertFalse(p.charsetFrom().equals("header"));

    // The prescan reads the first 1024 bytes only, and skips comments.
    String zh = "<p>中华人民共和国是一个国家，人口众多，历史悠久。</p>";
    byte[] late = ("<html><head><!-- " + "x".repeat(1100) + " --><meta charset=\"gbk\"></head><body>" + zh + "</body></html>").getBytes(GB18030);
    assertFalse(CharsetSniffer.sniff(late, null).from().equals("meta"));
    byte[] commented = ("<!-- <meta charset=\"windows-1251\"> --><meta charset=\"gb2312\">" + zh).getBytes(GB18030);
    assertEquals(new CharsetSniffer.Decision(GB18030, "meta"), CharsetSniffer.sniff(commented, null));
    // A UTF-16 label in a meta means UTF-8, x-user-defined means windows-1252 (WHATWG prescan).
    assertEquals(new CharsetSniffer.Decision(StandardCharsets.UTF_8, "meta"),
        CharsetSniffer.sniff("<meta charset=\"utf-16\"><p>é</p>".getBytes(StandardCharsets.UTF_8), null));
    assertEquals(new CharsetSniffer.Decision(CP1252, "meta"), CharsetSniffer.sniff("<meta charset=x-user-defined><p>a</p>".getBytes(CP1252), null));
    // A UTF-16 header on a body with no NUL byte is a misconfigured server (ASCII bytes are not UTF-16).
    assertFalse(CharsetSniffer.sniff("<p>plain ascii page</p>".getBytes(StandardCharsets.US_ASCII), "utf-16").from().equals("header"));

    // WHATWG labels and their decoders.
    assertEquals(GB18030, CharsetSniffer.lookup("gb2312"));
    assertEquals(GB18030, CharsetSniffer.lookup(" GBK "));
    assertEquals(GB18030, CharsetSniffer.lookup("x-gbk"));
    assertEquals(CP1252, CharsetSniffer.lookup("latin1"));
    assertEquals(CP1252, CharsetSniffer.lookup("US-ASCII"));
    assertEquals(CP1252, CharsetSniffer.lookup("x-user-defined"));
    assertEquals(Charset.forName("windows-1254"), CharsetSniffer.lookup("iso-8859-9"));
    assertEquals(Charset.forName("windows-31j"), CharsetSniffer.lookup("shift_jis"));
    assertEquals(Charset.forName("x-windows-949"), CharsetSniffer.lookup("euc-kr"));
    assertEquals(Charset.forName("Big5-HKSCS"), CharsetSniffer.lookup("big5"));
    assertEquals(StandardCharsets.UTF_16LE, CharsetSniffer.lookup("utf-16"));
    assertNull(CharsetSniffer.lookup("iso-2022-kr"), "WHATWG's replacement encoding is no usable declaration");
    assertNull(CharsetSniffer.lookup("utf-7"));
    assertNull(CharsetSniffer.lookup("iso-88591"));
  }

  @Test
  void aDeclaredCharsetThatDoesNotDecodeThePageFallsBackAndIsCounted() {
    // The issue's page without its BOM: header GBK, bytes UTF-8. GB18030 leaves replacement characters, UTF-8 decodes cleanly.
    byte[] utf8 = "<html><head><title>河边的村子</title></head><body><p>河边有一个小村子，村里住着几十户人家。</p></body></html>"
        .getBytes(StandardCharsets.UTF_8);
    HtmlExtractor.Page p = new HtmlExtractor().extract(utf8, "GBK", null);
    assertEquals("河边的村子", p.title());
    assertEquals("河边有一个小村子，村里住着几十户人家。", p.text());
    assertEquals("fallback", p.charsetFrom());
    assertEquals(GB18030, p.charsetRejected());
    assertEquals(Map.of(Repairs.CHARSET_FALLBACK, 1L), p.repairs().asMap());

    // nolanw/HTMLReader#39: the document says <meta charset=utf-8> but its data does not decode as UTF-8 (here: GBK).
    String zh = "<html><head><meta charset=\"utf-8\"><title>中文</title></head><body><p>中华人民共和国是一个国家，人口众多，历史悠久，"
        + "文化灿烂。长江和黄河是中国最长的两条河流。</p></body></html>";
    p = new HtmlExtractor().extract(zh.getBytes(GB18030), null, null);
    assertEquals("fallback", p.charsetFrom());
    assertEquals(GB18030, p.charset());
    assertTrue(p.text().startsWith("中华人民共和国是一个国家"), p.text());
    assertEquals(1L, p.repairs().get(Repairs.CHARSET_FALLBACK));

    // A GBK page cut in the middle of its last character keeps its charset: one replacement, counted.
    byte[] gb = "<p>中华人民共和国</p><p>长江</p>".getBytes(GB18030);
    byte[] cut = java.util.Arrays.copyOf(gb, gb.length - "</p>".length() - 1);
    p = new HtmlExtractor().extract(cut, "gbk", null);
    assertEquals("header", p.charsetFrom());
    assertEquals("中华人民共和国\n长\uFFFD", p.text());
    assertEquals(Map.of(Repairs.INVALID_BYTES, 1L), p.repairs().asMap());
  }

  // ------------------------------------------------------------------ 2. URLs

  @Test
  void offSpecUrlsAreNormalisedTheWayBrowsersParseThem() {
    assertEquals("http://www.blocked-example.com/search?q=red%7Cblue&tag=a%5Eb",
        Urls.normalize("http://www.blocked-example.com/search?q=red|blue&tag=a^b"));
    assertEquals("blocked-example.com", Urls.registeredDomain(Urls.host("http://www.blocked-example.com/search?q=red|blue&tag=a^b")));
    assertEquals("http://shop.example.de/files/summer%20sale.html", Urls.normalize("http://shop.example.de/files/summer sale.html"));
    assertEquals("example.de", Urls.registeredDomain(Urls.host("http://shop.example.de/files/summer sale.html")));

    // machawk1/warcreate#107: Google Fonts' recommended URL with an unencoded '|'.
    assertEquals("https://fonts.googleapis.com/css?family=Open+Sans:400,600,800,700%7COpen+Sans+Condensed:300",
        Urls.normalize("https://fonts.googleapis.com/css?family=Open+Sans:400,600,800,700|Open+Sans+Condensed:300"));
    // iipc/jwarc#90: a query with no path before it, and brackets in the query.
    assertEquals("https://secur-serv.com/?post_type=post&categories[]=8", Urls.normalize("https://secur-serv.com?post_type=post&categories[]=8"));
    // webrecorder/warcio#80 (spaces in WARC-Target-URI).
    assertEquals("http://example.org/source/Markey%20Cover_sm.jpg", Urls.normalize("http://example.org/source/Markey Cover_sm.jpg"));
    // IDN hosts become punycode, upper case and trailing dots go, default ports go, '\' is '/', fragments go.
    assertEquals("http://xn--fsqu00a.xn--fiqs8s/%E6%96%B0%E9%97%BB?q=%E4%B8%AD", Urls.normalize("http://例子.中国/新闻?q=中#top"));
    assertEquals("https://www.example.com/a/b", Urls.normalize("HTTPS://WWW.Example.COM.:443\\a\\b"));
    assertEquals("http://example.com/", Urls.normalize("  http://example.com:80  "));
    assertEquals("ftp://example.com/pub/", Urls.normalize("ftp://example.com:21/pub/"));
    assertEquals("http://example.com:8080/x", Urls.normalize("http:\\\\example.com:8080/x"));
    assertEquals("http://example.com/ab", Urls.normalize("http://exa\tmple.com/a\nb"), "tabs and newlines inside are removed");
    // Control characters and what a non-UTF-8 byte became upstream are percent-encoded; a stray '%' too.
    assertEquals("http://example.com/a%01b/%EF%BF%BD?p=100%25", Urls.normalize("http://example.com/a\u0001b/\uFFFD?p=100%"));
    assertEquals("http://example.com/a%20b", Urls.normalize("http://example.com/a%20b"), "existing escapes stay");
    assertEquals("http://[2001:db8::1]:8080/", Urls.normalize("http://[2001:DB8::1]:8080"));
    // Still not URLs.
    assertNull(Urls.normalize("not a url"));
    assertNull(Urls.normalize("mailto:someone@example.com"));
    assertNull(Urls.normalize("http://exa mple.com/"));
    assertNull(Urls.normalize("http://"));
    assertEquals("http://nohost/", Urls.normalize("http:///nohost"), "WHATWG skips any run of slashes after a special scheme");
  }

  @Test
  void wetRecordsWithOffSpecTargetUrisKeepTheirDomain(@TempDir Path dir) throws Exception {
    byte[] latin1Uri = concat("http://www.example.fr/caf".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xE9},
        ".html".getBytes(StandardCharsets.US_ASCII));
    Path f = dir.resolve("urls.wet");
    Files.write(f, concat(
        warcRecord("conversion", "<urn:uuid:a>", "http://www.blocked-example.com/search?q=red|blue&tag=a^b".getBytes(StandardCharsets.UTF_8),
            "text/plain", "Red or blue, the search page.".getBytes(StandardCharsets.UTF_8)),
        warcRecord("conversion", "<urn:uuid:b>", "http://shop.example.de/files/summer sale.html".getBytes(StandardCharsets.UTF_8),
            "text/plain", "Summer sale on every shoe.".getBytes(StandardCharsets.UTF_8)),
        warcRecord("conversion", "<urn:uuid:c>", latin1Uri, "text/plain", "Un café.".getBytes(StandardCharsets.UTF_8))));
    List<Doc> docs = assemble(BadInputTest.readAll(InputFormat.WET, f));
    assertEquals(3, docs.size());
    assertEquals("http://www.blocked-example.com/search?q=red%7Cblue&tag=a%5Eb", docs.get(0).url());
    assertEquals("blocked-example.com", docs.get(0).domain());
    assertEquals("http://shop.example.de/files/summer%20sale.html", docs.get(1).url());
    assertEquals("example.de", docs.get(1).domain());
    assertEquals("example.fr", docs.get(2).domain());
    assertTrue(docs.get(2).url().startsWith("http://www.example.fr/caf%") && docs.get(2).url().endsWith(".html"), docs.get(2).url());
  }

  // ------------------------------------------------------------------ 4. BOMs

  @Test
  void aBomAtTheStartOfAnyTextInputIsDropped(@TempDir Path dir) throws Exception {
    // The issue's JSONL: 3 records in, 3 documents out. vectordotdev/vector#22541 (parse_json fails on the first line of a
    // UTF-8-with-BOM file) is the same input.
    Path jsonl = dir.resolve("bom.jsonl");
    Files.write(jsonl, concat(BOM, "{\"id\":\"1\",\"text\":\"first\"}\n{\"id\":\"2\",\"text\":\"second\"}\n{\"id\":\"3\",\"text\":\"third\"}\n"
        .getBytes(StandardCharsets.UTF_8)));
    List<IngestRecord> out = BadInputTest.readAll(InputFormat.JSONL, jsonl);
    assertEquals(List.of("doc:1@0", "doc:2@29", "doc:3@56"), BadInputTest.summary(out));
    assertEquals("first", ((IngestRecord.Parsed) out.get(0)).doc().text());
    assertEquals(Map.of(), ((IngestRecord.Parsed) out.get(0)).repairs(), "a BOM is counted nowhere");

    // salsify/jsonstreamingparser#36: a JSON array file that starts EF BB BF 5B (the WuDao layout).
    Path wudao = dir.resolve("bom.json");
    Files.write(wudao, concat(BOM, "[\n{\"uniqueKey\":\"k1\",\"title\":\"一\",\"content\":\"第一篇\"},\n{\"uniqueKey\":\"k2\",\"title\":\"二\",\"content\":\"第二篇\"}\n]"
        .getBytes(StandardCharsets.UTF_8)));
    out = BadInputTest.readAll(InputFormat.WUDAO, wudao);
    assertEquals(List.of("doc:k1@5", "doc:k2@61"), BadInputTest.summary(out));
    assertEquals("第一篇", ((IngestRecord.Parsed) out.get(0)).doc().text());

    Path txt = dir.resolve("bom.txt");
    Files.write(txt, concat(BOM, "第一行\n第二行\n".getBytes(StandardCharsets.UTF_8)));
    out = BadInputTest.readAll(InputFormat.TEXT, txt);
    assertEquals("第一行", ((IngestRecord.Parsed) out.get(0)).doc().text());
    assertEquals(2, out.size());

    Path wet = dir.resolve("bom.wet");
    Files.write(wet, warcRecord("conversion", "<urn:uuid:d>", "http://example.org/".getBytes(StandardCharsets.UTF_8), "text/plain",
        concat(BOM, "Text after a BOM.".getBytes(StandardCharsets.UTF_8))));
    out = BadInputTest.readAll(InputFormat.WET, wet);
    assertEquals("Text after a BOM.", ((IngestRecord.Parsed) out.get(0)).doc().text());
  }

  // ------------------------------------------------------------------ 6. repairs

  @Test
  void aNulBecomesASpaceAndIsCounted() {
    Repairs r = new Repairs();
    assertEquals("null after", TextNormalizer.normalize("null\u0000after", r));
    assertEquals(Map.of(Repairs.NUL, 1L), r.asMap());
    // aboutcode-org/scancode-toolkit#2212: a text file with NUL bytes well past its start (UTF-16 read as bytes: every other byte NUL).
    r = new Repairs();
    assertEquals("R e a d M e", TextNormalizer.normalize("R\u0000e\u0000a\u0000d\u0000M\u0000e\u0000", r));
    assertEquals(6L, r.get(Repairs.NUL));
    // Other control characters keep words apart too.
    r = new Repairs();
    assertEquals("bell ring", TextNormalizer.normalize("bell\u0007ring", r));
    assertEquals(Map.of(Repairs.CONTROL, 1L), r.asMap());
    assertEquals("a b", TextNormalizer.normalize("a \u0000 b"), "no double space");
  }

  @Test
  void invalidBytesAreRepairedAndCountedTheSameInEveryFormat(@TempDir Path dir) throws Exception {
    // webrecorder/pywb#38: "'utf8' codec can't decode byte 0xf1 ... invalid continuation byte" on a wget WARC.
    byte[] bad = {(byte) 0xF1, ' '};
    Path wet = dir.resolve("bad.wet");
    Files.write(wet, warcRecord("conversion", "<urn:uuid:e>", "http://example.org/".getBytes(StandardCharsets.UTF_8), "text/plain",
        concat("Ma".getBytes(StandardCharsets.UTF_8), bad, "ana and more".getBytes(StandardCharsets.UTF_8))));
    List<IngestRecord> out = BadInputTest.readAll(InputFormat.WET, wet);
    IngestRecord.Parsed p = (IngestRecord.Parsed) out.get(0);
    assertEquals("Ma\uFFFD ana and more", p.doc().text());
    assertEquals(Map.of(Repairs.INVALID_UTF8, 1L), p.repairs());

    // JSONL: the same byte inside a string is repaired, not quarantined; the line's neighbours are untouched.
    Path jsonl = dir.resolve("bad.jsonl");
    Files.write(jsonl, concat("{\"id\":\"a\",\"text\":\"Ma".getBytes(StandardCharsets.UTF_8), bad,
        "ana\"}\n{\"id\":\"b\",\"text\":\"null\\u0000after\"}\n".getBytes(StandardCharsets.UTF_8)));
    out = BadInputTest.readAll(InputFormat.JSONL, jsonl);
    assertEquals(List.of("doc:a@0", "doc:b@28"), BadInputTest.summary(out));
    assertEquals(Map.of(Repairs.INVALID_UTF8, 1L), ((IngestRecord.Parsed) out.get(0)).repairs());
    Repairs r = new Repairs();
    Doc b = new DocAssembler(new LanguageIdentifier(300)).assemble(((IngestRecord.Parsed) out.get(1)).doc(), "t", r).orElseThrow();
    assertEquals("null after", b.text());
    assertEquals(Map.of(Repairs.NUL, 1L), r.asMap());

    // WuDao JSON: likewise, and the offsets of the records after it stay true file offsets.
    Path wudao = dir.resolve("bad.json");
    byte[] first = concat("[\n{\"uniqueKey\":\"k1\",\"content\":\"Ma".getBytes(StandardCharsets.UTF_8), bad, new byte[] {(byte) 0xC3, '"', '}', ',', '\n'});
    Files.write(wudao, concat(first, "{\"uniqueKey\":\"k2\",\"content\":\"第二篇\"}\n]".getBytes(StandardCharsets.UTF_8)));
    out = BadInputTest.readAll(InputFormat.WUDAO, wudao);
    assertEquals(List.of("doc:k1@2", "doc:k2@" + first.length), BadInputTest.summary(out));
    assertEquals("Ma\uFFFD \uFFFD", ((IngestRecord.Parsed) out.get(0)).doc().text());
    assertEquals(Map.of(Repairs.INVALID_UTF8, 2L), ((IngestRecord.Parsed) out.get(0)).repairs());
    assertEquals(Map.of(), ((IngestRecord.Parsed) out.get(1)).repairs());
  }

  // ------------------------------------------------------------------ helpers

  private static List<Doc> assemble(List<IngestRecord> records) {
    DocAssembler a = new DocAssembler(new LanguageIdentifier(300));
    List<Doc> out = new ArrayList<>();
    for (IngestRecord r : records) {
      if (r instanceof IngestRecord.Parsed p) out.add(a.assemble(p.doc(), "t").orElseThrow());
      else throw new AssertionError("not a document: " + r);
    }
    return out;
  }

  /** One uncompressed WARC record; the target URI is raw bytes (it may hold bytes that are not UTF-8). */
  static byte[] warcRecord(String type, String id, byte[] target, String contentType, byte[] block) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Record-ID: " + id + "\r\nWARC-Date: 2024-03-01T12:00:00Z\r\n"
        + "WARC-Target-URI: ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(target);
    out.writeBytes(("\r\nContent-Type: " + contentType + "\r\nContent-Length: " + block.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(block);
    out.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }
}
