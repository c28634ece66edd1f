package dev.sieve.dedup;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MinHash signatures (Broder 1997): for each of {@code numPerm} hash functions, the minimum over
 * a document's shingle hashes. Each shingle's 64-bit hash is folded to 32 bits
 * ({@code x = hi ^ lo}) and the functions are multiply-add hashes
 * {@code h_i(x) = a_i·x + b_i mod 2³²} with odd {@code a_i} (a bijection of the 32-bit values,
 * compared as signed ints) drawn from a fixed seed, so the same settings give the same signatures
 * on any machine and in any run. The shingle hashes are already well mixed (MurmurHash3's
 * finaliser, {@link Shingler}), so each function is a pseudo-random permutation of them; all the
 * arithmetic is 32-bit over three int arrays, which the JIT turns into SIMD (16 functions per
 * AVX-512 instruction), and nothing is allocated per shingle. Two documents agree on a signature
 * position with probability equal to their Jaccard similarity.
 */
public final class MinHasher implements java.io.Serializable {
  private final int numPerm;
  private final int[] a;
  private final int[] b;

  public MinHasher(int numPerm, long seed) {
    if (numPerm < 1) throw new IllegalArgumentException("numPerm must be at least 1");
    this.numPerm = numPerm;
    this.a = new int[numPerm];
    this.b = new int[numPerm];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < numPerm; i++) {
      a[i] = r.nextInt() | 1;
      b[i] = r.nextInt();
    }
  }

  public int numPerm() { return numPerm; }

  /** The signature of a shingle set; {@code null} for an empty set (nothing to compare). */
  public int[] signature(long[] shingles) {
    if (shingles.length == 0) return null;
    int[] sig = new int[numPerm];
    Arrays.fill(sig, Integer.MAX_VALUE);
    int[] a = this.a, b = this.b;
    for (long shingle : shingles) {
      int x = (int) (shingle ^ (shingle >>> 32));
      for (int i = 0; i < sig.length; i++) {
        sig[i] = Math.min(sig[i], a[i] * x + b[i]);
      }
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
