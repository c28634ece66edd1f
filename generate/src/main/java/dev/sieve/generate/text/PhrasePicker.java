package dev.sieve.generate.text;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draws phrases for one document without repeating any phrase of a list until the list is used
 * up (each list is walked in a per-document random order). Real documents rarely repeat the same
 * phrase; drawing with replacement would, and repetition rules (Gopher's duplicate n-gram
 * fractions) would then flag good synthetic documents.
 */
public final class PhrasePicker {
  private final SplittableRandom random;
  private final Map<List<String>, int[]> orders = new IdentityHashMap<>();
  private final Map<List<String>, Integer> next = new IdentityHashMap<>();

  public PhrasePicker(SplittableRandom random) {
    this.random = random;
  }

  public SplittableRandom random() {
    return random;
  }

  /** The next phrase of {@code list} in this document's order. */
  public String pick(List<String> list) {
    int[] order = orders.get(list);
    int i = next.getOrDefault(list, 0);
    if (order == null || i >= order.length) {
      order = permutation(list.size());
      orders.put(list, order);
      i = 0;
    }
    next.put(list, i + 1);
    return list.get(order[i]);
  }

  /** A phrase drawn with replacement (for lists where repetition is natural, like templates). */
  public String any(List<String> list) {
    return list.get(random.nextInt(list.size()));
  }

  private int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
