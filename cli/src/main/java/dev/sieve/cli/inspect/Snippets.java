package dev.sieve.cli.inspect;

import dev.sieve.pii.PiiScrubber;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Short one-line excerpts of document text for samples. */
public final class Snippets {
  /** A PII tag as the scrubber writes it: {@code <EMAIL>}, {@code <IP_ADDRESS>}. */
  static final Pattern TAG = Pattern.compile("<[A-Z][A-Z_]{1,30}>");

  private static PiiScrubber scrubber;

  private Snippets() {}

  /**
   * The text with PII replaced by tags (the PII stage's default detectors), on one line, cut to
   * {@code max} characters: for samples of documents that have not been scrubbed yet.
   */
  public static String scrubbed(String text, String language, int max) {
    if (text == null) return "";
    return oneLine(scrubber().scrub(text, language, null).text(), max);
  }

  private static synchronized PiiScrubber scrubber() {
    if (scrubber == null) scrubber = PiiScrubber.defaults();
    return scrubber;
  }

  /** The text on one line (newlines and tabs as spaces, runs of spaces collapsed), cut to {@code max} code points with an ellipsis. */
  public static String oneLine(String text, int max) {
    if (text == null) return "";
    String s = text.replaceAll("[\\s\\u00a0]+", " ").strip();
    if (s.codePointCount(0, s.length()) <= max) return s;
    return s.substring(0, s.offsetByCodePoints(0, Math.max(0, max - 1))) + "…";
  }

  /**
   * The text cut to at most {@code columns} terminal columns (wide CJK characters take two), with
   * an ellipsis where cut.
   */
  public static String fitWidth(String s, int columns) {
    if (s == null) return "";
    if (TextTable.width(s) <= columns) return s;
    StringBuilder b = new StringBuilder();
    int w = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int cw = TextTable.width(new String(Character.toChars(cp)));
      if (w + cw > columns - 1) break;
      b.appendCodePoint(cp);
      w += cw;
      i += Character.charCount(cp);
    }
    return b.append('…').toString();
  }

  /**
   * About {@code max} characters of scrubbed text around its first PII tag (a third before it),
   * on one line, with an ellipsis where cut; the start of the text when it has no tag.
   */
  public static String aroundFirstTag(String text, int max) {
    if (text == null) return "";
    String s = text.replaceAll("[\\s\\u00a0]+", " ").strip();
    Matcher m = TAG.matcher(s);
    if (!m.find()) return oneLine(s, max);
    int cps = s.codePointCount(0, s.length());
    int tagAt = s.codePointCount(0, m.start());
    int from = Math.max(0, tagAt - max / 3);
    int to = Math.min(cps, from + max);
    from = Math.max(0, Math.min(from, to - max));
    String cut = s.substring(s.offsetByCodePoints(0, from), s.offsetByCodePoints(0, to));
    return (from > 0 ? "…" : "") + cut + (to < cps ? "…" : "");
  }

  /** The first {@code n} characters of a doc id (SHA-256 hex is 64). */
  public static String shortId(String id, int n) {
    return id == null ? "" : id.length() <= n ? id : id.substring(0, n);
  }
}
