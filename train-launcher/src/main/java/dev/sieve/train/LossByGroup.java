package dev.sieve.train;

import java.util.Map;
import java.util.TreeMap;

/**
 * Token-weighted mean losses per key (a source or a language): the sum of the per-label-token
 * negative log-likelihoods (nats) and their count, per key.
 */
final class LossByGroup {
  private final Map<String, double[]> sums = new TreeMap<>(); // key -> {nll sum, label tokens}

  /** One label token's NLL {@code nll} (nats) under {@code key}. */
  void add(String key, double nll) {
    double[] a = sums.computeIfAbsent(key, k -> new double[2]);
    a[0] += nll;
    a[1] += 1;
  }

  /** Everything {@code other} holds, added to this. */
  void addAll(LossByGroup other) {
    other.sums.forEach((k, v) -> {
      double[] a = sums.computeIfAbsent(k, x -> new double[2]);
      a[0] += v[0];
      a[1] += v[1];
    });
  }

  /** Per key (sorted), its label tokens and mean NLL. */
  Map<String, RunModel.GroupLoss> result() {
    Map<String, RunModel.GroupLoss> out = new TreeMap<>();
    sums.forEach((k, v) -> out.put(k, new RunModel.GroupLoss((long) v[1], v[0] / v[1])));
    return out;
  }
}
