package dev.sieve.filter;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link DocText}'s one pass over a text's characters: letters, CJK characters, newlines, and the
 * non-blank lines and paragraphs as {@code [start, end)} offsets (stripped), with their 64-bit
 * hashes ({@link TextHash}) and duplicate fractions for the repetition rules (Gopher's
 * {@code dup_line_frac} and {@code dup_para_frac}, Rae et al. 2021, table A1).
 */
final class TextLines {
  private final String text;
  private int cjkChars;
  private int letters;
  private int newlines;
  private int[] lineBounds; // start, end pairs of the non-blank lines, stripped
  private int lineCount;
  private int[] paraBounds; // same for paragraphs (== lineBounds when the text has no empty line)
  private int paraCount;
  private long[] lineHashes;
  private long[] paraHashes;

  TextLines(String text) {
    this.text = text;
    String t = text;
    int n = t.length();
    int cjk = 0, l = 0, nl = 0;
    int[] lb = new int[16];
    int lc = 0;
    int lineStart = 0;
    for (int i = 0; i <= n; i++) {
      char c = i < n ? t.charAt(i) : '\n';
      if (c == '\n') {
        if (i < n) nl++;
        int s = lineStart, e = i;
        while (s < e && Character.isWhitespace(t.charAt(s))) s++;
        while (e > s && Character.isWhitespace(t.charAt(e - 1))) e--;
        if (e > s) {
          if (2 * lc + 2 > lb.length) lb = Arrays.copyOf(lb, lb.length * 2);
          lb[2 * lc] = s;
          lb[2 * lc + 1] = e;
          lc++;
        }
        lineStart = i + 1;
        continue;
      }
      if (c < 0x80) {
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') l++;
        continue;
      }
      if (!Character.isLetter(c)) continue;
      l++;
      if (DocText.isCjk(c)) cjk++;
    }
    cjkChars = cjk;
    letters = l;
    newlines = nl;
    lineBounds = lb;
    lineCount = lc;
    if (t.indexOf("\n\n") >= 0) splitParagraphs();
    else {
      paraBounds = lb;
      paraCount = lc;
    }
  }

  /** Paragraphs of a text with empty lines: pieces between {@code \n\s*\n} (ASCII white space), stripped, non-empty. */
  private void splitParagraphs() {
    String t = text;
    int n = t.length();
    int[] pb = new int[16];
    int pc = 0;
    int start = 0;
    int i = 0;
    while (i <= n) {
      int end = -1, next = -1;
      if (i == n) {
        end = n;
        next = n + 1;
      } else if (t.charAt(i) == '\n') {
        int lastNl = -1;
        for (int j = i + 1; j < n && DocText.isAsciiSpace(t.charAt(j)); j++) if (t.charAt(j) == '\n') lastNl = j;
        if (lastNl > 0) {
          end = i;
          next = lastNl + 1;
        }
      }
      if (end < 0) {
        i++;
        continue;
      }
      int s = start, e = end;
      while (s < e && Character.isWhitespace(t.charAt(s))) s++;
      while (e > s && Character.isWhitespace(t.charAt(e - 1))) e--;
      if (e > s) {
        if (2 * pc + 2 > pb.length) pb = Arrays.copyOf(pb, pb.length * 2);
        pb[2 * pc] = s;
        pb[2 * pc + 1] = e;
        pc++;
      }
      start = next;
      i = next;
    }
    paraBounds = pb;
    paraCount = pc;
  }

  /** Han, Hiragana and Katakana characters. */
  int cjkChars() {
    return cjkChars;
  }

  /** Letters of any script (CJK characters included). */
  int letters() {
    return letters;
  }

  /** {@code \n} characters. */
  int newlines() {
    return newlines;
  }

  /** Number of non-blank lines. */
  int lineCount() {
    return lineCount;
  }

  /** Start offset of line {@code i} (stripped). */
  int lineStart(int i) {
    return lineBounds[2 * i];
  }

  /** End offset (exclusive) of line {@code i} (stripped). */
  int lineEnd(int i) {
    return lineBounds[2 * i + 1];
  }

  /** Number of paragraphs. */
  int paragraphCount() {
    return paraCount;
  }

  /** Non-blank lines, stripped. */
  List<String> lines() {
    return slices(text, lineBounds, lineCount);
  }

  /** Paragraphs: text between empty lines (a text without empty lines is one paragraph per line, as extracted HTML is). */
  List<String> paragraphs() {
    return slices(text, paraBounds, paraCount);
  }

  /** 64-bit hashes of the lines' text (equal lines, equal hashes). */
  long[] lineHashes() {
    if (lineHashes == null) lineHashes = hashes(lineBounds, lineCount);
    return lineHashes;
  }

  /** 64-bit hashes of the paragraphs' text. */
  long[] paragraphHashes() {
    if (paraBounds == lineBounds) return lineHashes();
    if (paraHashes == null) paraHashes = hashes(paraBounds, paraCount);
    return paraHashes;
  }

  /** Characters (UTF-16 units) in the lines. */
  long lineChars() {
    return chars(lineBounds, lineCount);
  }

  /** [fraction of lines that repeat an earlier one, fraction of line characters in them]. */
  double[] duplicateLines() {
    return duplicates(lineHashes(), lineBounds, lineCount);
  }

  /** [fraction of paragraphs that repeat an earlier one, fraction of paragraph characters in them]. */
  double[] duplicateParagraphs() {
    return duplicates(paragraphHashes(), paraBounds, paraCount);
  }

  private static double[] duplicates(long[] hashes, int[] bounds, int count) {
    if (count == 0) return new double[] {0, 0};
    LongCounts seen = new LongCounts(count);
    int dup = 0;
    long dupChars = 0, chars = 0;
    for (int i = 0; i < count; i++) {
      int len = bounds[2 * i + 1] - bounds[2 * i];
      chars += len;
      if (seen.add(hashes[i]) > 1) {
        dup++;
        dupChars += len;
      }
    }
    return new double[] {dup / (double) count, chars == 0 ? 0 : dupChars / (double) chars};
  }

  private long[] hashes(int[] bounds, int count) {
    long[] h = new long[count];
    for (int i = 0; i < count; i++) h[i] = TextHash.hash(text, bounds[2 * i], bounds[2 * i + 1]);
    return h;
  }

  private static long chars(int[] bounds, int count) {
    long c = 0;
    for (int i = 0; i < count; i++) c += bounds[2 * i + 1] - bounds[2 * i];
    return c;
  }

  /** The {@code [start, end)} pairs in {@code bounds} as a list of substrings, made on access. */
  static List<String> slices(String text, int[] bounds, int count) {
    return new AbstractList<>() {
      @Override
      public String get(int i) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException(i);
        return text.substring(bounds[2 * i], bounds[2 * i + 1]);
      }

      @Override
      public int size() {
        return count;
      }
    };
  }
}
