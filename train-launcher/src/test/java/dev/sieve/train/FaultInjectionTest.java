package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
  @BeforeAll
  static void engine() {
    Trainer.configureEngine();
  }

  @Test
  void onlyTheCorruptBatchIsScaled() {
    JobSpec.Debug d = new JobSpec.Debug();
    d.corruptBatchAt = 3;
    FaultInjection f = new FaultInjection(d);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.create(new float[] {0.5f, -1f});
      assertSame(logits, f.trainingLogits(2, logits));
      assertArrayEquals(new float[] {500f, -1000f}, f.trainingLogits(3, logits).toFloatArray(), 0f);
    }
  }

  @Test
  void defaultsAreInert() {
    FaultInjection f = new FaultInjection(new JobSpec.Debug());
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.create(new float[] {1f});
      assertSame(logits, f.trainingLogits(-1, logits)); // -1 is "none", and no real batch has that index
      assertSame(logits, f.trainingLogits(0, logits));
    }
    long t0 = System.nanoTime();
    f.afterStep();
    assertTrue(System.nanoTime() - t0 < 50_000_000L);
  }

  @Test
  void aNegativeSleepIsNoSleep() {
    JobSpec.Debug d = new JobSpec.Debug();
    d.stepSleepMs = -5;
    new FaultInjection(d).afterStep(); // as before the split: only a positive value sleeps
  }
}
