package dev.sieve.train;

/**
 * Dynamic loss scaling for fp16 training (Micikevicius et al. 2018, "Mixed Precision Training"),
 * with PyTorch's {@code GradScaler} defaults: the loss is multiplied by {@code scale} (initially
 * {@value #INITIAL_SCALE} = 2^16) before the backward pass so that small gradients survive fp16;
 * the gradients are divided by it before the update. A step whose gradients hold an infinity or a
 * NaN is not applied and halves the scale ({@value #BACKOFF}); {@value #GROWTH_INTERVAL} applied
 * steps in a row double it ({@value #GROWTH}). The scale and the run of good steps are checkpoint
 * state ({@link TrainState#lossScale}, {@link TrainState#lossScaleGoodSteps}).
 */
public final class LossScaler {
  public static final double INITIAL_SCALE = 65536.0;
  public static final double GROWTH = 2.0;
  public static final double BACKOFF = 0.5;
  public static final int GROWTH_INTERVAL = 2000;

  private double scale;
  private long goodSteps;

  public LossScaler(double scale, long goodSteps) {
    if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("loss scale must be positive and finite: " + scale);
    this.scale = scale;
    this.goodSteps = goodSteps;
  }

  public double scale() {
    return scale;
  }

  public long goodSteps() {
    return goodSteps;
  }

  /**
   * Records one step's outcome and adjusts the scale.
   *
   * @param finite whether every scaled gradient was finite
   * @return whether the step is to be applied (= {@code finite})
   */
  public boolean update(boolean finite) {
    if (!finite) {
      scale = Math.max(scale * BACKOFF, Double.MIN_NORMAL);
      goodSteps = 0;
      return false;
    }
    if (++goodSteps >= GROWTH_INTERVAL) {
      scale *= GROWTH;
      goodSteps = 0;
    }
    return true;
  }
}
