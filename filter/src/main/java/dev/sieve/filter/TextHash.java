package dev.sieve.filter;

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

  /** MurmurHash3's 64-bit finaliser. */
  static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  /** The hash of {@code t[s, e)}: equal text, equal hash. */
  static long hash(String t, int s, int e) {
    long h = SEED;
    for (int i = s; i < e; i++) h = step(h, t.charAt(i));
    return fmix(h ^ (e - s));
  }
}
