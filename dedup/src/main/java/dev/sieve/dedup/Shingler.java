package dev.sieve.dedup;

import dev.sieve.core.Hash64;
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
 * <p>Hashing works on the text's code points directly, with no allocation per token or shingle:
 * a token's hash is 64-bit FNV-1a over its lower-cased code points, finished by MurmurHash3's
 * {@code fmix64}; a shingle's hash is a polynomial over its token hashes (multiplier
 * {@value #POLY}, odd, so distinct token sequences collide with probability about 2⁻⁶⁴), rolled
 * along the text in O(1) per shingle and finished by {@code fmix64}. ASCII letters and digits
 * take a fast path; everything else goes through {@link Character}. One instance per thread.
 */
public final class Shingler {
  /** Polynomial multiplier of the rolling shingle hash (the 64-bit golden ratio, odd). */
  public static final long POLY = 0x9E3779B97F4A7C15L;
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  /** Lowest code point of the Han, Hiragana and Katakana scripts (CJK Radicals Supplement). */
  private static final int FIRST_CJK = 0x2E80;

  private final int wordNgram;
  private final int cjkNgram;
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
      char ch = text.charAt(i);
      if (ch < 128) {
        if (!isAsciiAlnum(ch)) {
          i++;
          continue;
        }
      } else {
        int cp = text.codePointAt(i);
        if (isCjk(cp)) {
          count = add(count, Hash64.fmix64((FNV_OFFSET ^ cp) * FNV_PRIME));
          cjk++;
          i += Character.charCount(cp);
          continue;
        }
        if (!Character.isLetterOrDigit(cp)) {
          i += Character.charCount(cp);
          continue;
        }
      }
      // A word: letters and digits up to the next other character or CJK character.
      long h = FNV_OFFSET;
      while (i < n) {
        char c = text.charAt(i);
        if (c < 128) {
          if (!isAsciiAlnum(c)) break;
          h = (h ^ (c <= 'Z' && c >= 'A' ? c + 32 : c)) * FNV_PRIME;
          i++;
        } else {
          int cp = text.codePointAt(i);
          if (!Character.isLetterOrDigit(cp) || isCjk(cp)) break;
          h = (h ^ Character.toLowerCase(cp)) * FNV_PRIME;
          i += Character.charCount(cp);
        }
      }
      count = add(count, Hash64.fmix64(h));
    }
    if (count == 0) return new long[0];
    int k = cjk * 2 > count ? cjkNgram : wordNgram;
    if (count <= k) {
      long h = 0;
      for (int t = 0; t < count; t++) h = h * POLY + tokens[t];
      return new long[] {Hash64.fmix64(h)};
    }
    int shingles = count - k + 1;
    long top = 1; // POLY^(k-1): the weight of the token leaving the window
    for (int t = 1; t < k; t++) top *= POLY;
    long[] out = new long[shingles];
    long h = 0;
    for (int t = 0; t < k; t++) h = h * POLY + tokens[t];
    out[0] = Hash64.fmix64(h);
    for (int s = 1; s < shingles; s++) {
      h = (h - tokens[s - 1] * top) * POLY + tokens[s + k - 1];
      out[s] = Hash64.fmix64(h);
    }
    return distinctSorted(out);
  }

  private static boolean isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** Han, Hiragana or Katakana ({@link dev.sieve.core.Scripts#isCjk}), with no script lookup below U+2E80. */
  private static boolean isCjk(int cp) {
    return cp >= FIRST_CJK && dev.sieve.core.Scripts.isCjk(cp);
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
