package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
  @Test
  void warmupIsLinearToThePeak() {
    LrSchedule s = new LrSchedule(1.0, 0.1, 10, 110);
    assertEquals(0.1, s.at(1), 1e-12);
    assertEquals(0.5, s.at(5), 1e-12);
    assertEquals(1.0, s.at(10), 1e-12);
  }

  @Test
  void cosineDecaysToTheMinimumAtTheLastStep() {
    LrSchedule s = new LrSchedule(1.0, 0.1, 10, 110);
    assertEquals(0.55, s.at(60), 1e-12); // half way: the mean of peak and minimum
    assertEquals(0.1 + 0.45 * (1 + Math.cos(Math.PI * 0.25)), s.at(35), 1e-12);
    assertEquals(0.1, s.at(110), 1e-12);
    assertEquals(0.1, s.at(500), 1e-12); // past the end: stays at the minimum
    for (long step = 11; step < 110; step++) assertTrue(s.at(step + 1) <= s.at(step), "monotone after warm-up at " + step);
  }

  @Test
  void noWarmupStartsAtThePeak() {
    LrSchedule s = new LrSchedule(2.0, 0.0, 0, 100);
    assertEquals(2.0, s.at(0), 1e-12);
    assertEquals(1.0, s.at(50), 1e-12);
    assertEquals(0.0, s.at(100), 1e-12);
  }

  @Test
  void ofTheSpecMatchesTrainerLearningRate() {
    JobSpec.Optimizer o = new JobSpec.Optimizer();
    LrSchedule s = LrSchedule.of(o, 1000);
    for (long step : new long[] {1, 50, 100, 101, 550, 1000}) assertEquals(Trainer.learningRate(o, step, 1000), s.at(step), 0.0);
  }

  @Test
  void badArgumentsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LrSchedule(0.0, 0.0, 10, 100));
    assertTrue(e.getMessage().contains("peakLr"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new LrSchedule(1.0, 2.0, 10, 100));
    assertThrows(IllegalArgumentException.class, () -> new LrSchedule(1.0, 0.1, -1, 100));
  }
}
