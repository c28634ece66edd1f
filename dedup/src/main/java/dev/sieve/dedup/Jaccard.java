package dev.sieve.dedup;

/** Exact Jaccard similarity of two shingle sets given as sorted arrays without repeats ({@link Shingler#shingles}). */
public final class Jaccard {
  private Jaccard() {}

  public static double of(long[] x, long[] y) {
    if (x.length == 0 && y.length == 0) return 1.0;
    int i = 0, j = 0, inter = 0;
    while (i < x.length && j < y.length) {
      if (x[i] == y[j]) {
        inter++;
        i++;
        j++;
      } else if (x[i] < y[j]) {
        i++;
      } else {
        j++;
      }
    }
    return inter / (double) (x.length + y.length - inter);
  }
}
