package dev.sieve.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MinHasherTest {
  @Test
  void sameSettingsSameSignature() {
    long[] shingles = new Shingler(5, 5).shingles("one two three four five six seven eight nine ten");
    int[] a = new MinHasher(256, 1).signature(shingles);
    assertArrayEquals(a, new MinHasher(256, 1).signature(shingles));
    assertEquals(1.0, MinHasher.estimate(a, a));
    assertTrue(MinHasher.estimate(a, new MinHasher(256, 2).signature(shingles)) < 0.1, "another seed is another family");
    assertNull(new MinHasher(8, 1).signature(new long[0]));
    assertArrayEquals(a, MinHasher.fromBytes(MinHasher.toBytes(a)));
  }

  /** Estimates are unbiased: over pairs at known Jaccard, the mean error is near 0 and the spread near √(J(1−J)/k). */
  @Test
  void estimateTracksJaccard() {
    SplittableRandom r = new SplittableRandom(7);
    MinHasher h = new MinHasher(256, 1);
    for (double target : new double[] {0.3, 0.5, 0.8, 0.95}) {
      double sumErr = 0, sumSq = 0;
      int trials = 200;
      for (int t = 0; t < trials; t++) {
        // Sets of 400 random hashes sharing `shared` of them: J = shared / (800 - shared).
        int shared = (int) Math.round(800 * target / (1 + target));
        long[] x = new long[400];
        long[] y = new long[400];
        for (int i = 0; i < 400; i++) {
          x[i] = r.nextLong();
          y[i] = i < shared ? x[i] : r.nextLong();
        }
        double j = Jaccard.of(Shingler.distinctSorted(x.clone()), Shingler.distinctSorted(y.clone()));
        double e = MinHasher.estimate(h.signature(x), h.signature(y)) - j;
        sumErr += e;
        sumSq += e * e;
      }
      double bias = sumErr / trials;
      double sd = Math.sqrt(sumSq / trials);
      double expected = Math.sqrt(target * (1 - target) / 256);
      assertTrue(Math.abs(bias) < 0.01, "bias at " + target + ": " + bias);
      assertTrue(sd < expected * 1.3 + 0.002, "spread at " + target + ": " + sd + " (binomial " + expected + ")");
    }
  }
}
