package dev.sieve.filter;

/**
 * What a rule says of a document: keep it, or reject it naming the reason, the value it measured
 * and the threshold that value crossed (the {@code rule}, {@code value}, {@code threshold} columns
 * of {@code silver/rejected}).
 */
public record Verdict(boolean kept, String rule, double value, double threshold) {
  private static final Verdict KEEP = new Verdict(true, null, Double.NaN, Double.NaN);

  public static Verdict keep() {
    return KEEP;
  }

  public static Verdict reject(String rule, double value, double threshold) {
    return new Verdict(false, rule, value, threshold);
  }
}
