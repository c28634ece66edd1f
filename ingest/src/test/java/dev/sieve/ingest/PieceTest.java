package dev.sieve.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The small per-document pieces of ingest, each with known answers. */
class PieceTest {
  @Test
  void htmlExtractorKeepsContentDropsChrome() {
    String html = """
        <html lang="en"><head><title>Bread at home | Baker's Blog</title><script>var x=1;</script></head><body>
        <div class="cookie-banner"><p>We use cookies to improve your experience.</p></div>
        <header><nav><ul><li><a href="/">Home</a></li><li><a href="/about">About</a></li></ul></nav></header>
        <article><h1>Bread at home</h1>
        <p>Good bread needs flour, water, salt and <a href="/yeast">yeast</a>, and a lot of patience.</p>
        <h2>The dough</h2><ul><li>Mix the flour with warm water.</li><li>Rest it for an hour.</li></ul>
        <ul class="tags"><li><a href="/t/1">bread</a></li></ul>
        <ul><li><a href="/a">Another post</a></li><li><a href="/b">Yet another post</a></li></ul>
        </article><aside class="related"><a href="/x">Related reading</a></aside>
        <footer><p>© 2024 Baker's Blog. All rights reserved.</p></footer></body></html>
        """;
    HtmlExtractor.Page p = new HtmlExtractor().extract(html.getBytes(StandardCharsets.UTF_8), null, "https://example.com/bread");
    assertEquals("Bread at home", p.title());
    assertEquals("Bread at home | Baker's Blog", p.rawTitle());
    assertEquals("en", p.htmlLang());
    assertEquals("Good bread needs flour, water, salt and yeast, and a lot of patience.\nThe dough\n"
        + "Mix the flour with warm water.\nRest it for an hour.", p.text());
  }

  @Test
  void charsetFromHeaderMetaOrDetection() {
    String zh = "<html><head><meta charset=\"gb2312\"><title>中文</title></head><body><p>中华人民共和国是一个国家，人口众多，历史悠久。</p></body></html>";
    byte[] gb = zh.getBytes(Charset.forName("GB18030"));
    assertEquals("meta", CharsetSniffer.sniff(gb, null).from());
    assertEquals(Charset.forName("GB18030"), CharsetSniffer.sniff(gb, null).charset());
    assertEquals("header", CharsetSniffer.sniff(gb, "GBK").from());
    assertTrue(new HtmlExtractor().extract(gb, null, null).text().startsWith("中华人民共和国"));
    String ru = "<html><body><p>Съешь же ещё этих мягких французских булок, да выпей чаю. Съешь же ещё этих мягких булок.</p></body></html>";
    byte[] cp1251 = ru.getBytes(Charset.forName("windows-1251"));
    CharsetSniffer.Decision d = CharsetSniffer.sniff(cp1251, null);
    assertEquals("detected", d.from());
    assertEquals(Charset.forName("windows-1251"), d.charset());
    assertNull(CharsetSniffer.lookup("no-such-charset"));
    assertEquals(Charset.forName("windows-1252"), CharsetSniffer.lookup("ISO-8859-1"));
  }

  @Test
  void urlsAndDomains() {
    assertEquals("https://example.com/a?b=1", Urls.normalize("HTTPS://Example.COM:443/a?b=1#frag"));
    assertEquals("http://example.com/", Urls.normalize("http://example.com"));
    assertEquals("http://example.com/b", Urls.normalize("http://example.com/a/../b"));
    assertNull(Urls.normalize("not a url"));
    assertEquals("bbc.co.uk", Urls.registeredDomain("news.bbc.co.uk"));
    assertEquals("example.com.cn", Urls.registeredDomain("www.example.com.cn"));
    assertEquals("10.1.2.3", Urls.registeredDomain("10.1.2.3"));
    assertEquals("sample_english.com", Urls.registeredDomain("sample_english.com"));
  }

  @Test
  void textNormalizer() {
    assertEquals("a b\nc\n\nd", TextNormalizer.normalize("  a\t b  \r\nc\u200B\n\n\n\nd  \n"));
    assertEquals("e\u0301".length() == 2 ? "é" : "é", TextNormalizer.normalize("e\u0301"));
    assertEquals("中文\u3000全角", TextNormalizer.normalize("中文\u3000全角"));
    String already = "Line one.\nLine two.";
    assertEquals(already, TextNormalizer.normalize(already));
  }

  @Test
  void languageIdentifier() {
    LanguageIdentifier id = new LanguageIdentifier();
    assertEquals("en", id.identify("The quick brown fox jumps over the lazy dog while the farmer watches from the porch.").language());
    assertEquals("de", id.identify("Der schnelle braune Fuchs springt über den faulen Hund, während der Bauer zuschaut.").language());
    assertEquals("zh", id.identify("今天天气很好，我们一起去公园散步吧。").language());
    assertEquals("zh", id.identify("今天天氣很好，我們一起去公園散步吧。").language());
    assertEquals("ja", id.identify("今日はとても良い天気なので、公園を散歩しましょう。").language());
    assertEquals(LanguageIdentifier.UNKNOWN, id.identify("12345 !!!").language());
    assertFalse(id.identify("Bonjour tout le monde, comment allez-vous aujourd'hui ?").language().equals("en"));
  }
}
