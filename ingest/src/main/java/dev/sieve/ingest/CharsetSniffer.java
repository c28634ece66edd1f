package dev.sieve.ingest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mozilla.universalchardet.UniversalDetector;

/**
 * Decides the charset of an HTML body the way browsers do (WHATWG HTML, "determining the
 * character encoding"), in this order:
 * <ol>
 *   <li>a byte-order mark (UTF-8, UTF-16BE, UTF-16LE): it wins over everything, the HTTP header
 *       included, and is not part of the text ({@code bom});
 *   <li>the transport-layer charset, the HTTP {@code Content-Type} parameter ({@code header});
 *   <li>a {@code <meta charset>} or {@code <meta http-equiv=Content-Type content="...; charset=...">}
 *       in the first 1024 bytes, outside comments; a UTF-16 label there means UTF-8, and
 *       {@code x-user-defined} means windows-1252 ({@code meta});
 *   <li>statistical detection, Mozilla's universal charset detector ({@code detected});
 *   <li>UTF-8 ({@code default}).
 * </ol>
 * Labels are WHATWG Encoding labels ({@link #lookup}): {@code gb2312}/{@code gbk} decode as
 * GB18030, {@code latin1}/{@code iso-8859-1}/{@code ascii} as windows-1252, {@code shift_jis} as
 * windows-31j, {@code euc-kr} as windows-949, {@code big5} as Big5-HKSCS, {@code iso-8859-9} as
 * windows-1254, {@code tis-620} as windows-874. A label that is not a WHATWG label (a typo such as
 * {@code iso-88591}, {@code utf-7}) or that WHATWG maps to its "replacement" encoding
 * ({@code iso-2022-kr}, {@code hz-gb-2312}) is no declaration: the next step decides.
 *
 * <p>Beyond the browser: when the declared charset (header or meta) or the detected one yields
 * replacement characters and another charset decodes the whole page cleanly — UTF-8 (a page that
 * is valid UTF-8 is UTF-8 in practice), or what the detector says when the declared charset left at
 * least {@value #FALLBACK_MIN_ERRORS} errors — the clean one is used ({@code fallback}, counted as
 * {@link Repairs#CHARSET_FALLBACK}). A page behind a BOM is never second-guessed.
 */
public final class CharsetSniffer {
  /** WHATWG's prescan reads the first 1024 bytes. */
  static final int META_SCAN_BYTES = 1024;
  /** Errors the declared charset must leave before a detected (non-UTF-8) charset may replace it. */
  static final int FALLBACK_MIN_ERRORS = 3;
  private static final int DETECT_BYTES = 64 * 1024;
  private static final Pattern META = Pattern.compile("(?is)<meta\\s[^>]*?charset\\s*=\\s*[\"']?\\s*([^\\s\"'>;/]+)");
  private static final Pattern COMMENT = Pattern.compile("(?s)<!--.*?(-->|$)");
  private static final Map<String, String> LABELS = labels();

  private CharsetSniffer() {}

  /** Where the charset came from ({@code bom}, {@code header}, {@code meta}, {@code detected}, {@code default}, {@code fallback}). */
  public record Decision(Charset charset, String from) {}

  /**
   * A decoded body.
   *
   * @param invalid byte sequences the chosen decoder could not decode (each became one U+FFFD)
   * @param rejected the declared or detected charset that was given up for a clean one, or null
   */
  public record Decoded(String text, Charset charset, String from, long invalid, Charset rejected) {}

  /** Decides the charset ({@link #sniff}), decodes, and falls back to a charset that decodes cleanly when the chosen one does not. */
  public static Decoded decode(byte[] body, String headerCharset) {
    Decision d = sniff(body, headerCharset);
    int skip = d.from().equals("bom") ? bomLength(body) : 0;
    Counted first = decodeCounting(body, skip, d.charset());
    if (first.errors == 0 || d.from().equals("bom")) return new Decoded(first.text, d.charset(), d.from(), first.errors, null);
    if (!d.charset().equals(StandardCharsets.UTF_8)) {
      Counted utf8 = decodeCounting(body, 0, StandardCharsets.UTF_8);
      if (utf8.errors == 0) return new Decoded(utf8.text, StandardCharsets.UTF_8, "fallback", 0, d.charset());
    }
    if (first.errors >= FALLBACK_MIN_ERRORS && !d.from().equals("detected")) {
      Charset detected = detect(body);
      if (detected != null && !detected.equals(d.charset()) && !detected.equals(StandardCharsets.UTF_8)) {
        Counted c = decodeCounting(body, 0, detected);
        if (c.errors == 0) return new Decoded(c.text, detected, "fallback", 0, d.charset());
      }
    }
    return new Decoded(first.text, d.charset(), d.from(), first.errors, null);
  }

