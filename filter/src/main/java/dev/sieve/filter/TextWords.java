package dev.sieve.filter;

import dev.sieve.core.Hash64;
import java.util.Arrays;
import java.util.List;

/**
 * {@link DocText}'s words as {@code [start, end)} offsets with their 64-bit hashes
 * ({@link TextHash}) and counts: whitespace-separated tokens (Gopher's words: runs of characters
 * between ASCII white space), or, for CJK text, every Han, Hiragana or Katakana character and every
 * run of other letters or digits (the character-level measure FineWeb-2 and Data-Juicer use for
 * languages written without spaces; no dictionary segmentation).
 */
final class TextWords {
  private final String text;
  private int[] wordBounds;
  private long[] wordHashes;
  private int wordCount;
  private long wordChars;
  private long wordCodePoints;
  private int alphaWords;
  private int stopWords;

  TextWords(String text, boolean cjk) {
    this.text = text;
    String t = text;
    int n = t.length();
    int[] wb = new int[Math.max(16, n / 3)];
    long[] wh = new long[wb.length / 2];
    int wc = 0;
    long chars = 0, cps = 0;
    int alpha = 0, stop = 0;
    int i = 0;
    while (i < n) {
      int s, e;
      boolean letter = false;
      long h = TextHash.SEED;
      if (!cjk) {
        while (i < n && DocText.isAsciiSpace(t.charAt(i))) i++;
        if (i >= n) break;
        s = i;
        int cp = 0;
        for (; i < n; i++) {
          char c = t.charAt(i);
          if (DocText.isAsciiSpace(c)) break;
          if (!Character.isLowSurrogate(c)) cp++;
          if (!letter && (c < 0x80 ? (c | 0x20) >= 'a' && (c | 0x20) <= 'z' : Character.isLetter(c))) letter = true;
          h = TextHash.step(h, c);
        }
        e = i;
        cps += cp;
        if (e - s <= 4 && isStopWord(t, s, e)) stop++;
      } else {
        int cp = t.codePointAt(i);
        int len = Character.charCount(cp);
        if (DocText.isCjkCodePoint(cp)) {
          s = i;
          e = i + len;
          letter = true;
          h = TextHash.step(h, t.charAt(i));
          if (len == 2) h = TextHash.step(h, t.charAt(i + 1));
          i = e;
        } else if (Character.isLetterOrDigit(cp)) {
          s = i;
          while (i < n) {
            int c = t.codePointAt(i);
            if (!Character.isLetterOrDigit(c) || DocText.isCjkCodePoint(c)) break;
            if (!letter && Character.isLetter(c)) letter = true;
            h = TextHash.step(h, t.charAt(i));
            if (Character.charCount(c) == 2) h = TextHash.step(h, t.charAt(i + 1));
            i += Character.charCount(c);
          }
          e = i;
        } else {
          i += len;
          continue;
        }
        cps += t.codePointCount(s, e);
      }
      if (2 * wc + 2 > wb.length) {
        wb = Arrays.copyOf(wb, wb.length * 2);
        wh = Arrays.copyOf(wh, wb.length / 2);
      }
      wb[2 * wc] = s;
      wb[2 * wc + 1] = e;
      wh[wc] = Hash64.fmix64(h ^ (e - s));
      wc++;
      chars += e - s;
      if (letter) alpha++;
    }
    wordBounds = wb;
    wordHashes = wh;
    wordCount = wc;
    wordChars = chars;
    wordCodePoints = cps;
    alphaWords = alpha;
    stopWords = cjk ? 0 : stop;
  }

  private static boolean isStopWord(String t, int s, int e) {
    for (String w : GopherQualityRule.STOP_WORD_LIST) {
      if (w.length() == e - s && t.regionMatches(true, s, w, 0, w.length())) return true;
    }
    return false;
  }

  /** Words: whitespace tokens, or, for CJK text, characters and runs of other letters or digits. */
  List<String> words() {
    return TextLines.slices(text, wordBounds, wordCount);
  }

  /** Number of words. */
  int wordCount() {
    return wordCount;
  }

  /** Start offset of word {@code i}. */
  int wordStart(int i) {
    return wordBounds[2 * i];
  }

  /** End offset (exclusive) of word {@code i}. */
  int wordEnd(int i) {
    return wordBounds[2 * i + 1];
  }

  /** 64-bit hashes of the words (equal words, equal hashes); only the first {@link #wordCount()} are set. */
  long[] wordHashes() {
    return wordHashes;
  }

  /** Characters (UTF-16 units) in all words. */
  long wordChars() {
    return wordChars;
  }

  /** Code points in all words. */
  long wordCodePoints() {
    return wordCodePoints;
  }

  /** Words that contain a letter. */
  int alphaWords() {
    return alphaWords;
  }

  /** Words that are one of Gopher's English stop words ({@link GopherQualityRule#STOP_WORDS}, any case); 0 for CJK text. */
  int stopWords() {
    return stopWords;
  }
}
