package dev.sieve.filter;

import dev.sieve.core.Hash64;

/**
 * The filter's 64-bit text hashes (lines, paragraphs, words, n-grams): an FNV-style pass over the
 * UTF-16 units finished by MurmurHash3's 64-bit finaliser, with the length mixed in. Used only to
 * compare pieces of one document, so the values need not match any other hash.
 */
final class TextHash {
  private TextHash() {}

  /** The seed of every text hash. */
  static final long SEED = 0x243F6A8885A308D3L;

  /** One UTF-16 unit into a running hash (FNV-1a's multiply, plus an odd constant). */
  static long step(long h, char c) {
    return (h ^ c) * 0x100000001B3L + 0x9E3779B97F4A7C15L;
  }

  /** The hash of {@code t[s, e)}: equal text, equal hash. */
  static long hash(String t, int s, int e) {
    long h = SEED;
    for (int i = s; i < e; i++) h = step(h, t.charAt(i));
    return Hash64.fmix64(h ^ (e - s));
  }
}
