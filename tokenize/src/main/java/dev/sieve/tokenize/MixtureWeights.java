package dev.sieve.tokenize;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How much each group (a source, a language, or both) contributes to the token mix, and the
 * per-document decision that realises it.
 *
 * <p>Target shares {@code p_g} come from explicit weights (normalised to sum 1) or from
 * temperature sampling {@code p_g ∝ n_g^α} over the groups' sizes {@code n_g} (Conneau et al.
 * 2020, XLM-R, α = 0.3; Xue et al. 2021, mT5, α = 0.3; α = 1 is the natural mix, α = 0 uniform).
 * Each group's <em>rate</em> is then {@code r_g = p_g · N / n_g} with {@code N = Σ n_g}: the
 * expected number of copies of each of its documents that keeps the total size at {@code N}
 * (above 1: upsampled, repeated; below 1: subsampled), optionally capped at {@code maxRepeats}.
 * A document of group {@code g} is written {@code ⌊r_g⌋} times plus once more when {@link
 * DocHash#unit}{@code ("mixture", seed, doc_id) < r_g − ⌊r_g⌋}: deterministic per document, and
 * in expectation exactly {@code r_g}.
 */
public final class MixtureWeights implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  /** mT5's (and XLM-R's) sampling exponent. */
  public static final double MT5_ALPHA = 0.3;

  private final Map<String, Double> shares;
  private final Map<String, Double> rates;
  private final long seed;

  private MixtureWeights(Map<String, Long> sizes, Map<String, Double> shares, double maxRepeats, long seed) {
    this.seed = seed;
    this.shares = Collections.unmodifiableMap(shares);
    long total = 0;
    for (long n : sizes.values()) total += n;
    Map<String, Double> r = new TreeMap<>();
    for (Map.Entry<String, Long> e : sizes.entrySet()) {
      double p = shares.getOrDefault(e.getKey(), 0.0);
      double rate = e.getValue() <= 0 ? 0 : p * total / e.getValue();
      if (maxRepeats > 0) rate = Math.min(rate, maxRepeats);
      r.put(e.getKey(), rate);
    }
    this.rates = Collections.unmodifiableMap(r);
  }

  /** Temperature sampling: {@code p_g ∝ n_g^alpha} over the groups' sizes (tokens or documents). */
  public static MixtureWeights temperature(Map<String, Long> sizes, double alpha, double maxRepeats, long seed) {
    if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("alpha must be in [0, 1]: " + alpha);
    Map<String, Double> w = new TreeMap<>();
    for (Map.Entry<String, Long> e : sizes.entrySet()) {
      if (e.getValue() > 0) w.put(e.getKey(), Math.pow(e.getValue(), alpha));
    }
    return new MixtureWeights(sizes, normalise(w), maxRepeats, seed);
  }

  /**
   * Explicit weights, normalised over the groups present in {@code sizes}; a group without a
   * weight gets 0 (dropped).
   */
  public static MixtureWeights explicit(Map<String, Long> sizes, Map<String, Double> weights, double maxRepeats, long seed) {
    Map<String, Double> w = new TreeMap<>();
    for (Map.Entry<String, Long> e : sizes.entrySet()) {
      Double x = weights.get(e.getKey());
      if (x != null && x < 0) throw new IllegalArgumentException("negative weight for " + e.getKey());
      if (e.getValue() > 0 && x != null && x > 0) w.put(e.getKey(), x);
    }
    if (w.isEmpty()) throw new IllegalArgumentException("no group with data has a positive weight (groups: " + sizes.keySet() + ")");
    return new MixtureWeights(sizes, normalise(w), maxRepeats, seed);
  }

  private static Map<String, Double> normalise(Map<String, Double> w) {
    double sum = 0;
    for (double x : w.values()) sum += x;
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : w.entrySet()) out.put(e.getKey(), e.getValue() / sum);
    return out;
  }

  /** Target share per group (sums to 1 over groups with data). */
  public Map<String, Double> shares() {
    return shares;
  }

  /** Expected copies per document, per group. */
  public Map<String, Double> rates() {
    return rates;
  }

  public double rate(String group) {
    return rates.getOrDefault(group, 0.0);
  }

  /** How many times to write this document: {@code ⌊r⌋} or {@code ⌊r⌋ + 1} (0 = dropped). */
  public int repeats(String group, String docId) {
    double r = rate(group);
    int whole = (int) Math.floor(r);
    double frac = r - whole;
    return whole + (frac > 0 && DocHash.unit("mixture", seed, docId) < frac ? 1 : 0);
  }

  /** Whether the document is written at least once. */
  public boolean keep(String group, String docId) {
    return repeats(group, docId) > 0;
  }
}
