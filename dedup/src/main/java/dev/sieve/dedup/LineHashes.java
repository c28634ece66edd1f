package dev.sieve.dedup;

import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongPredicate;

/**
 * Lines of a document as line dedup sees them (no Spark): a line is the text between two
 * {@code '\n'}; its key is a 64-bit xxh3 hash of its normalised form ({@link #normalise}), as
 * CCNet's {@code normalize_for_dedup} + SHA-1 prefix ({@code cc_net/dedup.py}). A line that
 * normalises to nothing (blank, only punctuation or symbols) has no key: it is never counted and
 * never removed.
 */
public final class LineHashes {
  /** The key of a line that has none ({@link #hash} of a blank or punctuation-only line). */
  public static final long NO_HASH = 0L;

  private static final Hasher64 HASHER = Hashing.xxh3_64();

  private LineHashes() {}

  /**
   * CCNet's line normalisation, plus NFKC: Unicode NFKC, lower case, every decimal digit
   * {@code 0}, punctuation, symbols and control characters removed, runs of white space one space,
   * trimmed. {@code "© 2024 Example, Inc. All rights reserved."} and
   * {@code "(c) 1999 example inc all Rights Reserved"} normalise alike except for the copyright sign.
   */
  public static String normalise(String line) {
    String s = isAscii(line) ? line : Normalizer.normalize(line, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (c >= 'A' && c <= 'Z') c += 32;
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        space = out.length() > 0;
        continue;
      }
      int type = Character.getType(c);
      if (isPunctOrSymbol(type)) continue;
      if (space) out.append(' ');
      space = false;
      if (Character.isDigit(c)) out.append('0');
      else out.appendCodePoint(c);
    }
    return out.toString();
  }

  /** The 64-bit key of a line ({@link #NO_HASH} when it normalises to nothing; never 0 otherwise). */
  public static long hash(String line) {
    String n = normalise(line);
    if (n.isEmpty()) return NO_HASH;
    long h = HASHER.hashCharsToLong(n);
    return h == NO_HASH ? 1L : h;
  }

  /**
   * The distinct keys of a text's lines, sorted ({@link #NO_HASH} left out): what line dedup counts,
   * once per document however often the line repeats inside it.
   */
  public static long[] distinct(String text) {
    long[] all = new long[16];
    int n = 0;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) end = text.length();
      long h = hash(text.substring(start, end));
      if (h != NO_HASH) {
        if (n == all.length) all = Arrays.copyOf(all, n * 2);
        all[n++] = h;
      }
      start = end + 1;
    }
    long[] sorted = Arrays.copyOf(all, n);
    Arrays.sort(sorted);
    int m = 0;
    for (int i = 0; i < sorted.length; i++) if (i == 0 || sorted[i] != sorted[i - 1]) sorted[m++] = sorted[i];
    return Arrays.copyOf(sorted, m);
  }

  /**
   * What {@link #removeLines} did to a text.
   *
   * @param text the text without the removed lines (lines joined by {@code '\n'} as before)
   * @param charsRemoved characters (UTF-16 units) the text lost: the removed lines and their line breaks
   * @param linesRemoved how many lines went
   */
  public record Removal(String text, int charsRemoved, int linesRemoved) {}

  /**
   * Removes every line whose key {@code remove} accepts (every occurrence; lines without a key are
   * kept), with its line break. The text is returned as is when nothing goes.
   */
  public static Removal removeLines(String text, LongPredicate remove) {
    StringBuilder out = null;
    int lines = 0;
    boolean first = true;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) end = text.length();
      long h = hash(text.substring(start, end));
      if (h != NO_HASH && remove.test(h)) {
        if (out == null) {
          out = new StringBuilder(text.length());
          if (start > 0) out.append(text, 0, start - 1); // the kept lines before this one, without its line break
          first = start == 0;
        }
        lines++;
      } else if (out != null) {
        if (!first) out.append('\n');
        out.append(text, start, end);
        first = false;
      }
      start = end + 1;
    }
    if (out == null) return new Removal(text, 0, 0);
    String s = out.toString();
    return new Removal(s, text.length() - s.length(), lines);
  }

  private static boolean isPunctOrSymbol(int type) {
    return switch (type) {
      case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
           Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL,
           Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL, Character.CONTROL, Character.FORMAT,
           Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE -> true;
      default -> false;
    };
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 128) return false;
    return true;
  }
}
