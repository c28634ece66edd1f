package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpikeGuardTest {
  static JobSpec.Spike settings(double factor, int window, int skip, double lrScale, int maxRollbacks) {
    JobSpec.Spike s = new JobSpec.Spike();
    s.factor = factor;
    s.window = window;
    s.skipBatches = skip;
    s.lrScale = lrScale;
    s.maxRollbacks = maxRollbacks;
    return s;
  }

  @Test
  void aLossAboveFactorTimesTheWindowMeanIsASpike() {
    SpikeGuard g = new SpikeGuard(settings(3.0, 3, 5, 1.0, 2));
    List<Double> w = List.of(1.0, 2.0, 3.0); // mean 2
    assertFalse(g.isSpike(6.0, w)); // exactly factor × mean: not above
    assertTrue(g.isSpike(6.01, w));
    assertFalse(g.isSpike(0.5, w));
  }

  @Test
  void aPartialWindowNeverSpikesButNonFiniteAlwaysDoes() {
    SpikeGuard g = new SpikeGuard(settings(3.0, 3, 5, 1.0, 2));
    List<Double> partial = List.of(1.0, 1.0);
    assertFalse(g.isSpike(100.0, partial));
    assertTrue(g.isSpike(Double.NaN, partial));
    assertTrue(g.isSpike(Double.POSITIVE_INFINITY, List.of()));
  }

  @Test
  void disabledGuardSeesNoSpikes() {
    JobSpec.Spike s = settings(3.0, 1, 5, 1.0, 2);
    s.enabled = false;
    assertFalse(new SpikeGuard(s).isSpike(Double.NaN, List.of(1.0)));
  }

  @Test
  void theWindowKeepsTheLastLosses() {
    SpikeGuard g = new SpikeGuard(settings(3.0, 2, 5, 1.0, 2));
    List<Double> w = new ArrayList<>();
    g.record(w, 1.0);
    g.record(w, 2.0);
    g.record(w, 3.0);
    assertEquals(List.of(2.0, 3.0), w);
    assertEquals(2.5, SpikeGuard.mean(w), 0.0);
    assertTrue(Double.isNaN(SpikeGuard.mean(List.of())));
  }

  @Test
  void rollbackSkipsBatchesAndScalesTheRateThenGivesUp() {
    SpikeGuard g = new SpikeGuard(settings(3.0, 5, 3, 0.5, 2));
    SpikeGuard.Rollback first = assertInstanceOf(SpikeGuard.Rollback.class, g.decide(25, 0, 1.0));
    assertEquals(new SpikeGuard.Rollback(25, 28, 0.5, 1), first);
    SpikeGuard.Rollback second = assertInstanceOf(SpikeGuard.Rollback.class, g.decide(40, 1, 0.5));
    assertEquals(new SpikeGuard.Rollback(40, 43, 0.25, 2), second);
    assertEquals(new SpikeGuard.GiveUp(2, 2), g.decide(50, 2, 0.25));
    assertEquals(new SpikeGuard.GiveUp(0, 0), new SpikeGuard(settings(3.0, 5, 3, 0.5, 0)).decide(1, 0, 1.0));
  }

  @Test
  void nextBatchJumpsOverSkippedRanges() {
    List<long[]> skips = SpikeGuard.withSkip(SpikeGuard.withSkip(List.of(), 10, 13), 13, 15);
    assertEquals(9, SpikeGuard.nextBatch(9, skips));
    assertEquals(15, SpikeGuard.nextBatch(10, skips)); // chained ranges
    assertEquals(15, SpikeGuard.nextBatch(14, skips));
    assertEquals(20, SpikeGuard.nextBatch(20, skips));
    assertEquals(7, SpikeGuard.nextBatch(7, SpikeGuard.withSkip(List.of(), 7, 7))); // an empty range skips nothing
    assertArrayEquals(new long[] {10, 13}, skips.get(0));
  }

  @Test
  void badSettingsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SpikeGuard(settings(1.0, 5, 3, 0.5, 2)));
    assertTrue(e.getMessage().contains("spike.factor"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SpikeGuard(settings(3.0, 0, 3, 0.5, 2)));
    assertThrows(IllegalArgumentException.class, () -> new SpikeGuard(settings(3.0, 5, 3, 0.0, 2)));
  }
}
