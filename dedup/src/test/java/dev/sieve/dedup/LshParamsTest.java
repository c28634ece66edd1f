package dev.sieve.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LshParamsTest {
  @Test
  void optimalBandingPutsTheSCurveAtTheThreshold() {
    for (double t : new double[] {0.5, 0.7, 0.8, 0.9}) {
      LshParams p = LshParams.optimal(t, 256, 0.5, 0.5);
      assertTrue(p.used() <= 256);
      // The S-curve's steepest point (1/b)^(1/r) lies near the threshold.
      double knee = Math.pow(1.0 / p.bands(), 1.0 / p.rows());
      assertTrue(Math.abs(knee - t) < 0.08, t + " -> " + p + " knee " + knee);
      assertTrue(p.candidateProbability(t + 0.1) > 0.85, t + " -> " + p);
      assertTrue(p.candidateProbability(t - 0.2) < 0.1, t + " -> " + p);
    }
  }

  @Test
  void knownAnswers() {
    // Regression values of the weighted-area optimum (same criterion as datasketch's _optimal_param).
    assertEquals(new LshParams(17, 15), LshParams.optimal(0.8, 256, 0.5, 0.5));
    assertEquals(new LshParams(25, 10), LshParams.optimal(0.8, 256, 0.05, 0.95));
    assertEquals(new LshParams(25, 10), new DedupSettings().lshParams(), "the defaults");
    assertEquals(0.4375, new LshParams(2, 2).candidateProbability(0.5), 1e-12); // 1 - (1 - 0.5²)²
  }

  @Test
  void weightingFalseNegativesMoreLowersTheKnee() {
    LshParams even = LshParams.optimal(0.8, 256, 0.5, 0.5);
    LshParams recall = LshParams.optimal(0.8, 256, 0.1, 0.9);
    assertNotEquals(even, recall);
    assertTrue(recall.candidateProbability(0.8) > even.candidateProbability(0.8));
  }

  @Test
  void bandKeysDependOnEveryRowOfTheBand() {
    LshParams p = new LshParams(4, 2);
    int[] sig = {1, 2, 3, 4, 5, 6, 7, 8};
    long[] a = p.bandKeys(sig);
    int[] other = sig.clone();
    other[3] = 40; // band 1, second row
    long[] b = p.bandKeys(other);
    assertEquals(a[0], b[0]);
    assertNotEquals(a[1], b[1]);
    assertEquals(a[2], b[2]);
    // Equal values in different bands still give different keys.
    assertNotEquals(new LshParams(2, 1).bandKeys(new int[] {5, 5})[0], new LshParams(2, 1).bandKeys(new int[] {5, 5})[1]);
    assertThrows(IllegalArgumentException.class, () -> p.bandKeys(new int[7]));
  }

  @Test
  void exactKeyNormalisesWidthCaseAndSpace() {
    assertEquals(ExactKey.of("Hello World"), ExactKey.of("  hello \n\t WORLD "));
    assertEquals(ExactKey.of("ＡＢＣ１２３"), ExactKey.of("abc123"), "NFKC folds full-width forms");
    assertNotEquals(ExactKey.of("hello world"), ExactKey.of("hello, world"));
    assertEquals(32, ExactKey.of("x").length());
  }
}
