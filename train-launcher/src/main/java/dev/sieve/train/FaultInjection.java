package dev.sieve.train;

import ai.djl.ndarray.NDArray;

/**
 * The test and debug seam of a training run, set by the spec's {@code debug} section ({@link
 * JobSpec.Debug}): corrupting one data batch so that its loss spikes (to exercise the {@link
 * SpikeGuard}) and sleeping after each step (so that a test can kill a run mid-way). Inert with the
 * defaults; real runs leave it alone.
 */
final class FaultInjection {
  /** The factor a corrupted batch's logits are multiplied by: large enough for any loss to spike. */
  static final float CORRUPT_LOGIT_SCALE = 1000f;

  private final long corruptBatchAt;
  private final long stepSleepMs;

  FaultInjection(JobSpec.Debug debug) {
    this.corruptBatchAt = debug.corruptBatchAt;
    this.stepSleepMs = debug.stepSleepMs;
  }

  /** The training logits of data batch {@code batch}: scaled ×{@value #CORRUPT_LOGIT_SCALE} at {@code corrupt_batch_at} (-1 = never), else as they are. */
  NDArray trainingLogits(long batch, NDArray logits) {
    return corruptBatchAt >= 0 && batch == corruptBatchAt ? logits.mul(CORRUPT_LOGIT_SCALE) : logits;
  }

  /** Sleeps {@code step_sleep_ms} after an applied step (no effect on the numbers). */
  void afterStep() {
    if (stepSleepMs <= 0) return;
    try {
      Thread.sleep(stepSleepMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
