package dev.sieve.filter;

import java.util.Arrays;

/**
 * Counts of 64-bit keys in an open-addressing table sized for a known number of insertions (no
 * boxing; {@link #clear} is O(1): a slot counts as empty unless stamped with the current round).
 */
final class LongCounts {
  private final long[] keys;
  private final int[] counts;
  private final int[] stamps;
  private final int mask;
  private int round = 1;

  LongCounts(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
    keys = new long[cap];
    counts = new int[cap];
    stamps = new int[cap];
    mask = cap - 1;
  }

  /** Whether {@code n} keys fit at the load this table was sized for. */
  boolean fits(int n) {
    return n * 2 <= keys.length;
  }

  /** Adds one occurrence of {@code key}; returns its count so far. */
  int add(long key) {
    int i = (int) (key ^ (key >>> 29)) & mask;
    while (true) {
      if (stamps[i] != round) {
        stamps[i] = round;
        keys[i] = key;
        counts[i] = 1;
        return 1;
      }
      if (keys[i] == key) return ++counts[i];
      i = (i + 1) & mask;
    }
  }

  /** Occurrences of {@code key} added since the last {@link #clear}. */
  int count(long key) {
    int i = (int) (key ^ (key >>> 29)) & mask;
    while (true) {
      if (stamps[i] != round) return 0;
      if (keys[i] == key) return counts[i];
      i = (i + 1) & mask;
    }
  }

  /** True when {@code key} was added since the last {@link #clear}. */
  boolean contains(long key) {
    int i = (int) (key ^ (key >>> 29)) & mask;
    while (true) {
      if (stamps[i] != round) return false;
      if (keys[i] == key) return true;
      i = (i + 1) & mask;
    }
  }

  void clear() {
    if (++round == 0) {
      Arrays.fill(stamps, 0);
      round = 1;
    }
  }
}
