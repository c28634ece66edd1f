package dev.sieve.ingest;

import java.text.Normalizer;

/**
 * Normalises document text the same way for every format: Unicode NFC, {@code \r\n} and
 * {@code \r} to {@code \n}, tabs and Unicode spaces to a plain space, NUL and other control
 * characters to a plain space (a NUL between two words must not join them: "null\0after" is
 * "null after"; each is counted as a repair, {@link Repairs#NUL} / {@link Repairs#CONTROL}), zero-width
 * characters and a BOM removed, runs of spaces collapsed (the CJK ideographic space U+3000 is kept), lines trimmed, and at most one empty line in a
 * row. Normalising text that is already normal changes nothing.
 */
public final class TextNormalizer {
  private TextNormalizer() {}

  public static String normalize(String s) {
    return normalize(s, null);
  }

  /**
   * {@link #normalize(String)}, counting the NUL and control characters it replaced into {@code repairs} (may be null).
   * One pass over the characters into one array (the result is never longer than the input), no per-line buffers.
   */
  public static String normalize(String s, Repairs repairs) {
    if (s == null || s.isEmpty()) return "";
    // Text that is normal already (a reader's output normalised once more, e.g. extracted HTML) is returned after a read-only scan.
    if (isNormal(s)) return s;
    String t = isNfc(s) ? s : Normalizer.normalize(s, Normalizer.Form.NFC);
    int n = t.length();
    char[] out = new char[n + 2];
    int committed = 0;     // output up to here is final
    int w = 0;             // write position in the current line (valid when lineOpen)
    int lineBegin = 0;     // first character of the current line's text
    boolean lineOpen = false;
    int emptyRun = 0;
    boolean any = false;
    long nul = 0, control = 0;
    for (int i = 0; i <= n; i++) {
      char c = i < n ? t.charAt(i) : '\n';
      if (c == '\r') {
        if (i + 1 < n && t.charAt(i + 1) == '\n') continue;
        c = '\n';
      }
      if (c == '\n') {
        if (lineOpen) {
          while (w > lineBegin && out[w - 1] == ' ') w--;
          committed = w;
          any = true;
          emptyRun = 0;
          lineOpen = false;
        } else {
          emptyRun++;
        }
        continue;
      }
      if (c < 0x80) {
        // ASCII: tab is a space; C0 controls and DEL are spaces, counted.
        if (c == '\t') {
          c = ' ';
        } else if (c < 0x20 || c == 0x7F) {
          if (c == '\0') nul++;
          else control++;
          c = ' ';
        }
      } else {
        if (c != '\u3000' && Character.getType(c) == Character.SPACE_SEPARATOR) {
          c = ' ';
        } else if (c <= 0x9F) {
          control++;   // C1 controls
          c = ' ';
        } else if (isInvisible(c)) {
          continue;
        }
      }
      if (c == ' ' && (!lineOpen || out[w - 1] == ' ')) continue;
      if (!lineOpen) {
        w = committed;
        if (any) {
          out[w++] = '\n';
          if (emptyRun > 0) out[w++] = '\n';
        }
        lineBegin = w;
        lineOpen = true;
      }
      out[w++] = c;
    }
    if (repairs != null) {
      repairs.add(Repairs.NUL, nul);
      repairs.add(Repairs.CONTROL, control);
    }
    return committed == n && same(t, out) ? t : new String(out, 0, committed);
  }

  /**
   * True only when {@link #normalize} would return {@code s} unchanged (a read-only scan, no copy):
   * NFC, no CR, tab, control, invisible or Unicode space character (U+3000 aside), no space at a
   * line's start or end or after another space, no empty first or last line, at most one empty line
   * in a row. False says nothing (the full pass decides).
   */
  static boolean isNormal(String s) {
    int n = s.length();
    if (n == 0) return false;
    boolean high = false;
    char prev = '\n';
    int newlines = 0;   // newlines in a row just before this character
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\n') {
        if (i == 0 || prev == ' ' || ++newlines > 2) return false;
        prev = c;
        continue;
      }
      if (c < 0x80) {
        if (c < 0x20 || c == 0x7F) return false;
        if (c == ' ' && (prev == ' ' || prev == '\n')) return false;
      } else {
        if (c <= 0x9F || isInvisible(c) || (c != '\u3000' && Character.getType(c) == Character.SPACE_SEPARATOR)) return false;
        if (c >= 0x300) high = true;
      }
      newlines = 0;
      prev = c;
    }
    if (prev == ' ' || prev == '\n') return false;
    return !high || Normalizer.isNormalized(s, Normalizer.Form.NFC);
  }

  /** NFC test; text below U+0300 (no combining marks, no composable pairs) is NFC without asking ICU. */
  private static boolean isNfc(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) >= 0x300) return Normalizer.isNormalized(s, Normalizer.Form.NFC);
    }
    return true;
  }

  private static boolean same(String t, char[] out) {
    for (int k = 0; k < t.length(); k++) {
      if (t.charAt(k) != out[k]) return false;
    }
    return true;
  }

  private static boolean isInvisible(char c) {
    return c == '\u200B' || c == '\u200C' || c == '\u200D' || c == '\u2060' || c == '\uFEFF' || c == '\u00AD';
  }
}
