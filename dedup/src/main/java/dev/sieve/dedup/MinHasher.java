package dev.sieve.dedup;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MinHash signatures (Broder 1997): for each of {@code numPerm} hash functions, the minimum over
 * a document's 64-bit shingle hashes ({@link Shingler}). The functions are multiply-add-shift hashes
 * {@code h_i(x) = (a_i·x + b_i) >>> 32} (Dietzfelbinger et al. 1997) with odd 64-bit
 * {@code a_i} and {@code b_i} drawn from a fixed seed, so the same settings give the same
 * signatures on any machine and in any run; no allocation per shingle. Two documents agree on a
 * signature position with probability equal to their Jaccard similarity.
 */
public final class MinHasher implements java.io.Serializable {
  private final int numPerm;
  private final long[] a;
  private final long[] b;

  public MinHasher(int numPerm, long seed) {
    if (numPerm < 1) throw new IllegalArgumentException("numPerm must be at least 1");
    this.numPerm = numPerm;
    this.a = new long[numPerm];
    this.b = new long[numPerm];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < numPerm; i++) {
      a[i] = r.nextLong() | 1L;
      b[i] = r.nextLong();
    }
  }

  public int numPerm() { return numPerm; }

  /**
   * The signature of a shingle set; {@code null} for an empty set (nothing to compare). Four hash
   * functions at a time over the whole set (the set stays in cache, the four minima and their
   * constants in registers); the values are those of the plain double loop.
   */
  public int[] signature(long[] shingles) {
    if (shingles.length == 0) return null;
    int[] sig = new int[numPerm];
    long[] a = this.a, b = this.b;
    int i = 0;
    for (; i + 4 <= numPerm; i += 4) {
      long a0 = a[i], a1 = a[i + 1], a2 = a[i + 2], a3 = a[i + 3];
      long b0 = b[i], b1 = b[i + 1], b2 = b[i + 2], b3 = b[i + 3];
      int m0 = Integer.MAX_VALUE, m1 = Integer.MAX_VALUE, m2 = Integer.MAX_VALUE, m3 = Integer.MAX_VALUE;
      for (long x : shingles) {
        m0 = Math.min(m0, (int) ((a0 * x + b0) >>> 32));
        m1 = Math.min(m1, (int) ((a1 * x + b1) >>> 32));
        m2 = Math.min(m2, (int) ((a2 * x + b2) >>> 32));
        m3 = Math.min(m3, (int) ((a3 * x + b3) >>> 32));
      }
      sig[i] = m0;
      sig[i + 1] = m1;
      sig[i + 2] = m2;
      sig[i + 3] = m3;
    }
    for (; i < numPerm; i++) {
      int m = Integer.MAX_VALUE;
      for (long x : shingles) m = Math.min(m, (int) ((a[i] * x + b[i]) >>> 32));
      sig[i] = m;
    }
    return sig;
  }

  /** The fraction of positions where two signatures agree: an unbiased estimate of Jaccard similarity. */
  public static double estimate(int[] x, int[] y) {
    if (x.length != y.length) throw new IllegalArgumentException("signatures of different lengths: " + x.length + ", " + y.length);
    int same = 0;
    for (int i = 0; i < x.length; i++) if (x[i] == y[i]) same++;
    return same / (double) x.length;
  }

  /** Signature as little-endian bytes (how it is stored in the band index). */
  public static byte[] toBytes(int[] sig) {
    byte[] out = new byte[sig.length * 4];
    for (int i = 0; i < sig.length; i++) {
      int v = sig[i];
      out[4 * i] = (byte) v;
      out[4 * i + 1] = (byte) (v >>> 8);
      out[4 * i + 2] = (byte) (v >>> 16);
      out[4 * i + 3] = (byte) (v >>> 24);
    }
    return out;
  }

  public static int[] fromBytes(byte[] bytes) {
    if (bytes.length % 4 != 0) throw new IllegalArgumentException("signature bytes not a multiple of 4: " + bytes.length);
    int[] out = new int[bytes.length / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = (bytes[4 * i] & 0xff) | (bytes[4 * i + 1] & 0xff) << 8 | (bytes[4 * i + 2] & 0xff) << 16 | (bytes[4 * i + 3] & 0xff) << 24;
    }
    return out;
  }
}
