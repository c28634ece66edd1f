package dev.sieve.dedup;

import com.dynatrace.hash4j.hashing.HashStream64;
import com.dynatrace.hash4j.hashing.Hashing;

/**
 * LSH banding of a MinHash signature (Leskovec, Rajaraman, Ullman, <i>Mining of Massive
 * Datasets</i>, ch. 3.4): {@code bands} bands of {@code rows} values each; two documents become
 * candidates when they agree on every value of at least one band, which happens with probability
 * {@code 1 - (1 - s^rows)^bands} at Jaccard similarity {@code s}.
 */
public record LshParams(int bands, int rows) implements java.io.Serializable {
  public LshParams {
    if (bands < 1 || rows < 1) throw new IllegalArgumentException("bands and rows must be at least 1: " + bands + "x" + rows);
  }

  /** Signature positions used: {@code bands × rows}. */
  public int used() { return bands * rows; }

  /** Probability that a pair at similarity {@code s} shares at least one band. */
  public double candidateProbability(double s) {
    return 1 - Math.pow(1 - Math.pow(s, rows), bands);
  }

  /**
   * The bands × rows (with {@code bands·rows ≤ numPerm}) that minimise
   * {@code fpWeight·∫₀ᵗ P(s) ds + fnWeight·∫ₜ¹ (1 − P(s)) ds}: the area of false positives below
   * the threshold plus that of false negatives above it, the criterion of datasketch's and
   * text-dedup's {@code optimal_param}. Ties go to fewer bands (a smaller index).
   */
  public static LshParams optimal(double threshold, int numPerm, double fpWeight, double fnWeight) {
    if (!(threshold > 0 && threshold < 1)) throw new IllegalArgumentException("threshold must be in (0, 1): " + threshold);
    LshParams best = null;
    double bestError = Double.MAX_VALUE;
    for (int b = 1; b <= numPerm; b++) {
      for (int r = 1; r * b <= numPerm; r++) {
        LshParams p = new LshParams(b, r);
        double fp = integrate(p, 0, threshold, false);
        double fn = integrate(p, threshold, 1, true);
        double error = fpWeight * fp + fnWeight * fn;
        if (error < bestError - 1e-12) {
          bestError = error;
          best = p;
        }
      }
    }
    return best;
  }

  /** Simpson's rule over 200 intervals of P(s) (or 1 − P(s) when {@code complement}). */
  private static double integrate(LshParams p, double lo, double hi, boolean complement) {
    int n = 200;
    double h = (hi - lo) / n;
    double sum = 0;
    for (int i = 0; i <= n; i++) {
      double s = lo + i * h;
      double f = p.candidateProbability(s);
      if (complement) f = 1 - f;
      sum += f * (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2);
    }
    return sum * h / 3;
  }

  /**
   * The bucket key of each band: a 64-bit xxh3 hash of the band number and its {@code rows}
   * signature values. Buckets are compared only within one band.
   */
  public long[] bandKeys(int[] signature) {
    if (signature.length < used()) {
      throw new IllegalArgumentException("signature of " + signature.length + " values is shorter than " + bands + "x" + rows);
    }
    HashStream64 h = Hashing.xxh3_64().hashStream();
    long[] keys = new long[bands];
    for (int band = 0; band < bands; band++) {
      h.reset();
      h.putInt(band);
      h.putInts(signature, band * rows, rows);
      keys[band] = h.getAsLong();
    }
    return keys;
  }

  @Override
  public String toString() { return bands + "x" + rows; }
}