  public static Decision sniff(byte[] body, String headerCharset) {
    int bom = bomLength(body);
    if (bom == 3) return new Decision(StandardCharsets.UTF_8, "bom");
    if (bom == 2) return new Decision((body[0] & 0xFF) == 0xFE ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE, "bom");
    Charset c = lookup(headerCharset);
    // A UTF-16 header on a body without a single NUL byte in its head is a misconfigured server, not UTF-16.
    if (c != null && isUtf16(c) && !hasNul(body)) c = null;
    if (c != null) return new Decision(c, "header");
    c = prescan(body);
    if (c != null) return new Decision(c, "meta");
    c = detect(body);
    if (c != null) return new Decision(c, "detected");
    return new Decision(StandardCharsets.UTF_8, "default");
  }

  /** The charset a {@code <meta>} declares in the first 1024 bytes (comments skipped), with WHATWG's meta rules, or null. */
  static Charset prescan(byte[] body) {
    String head = new String(body, 0, Math.min(body.length, META_SCAN_BYTES), StandardCharsets.ISO_8859_1);
    head = COMMENT.matcher(head).replaceAll(" ");
    Matcher m = META.matcher(head);
    while (m.find()) {
      String label = m.group(1).strip().toLowerCase(Locale.ROOT);
      if (label.equals("x-user-defined")) return Charset.forName("windows-1252");
      Charset c = lookup(label);
      if (c == null) continue;
      return isUtf16(c) ? StandardCharsets.UTF_8 : c;
    }
    return null;
  }

