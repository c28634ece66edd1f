package dev.sieve.tokenize;

import java.util.Arrays;

/** Open-addressing {@code long → long} map (linear probing; keys must not be -1; no removal). */
final class LongLongMap {
  private static final long EMPTY = -1L;
  private long[] keys;
  private long[] values;
  private int size;
  private int mask;

  LongLongMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[cap];
    values = new long[cap];
    Arrays.fill(keys, EMPTY);
    mask = cap - 1;
  }

  int size() {
    return size;
  }

  private static int hash(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    return (int) k;
  }

  private int slot(long key) {
    int i = hash(key) & mask;
    while (keys[i] != EMPTY && keys[i] != key) i = (i + 1) & mask;
    return i;
  }

  /** The value, or {@code missing}. */
  long get(long key, long missing) {
    int i = slot(key);
    return keys[i] == key ? values[i] : missing;
  }

  /** Adds {@code delta} (a missing key counts as 0); returns the new value. */
  long add(long key, long delta) {
    int i = slot(key);
    if (keys[i] != key) {
      keys[i] = key;
      values[i] = delta;
      if (++size * 2 > keys.length) grow();
      return delta;
    }
    return values[i] += delta;
  }

  void put(long key, long value) {
    int i = slot(key);
    if (keys[i] != key) {
      keys[i] = key;
      values[i] = value;
      if (++size * 2 > keys.length) grow();
    } else {
      values[i] = value;
    }
  }

  private void grow() {
    long[] ok = keys;
    long[] ov = values;
    keys = new long[ok.length * 2];
    values = new long[ok.length * 2];
    Arrays.fill(keys, EMPTY);
    mask = keys.length - 1;
    for (int i = 0; i < ok.length; i++) {
      if (ok[i] != EMPTY) {
        int j = slot(ok[i]);
        keys[j] = ok[i];
        values[j] = ov[i];
      }
    }
  }

  /** Calls {@code f} for every entry (in table order). */
  void forEach(java.util.function.LongBinaryOperator f) {
    for (int i = 0; i < keys.length; i++) if (keys[i] != EMPTY) f.applyAsLong(keys[i], values[i]);
  }
}
