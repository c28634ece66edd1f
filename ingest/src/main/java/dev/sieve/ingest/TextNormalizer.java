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

  /** {@link #normalize(String)}, counting the NUL and control characters it replaced into {@code repairs} (may be null). */
  public static String normalize(String s, Repairs repairs) {
    if (s == null || s.isEmpty()) return "";
    String t = Normalizer.isNormalized(s, Normalizer.Form.NFC) ? s : Normalizer.normalize(s, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(t.length());
    StringBuilder line = new StringBuilder();
    int emptyRun = 0;
    boolean any = false;
    for (int i = 0; i <= t.length(); i++) {
      char c = i < t.length() ? t.charAt(i) : '\n';
      if (c == '\r') {
        if (i + 1 < t.length() && t.charAt(i + 1) == '\n') continue;
        c = '\n';
      }
      if (c == '\n') {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') end--;
        line.setLength(end);
        if (line.length() == 0) {
          emptyRun++;
        } else {
          if (any) out.append(emptyRun > 0 ? "\n\n" : "\n");
          out.append(line);
          any = true;
          emptyRun = 0;
        }
        line.setLength(0);
        continue;
      }
      if (c == '\t' || (c != '\u3000' && Character.getType(c) == Character.SPACE_SEPARATOR)) c = ' ';
      if (Character.isISOControl(c)) {
        if (repairs != null) repairs.add(c == '\0' ? Repairs.NUL : Repairs.CONTROL, 1);
        c = ' ';
      }
      if (isInvisible(c)) continue;
      if (c == ' ' && (line.length() == 0 || line.charAt(line.length() - 1) == ' ')) continue;
      line.append(c);
    }
    return out.toString();
  }

  private static boolean isInvisible(char c) {
    return c == '\u200B' || c == '\u200C' || c == '\u200D' || c == '\u2060' || c == '\uFEFF' || c == '\u00AD';
  }
}
