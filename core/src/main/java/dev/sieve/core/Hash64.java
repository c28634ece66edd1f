package dev.sieve.core;

/**
 * MurmurHash3's 64-bit finaliser ({@code fmix64}, Appleby's SMHasher), the one bit mixer that
 * Sieve's per-document hashes end with: the filter's line, paragraph and word hashes, dedup's
 * shingles, decontamination's benchmark n-grams. It is a bijection on {@code long}: equal inputs,
 * equal outputs, and every input bit reaches every output bit.
 */
public final class Hash64 {
  private Hash64() {}

  /** {@code fmix64(k)}: avalanches the bits of {@code k}. */
  public static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
