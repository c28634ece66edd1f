package dev.sieve.decontaminate;

import java.util.Arrays;

/**
 * Open-addressing hash table from non-zero 64-bit keys (already well mixed) to int values, linear
 * probing, load factor at most 1/2. Two primitive arrays: 12 bytes a slot, no boxing, no
 * allocation on lookup. The first value put for a key stays.
 *
 * <p>In front of it, a one-hash Bloom filter of about 8 bits per key (indexed by the key's top
 * bits; the table uses the low ones): a scanner's lookups are nearly all misses, and the filter,
 * over ten times smaller than the table, answers about 9 in 10 of them without touching it.
 */
final class LongIntTable implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] keys;
  private final int[] values;
  private final int mask;
  private final long[] filter;
  private final int filterShift;
  private int size;

  LongIntTable(int expected) {
    int cap = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
    keys = new long[cap];
    values = new int[cap];
    mask = cap - 1;
    int bitsLog2 = Math.max(12, Math.min(31, 64 - Long.numberOfLeadingZeros(Math.max(1L, expected) * 8L - 1)));
    filter = new long[(int) ((1L << bitsLog2) >>> 6)];
    filterShift = 64 - bitsLog2;
  }

  static long nonZero(long key) {
    return key == 0 ? 1 : key;
  }

  /** Puts {@code value} unless {@code key} is there already; returns whether it was added. */
  boolean putIfAbsent(long key, int value) {
    key = nonZero(key);
    int i = (int) (key ^ (key >>> 32)) & mask;
    while (true) {
      long k = keys[i];
      if (k == 0) {
        long bit = key >>> filterShift;
        filter[(int) (bit >>> 6)] |= 1L << bit;
        keys[i] = key;
        values[i] = value;
        size++;
        return true;
      }
      if (k == key) return false;
      i = (i + 1) & mask;
    }
  }

  /** The value of {@code key}, or -1. */
  int get(long key) {
    key = nonZero(key);
    long bit = key >>> filterShift;
    if ((filter[(int) (bit >>> 6)] & (1L << bit)) == 0) return -1;
    int i = (int) (key ^ (key >>> 32)) & mask;
    while (true) {
      long k = keys[i];
      if (k == key) return values[i];
      if (k == 0) return -1;
      i = (i + 1) & mask;
    }
  }

  int size() { return size; }

  /** Bytes held by the arrays. */
  long bytes() { return keys.length * 12L + filter.length * 8L; }

  @Override
  public boolean equals(Object o) {
    return o instanceof LongIntTable t && Arrays.equals(keys, t.keys) && Arrays.equals(values, t.values);
  }

  @Override
  public int hashCode() { return Arrays.hashCode(keys); }
}
