package dev.sieve.dedup;

import com.dynatrace.hash4j.hashing.HashStream64;
import com.dynatrace.hash4j.hashing.Hashing;
import dev.sieve.core.Scripts;
import java.util.Arrays;

/**
 * Turns a text into the 64-bit hashes of its shingles, the sets MinHash estimates Jaccard
 * similarity over.
 *
 * <p>Tokens are maximal runs of letters and digits, lower-cased, and every Han, Hiragana or
 * Katakana character on its own; so a shingle of {@code n} tokens is a word n-gram in
 * space-separated languages and a character n-gram in Chinese and Japanese, which need no
 * segmenter. A text whose tokens are mostly CJK uses {@code cjkNgram}, others {@code wordNgram}
 * (both default to 5, the setting of Gopher's repetition rules and of datatrove's and
 * text-dedup's MinHash). A text with fewer tokens than that has one shingle of all its tokens; a
 * text without tokens has none.
 *
 * <p>Hashing is xxh3 (hash4j) on reused streams: no allocation per token or shingle. One
 * instance per thread.
 */
public final class Shingler {
  private final int wordNgram;
  private final int cjkNgram;
  private final HashStream64 tokenStream = Hashing.xxh3_64().hashStream();
  private final HashStream64 shingleStream = Hashing.xxh3_64(0x5349455645L).hashStream();
  private long[] tokens = new long[512];

  public Shingler(int wordNgram, int cjkNgram) {
    if (wordNgram < 1 || cjkNgram < 1) throw new IllegalArgumentException("n-gram sizes must be at least 1");
    this.wordNgram = wordNgram;
    this.cjkNgram = cjkNgram;
  }

  /** The shingle hashes of {@code text}, sorted, without repeats. */
  public long[] shingles(String text) {
    int count = 0;
    int cjk = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      int cp = text.codePointAt(i);
      int len = Character.charCount(cp);
      if (Scripts.isCjk(cp)) {
        tokenStream.reset();
        putCodePoint(cp);
        count = add(count, tokenStream.getAsLong());
        cjk++;
        i += len;
      } else if (Character.isLetterOrDigit(cp)) {
        tokenStream.reset();
        while (i < n) {
          int c = text.codePointAt(i);
          if (!Character.isLetterOrDigit(c) || Scripts.isCjk(c)) break;
          putCodePoint(Character.toLowerCase(c));
          i += Character.charCount(c);
        }
        count = add(count, tokenStream.getAsLong());
      } else {
        i += len;
      }
    }
    if (count == 0) return new long[0];
    int k = cjk * 2 > count ? cjkNgram : wordNgram;
    int shingles = Math.max(1, count - k + 1);
    long[] out = new long[shingles];
    for (int s = 0; s < shingles; s++) {
      shingleStream.reset();
      shingleStream.putLongs(tokens, s, Math.min(k, count - s));
      out[s] = shingleStream.getAsLong();
    }
    return distinctSorted(out);
  }

  private void putCodePoint(int cp) {
    if (Character.isBmpCodePoint(cp)) {
      tokenStream.putChar((char) cp);
    } else {
      tokenStream.putChar(Character.highSurrogate(cp));
      tokenStream.putChar(Character.lowSurrogate(cp));
    }
  }

  private int add(int count, long hash) {
    if (count == tokens.length) tokens = Arrays.copyOf(tokens, count * 2);
    tokens[count] = hash;
    return count + 1;
  }

  static long[] distinctSorted(long[] a) {
    Arrays.sort(a);
    int w = 0;
    for (int r = 0; r < a.length; r++) {
      if (w == 0 || a[r] != a[w - 1]) a[w++] = a[r];
    }
    return w == a.length ? a : Arrays.copyOf(a, w);
  }
}
