package dev.sieve.pii;

import java.text.Normalizer;

/**
 * The text every detector reads: the document with the characters that are compatibility forms
 * of ASCII folded to ASCII, plus a map from folded offsets back to offsets in the original, so a
 * span found in the folded text replaces exactly the original characters.
 *
 * <p>Folded: decimal digits of every script ({@code Character.getType == DECIMAL_DIGIT_NUMBER}:
 * full-width {@code １}, Arabic-Indic {@code ١}, Devanagari {@code १}, mathematical {@code 𝟏}...)
 * to {@code 0-9}; the full-width ASCII block U+FF01–U+FF5E ({@code ＠ － （ ） ． ： Ａ ａ}) and
 * the small form variants U+FE50–U+FE6B to their NFKC character; the ideographic space, no-break
 * space, figure space and narrow no-break space to a space; the hyphen U+2010, non-breaking
 * hyphen U+2011, figure dash U+2012 and minus sign U+2212 to {@code -}. Superscript, subscript
 * and circled digits stay as they are (footnote marks and exponents, not digits of a number).
 *
 * <p>Built once per document. Cost: one pass over the characters; a text with nothing to fold
 * (most documents) is used as it is, with no allocation. Folding BMP characters keeps the length,
 * so offsets map one to one; only a folded supplementary digit (two UTF-16 units to one) makes
 * an offset table.
 */
final class FoldedText {
  /** For each BMP character, what it folds to (itself when nothing). */
  private static final char[] FOLD = new char[0x10000];

  static {
    for (int c = 0; c < FOLD.length; c++) FOLD[c] = (char) c;
    for (int c = 0x80; c < FOLD.length; c++) {
      if (Character.isSurrogate((char) c)) continue;
      if (Character.getType(c) == Character.DECIMAL_DIGIT_NUMBER) FOLD[c] = (char) ('0' + Character.digit(c, 10));
    }
    for (int c = 0xFF01; c <= 0xFF5E; c++) FOLD[c] = (char) (c - 0xFEE0);
    for (int c = 0xFE50; c <= 0xFE6B; c++) {
      String n = Normalizer.normalize(String.valueOf((char) c), Normalizer.Form.NFKC);
      if (n.length() == 1 && n.charAt(0) < 0x80) FOLD[c] = n.charAt(0);
    }
    for (char c : new char[] {'\u00a0', '\u2007', '\u202f', '\u3000'}) FOLD[c] = ' ';
    for (char c : new char[] {'\u2010', '\u2011', '\u2012', '\u2212'}) FOLD[c] = '-';
  }

  /** The folded text. */
  final String text;
  /** Original offset of each folded offset (length {@code text.length() + 1}), or null when they are the same. */
  private final int[] original;

  private FoldedText(String text, int[] original) {
    this.text = text;
    this.original = original;
  }

  /** Whether {@code c} folds to another character (a BMP character; surrogates are never folded alone). */
  static boolean folds(char c) {
    return c >= 0x80 && FOLD[c] != c;
  }

  /** The folded view of {@code s}: {@code s} itself when nothing in it folds. */
  static FoldedText of(String s) {
    int n = s.length();
    int first = -1;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) continue;
      if (FOLD[c] != c || (Character.isHighSurrogate(c) && supplementaryDigit(s, i) >= 0)) {
        first = i;
        break;
      }
    }
    if (first < 0) return new FoldedText(s, null);
    char[] out = null;
    StringBuilder sb = null;
    int[] map = null;
    for (int i = first; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && supplementaryDigit(s, i) >= 0) {
        if (sb == null) { // lengths differ from here on: switch to a builder with an offset table
          sb = new StringBuilder(n);
          map = new int[n + 1];
          if (out != null) sb.append(out, 0, i);
          else sb.append(s, 0, i);
          for (int k = 0; k <= i; k++) map[k] = k;
        }
        sb.append((char) ('0' + supplementaryDigit(s, i)));
        i++; // the low surrogate
        map[sb.length()] = i + 1;
        continue;
      }
      char f = FOLD[c];
      if (sb != null) {
        sb.append(f);
        map[sb.length()] = i + 1;
      } else if (f != c) {
        if (out == null) out = s.toCharArray();
        out[i] = f;
      }
    }
    if (sb != null) return new FoldedText(sb.toString(), java.util.Arrays.copyOf(map, sb.length() + 1));
    return new FoldedText(out == null ? s : new String(out), null);
  }

  /** The digit value of the supplementary code point starting at {@code s[i]}, or -1. */
  private static int supplementaryDigit(String s, int i) {
    if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return -1;
    int cp = Character.toCodePoint(s.charAt(i), s.charAt(i + 1));
    return Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER ? Character.digit(cp, 10) : -1;
  }

  /** Folds {@code s} (validators: a value written in any digits checks the same). */
  static String fold(String s) {
    return of(s).text;
  }

  /** The offset in the original text of folded offset {@code i} ({@code 0..text.length()}). */
  int originalOffset(int i) {
    return original == null ? i : original[i];
  }
}
