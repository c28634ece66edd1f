package dev.sieve.generate;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Where a planned document goes: its format (by language and quality), fetch time, site and URL,
 * WuDao keys, and for WARC pages a legacy charset the way real crawls declare it. Draws from the
 * document's own random stream after its text is written.
 */
final class Placement {
  private static final Map<String, List<String>> TLDS = Map.of(
      "en", List.of("com", "org", "net", "co.uk", "com.au"),
      "zh", List.of("cn", "com.cn", "com"),
      "de", List.of("de", "at", "ch"),
      "fr", List.of("fr", "be", "ca"),
      "es", List.of("es", "com.mx", "com.ar"),
      "ru", List.of("ru", "com.ru", "by"));
  private static final String[] SITE_SYLLABLES = {"al", "bra", "cen", "dor", "el", "far", "gal", "hor", "in", "jun", "kel", "lum",
      "mon", "nor", "or", "pal", "quin", "ros", "sol", "tor", "ur", "val", "wen", "xen", "yor", "zen"};
  private static final String[] WUDAO_TYPES = {"博客", "新闻", "百科", "问答", "论坛"};

  private Placement() {}

  /** Sets format, fetch time, site, URL and key (WuDao: uniqueKey, titleUkey, dataType) and, for WARC, the charset. */
  static void place(GeneratedDoc d, SplittableRandom r) {
    int f = r.nextInt(100);
    if (d.quality == Quality.BOILERPLATE_ONLY) d.format = Format.WARC;
    else if (d.quality == Quality.WRONG_LANGUAGE && "zh".equals(d.declaredLang)) d.format = f < 70 ? Format.WUDAO : Format.WARC;
    else if (d.quality == Quality.WRONG_LANGUAGE) d.format = f < 70 ? Format.WARC : Format.JSONL;
    else if ("zh".equals(d.lang)) d.format = f < 45 ? Format.WUDAO : f < 70 ? Format.WARC : f < 80 ? Format.WET : Format.JSONL;
    else d.format = f < 55 ? Format.WARC : f < 80 ? Format.WET : Format.JSONL;

    d.fetchTime = CorpusGenerator.EPOCH.plusSeconds(r.nextLong(2L * 365 * 86_400));
    int site = r.nextInt(40);
    d.site = siteName(d.declaredLang, d.topic, site);
    String month = DateTimeFormatter.ofPattern("yyyy/MM").withZone(ZoneOffset.UTC).format(d.fetchTime);
    d.url = "https://" + d.site + "/" + month + "/" + d.topic + "-" + Long.toString(d.index, 36) + ".html";
    d.key = d.url;
    if (d.format == Format.WUDAO) {
      d.uniqueKey = hex(r, 16);
      d.titleUkey = hex(r, 16);
      d.dataType = WUDAO_TYPES[r.nextInt(WUDAO_TYPES.length)];
      d.key = d.uniqueKey;
    }
    if (d.format == Format.WARC) chooseCharset(d, r);
  }

  /** Legacy charsets the way real crawls carry them: in the HTTP header, in a meta tag, or both. */
  private static void chooseCharset(GeneratedDoc d, SplittableRandom r) {
    String charset = "UTF-8";
    int u = r.nextInt(100);
    switch (d.declaredLang) {
      case "zh" -> { if (u < 20) charset = "GB18030"; }
      case "ru" -> { if (u < 20) charset = "windows-1251"; }
      case "de", "fr", "es" -> { if (u < 15) charset = "windows-1252"; }
      default -> { }
    }
    if (!charset.equals("UTF-8")) {
      CharsetEncoder enc = Charset.forName(charset).newEncoder();
      if (!enc.canEncode(d.title) || !enc.canEncode(d.text()) || !enc.canEncode(d.site)) charset = "UTF-8";
    }
    d.charset = charset;
    int where = r.nextInt(3);
    d.charsetInHeader = where != 1;
    d.charsetInMeta = where != 0;
  }

  private static String siteName(String lang, String topic, int k) {
    SplittableRandom s = new SplittableRandom(CorpusGenerator.mix(lang.hashCode() * 31L + topic.hashCode(), k));
    StringBuilder sb = new StringBuilder();
    if (s.nextBoolean()) sb.append("www.");
    int n = 2 + s.nextInt(2);
    for (int j = 0; j < n; j++) sb.append(SITE_SYLLABLES[s.nextInt(SITE_SYLLABLES.length)]);
    sb.append('-').append(topic);
    List<String> tlds = TLDS.get(lang);
    return sb.append('.').append(tlds.get(s.nextInt(tlds.size()))).toString();
  }

  private static String hex(SplittableRandom r, int bytes) {
    byte[] b = new byte[bytes];
    for (int i = 0; i < bytes; i++) b[i] = (byte) r.nextInt(256);
    return HexFormat.of().formatHex(b);
  }
}