  private static Charset detect(byte[] body) {
    UniversalDetector detector = new UniversalDetector();
    detector.handleData(body, 0, Math.min(body.length, DETECT_BYTES));
    detector.dataEnd();
    String name = webPrior(detector.getDetectedCharset());
    if (name == null) return null;
    Charset c = lookup(name);
    if (c != null) return c;
    try {
      return Charset.isSupported(name) ? Charset.forName(name) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The detector cannot tell some legacy charsets apart on short text; on the web one of each pair
   * is overwhelmingly more common (Mac Cyrillic and IBM866 pages are vanishingly rare next to
   * windows-1251).
   */
  private static String webPrior(String detected) {
    if (detected == null) return null;
    return switch (detected.toUpperCase(Locale.ROOT)) {
      case "MACCYRILLIC", "X-MAC-CYRILLIC", "IBM855", "IBM866" -> "windows-1251";
      default -> detected;
    };
  }

  /**
   * The Java charset for a WHATWG Encoding label (case-insensitive, surrounding whitespace
   * ignored), with WHATWG's supersets; {@code null} for a label WHATWG does not know, one it maps to
   * its replacement encoding, and the few encodings Java lacks (ISO-8859-10, ISO-8859-14, macintosh).
   * {@code x-user-defined} decodes as windows-1252 (its PUA code points are no text).
   */
  public static Charset lookup(String label) {
    if (label == null || label.isBlank()) return null;
    String name = LABELS.get(label.strip().toLowerCase(Locale.ROOT));
    if (name == null) return null;
    try {
      return Charset.isSupported(name) ? Charset.forName(name) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static int bomLength(byte[] b) {
    if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) return 3;
    if (b.length >= 2 && ((b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF || (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE)) return 2;
    return 0;
  }

  private static boolean isUtf16(Charset c) {
    return c.equals(StandardCharsets.UTF_16LE) || c.equals(StandardCharsets.UTF_16BE) || c.equals(StandardCharsets.UTF_16);
  }

  private static boolean hasNul(byte[] b) {
    for (int i = 0, n = Math.min(b.length, META_SCAN_BYTES); i < n; i++) if (b[i] == 0) return true;
    return false;
  }

  /** Text and the number of undecodable sequences (each replaced by one U+FFFD). */
  record Counted(String text, long errors) {}

  /** Decodes {@code bytes} from {@code offset}, replacing each malformed or unmappable sequence by U+FFFD and counting them. */
  static Counted decodeCounting(byte[] bytes, int offset, Charset cs) {
    // The common case first: the JDK's String decoder (replacing bad input with U+FFFD, the
    // standard charsets' replacement). Without a U+FFFD in its result nothing was replaced, so it is
    // exactly what the counting decoder below gives with 0 errors; with one, count properly.
    String quick = new String(bytes, offset, bytes.length - offset, cs);
    if (quick.indexOf('\uFFFD') < 0) return new Counted(quick, 0);
    CharsetDecoder dec = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
    CharBuffer out = CharBuffer.allocate(Math.max(16, (int) ((bytes.length - offset) * (double) dec.averageCharsPerByte()) + 16));
    long errors = 0;
    while (true) {
      CoderResult r = dec.decode(in, out, true);
      if (r.isUnderflow()) break;
      if (r.isOverflow()) {
        out = grow(out);
        continue;
      }
      errors++;
      if (!out.hasRemaining()) out = grow(out);
      out.put('\uFFFD');
      in.position(Math.min(in.limit(), in.position() + r.length()));
    }
    while (dec.flush(out).isOverflow()) out = grow(out);
    out.flip();
    return new Counted(out.toString(), errors);
  }

  private static CharBuffer grow(CharBuffer out) {
    CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2 + 16);
    out.flip();
    bigger.put(out);
    return bigger;
  }

  private static Map<String, String> labels() {
    Map<String, String> m = new HashMap<>();
    put(m, "UTF-8", "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8");
    put(m, "IBM866", "866 cp866 csibm866 ibm866");
    put(m, "ISO-8859-2", "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2");
    put(m, "ISO-8859-3", "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3");
    put(m, "ISO-8859-4", "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4");
    put(m, "ISO-8859-5", "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988");
    put(m, "ISO-8859-6", "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e iso-8859-6-i "
        + "iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987");
    put(m, "ISO-8859-7", "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 iso_8859-7 "
        + "iso_8859-7:1987 sun_eu_greek");
    put(m, "ISO-8859-8", "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 iso_8859-8 "
        + "iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical");
    put(m, "ISO-8859-10", "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6");
    put(m, "ISO-8859-13", "iso-8859-13 iso8859-13 iso885913");
    put(m, "ISO-8859-14", "iso-8859-14 iso8859-14 iso885914");
    put(m, "ISO-8859-15", "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9");
    put(m, "ISO-8859-16", "iso-8859-16");
    put(m, "KOI8-R", "cskoi8r koi koi8 koi8-r koi8_r");
    put(m, "KOI8-U", "koi8-ru koi8-u");
    put(m, "x-MacRoman", "csmacintosh mac macintosh x-mac-roman");
    put(m, "x-windows-874", "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874");
    for (int cp = 1250; cp <= 1258; cp++) put(m, "windows-" + cp, "cp" + cp + " windows-" + cp + " x-cp" + cp);
    put(m, "windows-1252", "ansi_x3.4-1968 ascii cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 iso_8859-1 "
        + "iso_8859-1:1987 l1 latin1 us-ascii x-user-defined");
    put(m, "windows-1254", "csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5");
    put(m, "x-MacCyrillic", "x-mac-cyrillic x-mac-ukrainian");
    put(m, "GB18030", "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk gb18030");
    put(m, "Big5-HKSCS", "big5 big5-hkscs cn-big5 csbig5 x-x-big5");
    put(m, "EUC-JP", "cseucpkdfmtjapanese euc-jp x-euc-jp");
    put(m, "ISO-2022-JP", "csiso2022jp iso-2022-jp");
    put(m, "windows-31j", "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis");
    put(m, "x-windows-949", "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 windows-949");
    put(m, "UTF-16BE", "unicodefffe utf-16be");
    put(m, "UTF-16LE", "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le");
    // WHATWG's "replacement" labels (csiso2022kr hz-gb-2312 iso-2022-cn iso-2022-cn-ext iso-2022-kr replacement) are left out:
    // a declaration with one of them is no declaration here.
    return Map.copyOf(m);
  }

  private static void put(Map<String, String> m, String name, String labels) {
    for (String l : labels.split(" ")) m.put(l, name);
  }
}
