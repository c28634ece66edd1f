package dev.sieve.generate.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The token and shingle definition the ground truth's Jaccard similarities are measured with.
 *
 * <p>Tokens: maximal runs of letters and digits, lower-cased; every Han, Hiragana or Katakana
 * character is a token of its own (so Chinese needs no segmenter). Shingles: {@value #K}
 * consecutive tokens, the word 5-gram setting of Gopher's repetition rules and of
 * datatrove/text-dedup MinHash defaults. A document with fewer than {@value #K} tokens has one
 * shingle of all its tokens.
 */
public final class Shingles {
  /** Tokens per shingle. */
  public static final int K = 5;

  private Shingles() {}

  /** A token and where it sits in the text ({@code [start, end)} in chars). */
  public record Token(String text, int start, int end) {}

  public static List<Token> tokens(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      int cp = s.codePointAt(i);
      int len = Character.charCount(cp);
      if (isIdeographic(cp)) {
        out.add(new Token(s.substring(i, i + len), i, i + len));
        i += len;
      } else if (Character.isLetterOrDigit(cp)) {
        int start = i;
        while (i < n) {
          int c = s.codePointAt(i);
          if (!Character.isLetterOrDigit(c) || isIdeographic(c)) break;
          i += Character.charCount(c);
        }
        out.add(new Token(s.substring(start, i).toLowerCase(Locale.ROOT), start, i));
      } else {
        i += len;
      }
    }
    return out;
  }

  static boolean isIdeographic(int cp) {
    return dev.sieve.core.Scripts.isCjk(cp);
  }

  /** 64-bit hashes of the {@value #K}-token shingles of a token list. */
  public static long[] shingles(List<String> tokens) {
    if (tokens.isEmpty()) return new long[0];
    int count = Math.max(1, tokens.size() - K + 1);
    long[] out = new long[count];
    for (int i = 0; i < count; i++) out[i] = shingleAt(tokens, i);
    return out;
  }

  /** FNV-1a hash of the shingle starting at token {@code i}. */
  static long shingleAt(List<String> tokens, int i) {
    long h = 0xcbf29ce484222325L;
    for (int j = i; j < Math.min(tokens.size(), i + K); j++) {
      String t = tokens.get(j);
      for (int c = 0; c < t.length(); c++) {
        h ^= t.charAt(c);
        h *= 0x100000001b3L;
      }
      h ^= 0x1f;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** Jaccard similarity of the shingle sets of two texts. */
  public static double jaccard(String a, String b) {
    return jaccard(shingles(texts(tokens(a))), shingles(texts(tokens(b))));
  }

  public static double jaccard(long[] a, long[] b) {
    java.util.HashSet<Long> sa = new java.util.HashSet<>();
    for (long x : a) sa.add(x);
    java.util.HashSet<Long> sb = new java.util.HashSet<>();
    for (long x : b) sb.add(x);
    if (sa.isEmpty() && sb.isEmpty()) return 1.0;
    int inter = 0;
    for (Long x : sb) if (sa.contains(x)) inter++;
    return inter / (double) (sa.size() + sb.size() - inter);
  }

  public static List<String> texts(List<Token> tokens) {
    List<String> out = new ArrayList<>(tokens.size());
    for (Token t : tokens) out.add(t.text());
    return out;
  }
}
