package dev.sieve.ingest;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mozilla.universalchardet.UniversalDetector;

/**
 * Decides the charset of an HTML body the way browsers do: the HTTP {@code Content-Type}
 * header, then a byte-order mark, then a {@code <meta charset>} / {@code http-equiv} in the first
 * 4 KB, then statistical detection (Mozilla's universal charset detector), then UTF-8. A declared
 * charset Java does not know is ignored; legacy labels map to their supersets as WHATWG says
 * (GB2312/GBK → GB18030, ISO-8859-1/US-ASCII → windows-1252).
 */
public final class CharsetSniffer {
  private static final int META_SCAN_BYTES = 4096;
  private static final Pattern META = Pattern.compile("(?i)<meta[^>]+charset\\s*=\\s*[\"']?\\s*([a-zA-Z0-9_.:-]+)");

  private CharsetSniffer() {}

  /** Where the charset came from, for metadata and debugging. */
  public record Decision(Charset charset, String from) {}

  public static Decision sniff(byte[] body, String headerCharset) {
    Charset c = lookup(headerCharset);
    if (c != null) return new Decision(c, "header");
    if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
      return new Decision(StandardCharsets.UTF_8, "bom");
    }
    if (body.length >= 2 && (body[0] & 0xFF) == 0xFE && (body[1] & 0xFF) == 0xFF) return new Decision(StandardCharsets.UTF_16BE, "bom");
    if (body.length >= 2 && (body[0] & 0xFF) == 0xFF && (body[1] & 0xFF) == 0xFE) return new Decision(StandardCharsets.UTF_16LE, "bom");
    String head = new String(body, 0, Math.min(body.length, META_SCAN_BYTES), StandardCharsets.ISO_8859_1);
    Matcher m = META.matcher(head);
    if (m.find()) {
      c = lookup(m.group(1));
      if (c != null) return new Decision(c, "meta");
    }
    UniversalDetector detector = new UniversalDetector();
    detector.handleData(body, 0, Math.min(body.length, 64 * 1024));
    detector.dataEnd();
    c = lookup(webPrior(detector.getDetectedCharset()));
    if (c != null) return new Decision(c, "detected");
    return new Decision(StandardCharsets.UTF_8, "default");
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

  /** The Java charset for a label, with WHATWG's superset mapping; {@code null} if unknown. */
  public static Charset lookup(String label) {
    if (label == null || label.isBlank()) return null;
    String l = label.strip().toLowerCase(Locale.ROOT);
    switch (l) {
      case "gb2312", "gbk", "x-gbk", "gb_2312-80", "chinese", "csgb2312" -> l = "gb18030";
      case "iso-8859-1", "latin1", "l1", "us-ascii", "ascii", "iso8859-1", "iso_8859-1" -> l = "windows-1252";
      case "utf8" -> l = "utf-8";
      default -> { }
    }
    try {
      return Charset.isSupported(l) ? Charset.forName(l) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
