package dev.sieve.train;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from a row of logits: greedy (the arg max, the lowest id on ties) at
 * temperature 0, else a draw from {@code softmax(logits / temperature)} restricted to the
 * {@code topK} largest logits (0 = all of them). The draw uses the caller's {@link Random}, so
 * a seeded generator gives the same tokens every time.
 */
public final class Sampler {
  private final double temperature;
  private final int topK;

  /**
   * @param temperature {@code ≥ 0}; 0 = greedy
   * @param topK {@code ≥ 0}; 0 = no cut
   * @throws IllegalArgumentException for a negative or NaN temperature or a negative top-k
   */
  public Sampler(double temperature, int topK) {
    if (!(temperature >= 0) || Double.isInfinite(temperature)) throw new IllegalArgumentException("temperature must be >= 0: " + temperature);
    if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0: " + topK);
    this.temperature = temperature;
    this.topK = topK;
  }

  /** The next token id for {@code logits} (one per vocabulary id). */
  public int next(float[] logits, Random random) {
    if (logits.length == 0) throw new IllegalArgumentException("no logits");
    if (temperature == 0) return argMax(logits);
    double cut = Double.NEGATIVE_INFINITY;
    if (topK > 0 && topK < logits.length) {
      float[] sorted = logits.clone();
      Arrays.sort(sorted);
      cut = sorted[sorted.length - topK]; // the k-th largest; ties at the cut stay in
    }
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) max = Math.max(max, l);
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      p[i] = logits[i] >= cut ? Math.exp((logits[i] - max) / temperature) : 0;
      sum += p[i];
    }
    double u = random.nextDouble() * sum;
    int last = -1;
    for (int i = 0; i < p.length; i++) {
      if (p[i] == 0) continue;
      last = i;
      u -= p[i];
      if (u < 0) return i;
    }
    return last >= 0 ? last : argMax(logits);
  }

  static int argMax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
    return best;
  }
}
