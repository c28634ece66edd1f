package dev.sieve.train;

/**
 * The learning rate per optimizer step: linear warm-up from 0 to {@code peakLr} over {@code
 * warmupSteps}, then half-cosine decay to {@code minLr} at {@code totalSteps} (and {@code minLr}
 * after it). This is the schedule of GPT-3 (Brown et al. 2020, appendix B) and Chinchilla (Hoffmann
 * et al. 2022, which decays over the full run and notes a minimum of 10× below the peak).
 *
 * <p>A pure function object: {@link #at(long)} depends on its arguments only. Steps count from 1
 * (the first update), so step {@code warmupSteps} is the first to see the peak.
 */
public final class LrSchedule {
  private final double peakLr;
  private final double minLr;
  private final long warmupSteps;
  private final long totalSteps;

  /**
   * @param peakLr the rate at the end of warm-up, {@code > 0}
   * @param minLr the rate at {@code totalSteps}, {@code 0 ≤ minLr ≤ peakLr}
   * @param warmupSteps steps of linear warm-up, {@code ≥ 0} (0: start at the peak)
   * @param totalSteps the run's optimizer steps, {@code ≥ 0}
   * @throws IllegalArgumentException naming the bad value
   */
  public LrSchedule(double peakLr, double minLr, long warmupSteps, long totalSteps) {
    if (!(peakLr > 0)) throw new IllegalArgumentException("peakLr must be positive: " + peakLr);
    if (!(minLr >= 0 && minLr <= peakLr)) throw new IllegalArgumentException("minLr must be in [0, peakLr " + peakLr + "]: " + minLr);
    if (warmupSteps < 0) throw new IllegalArgumentException("warmupSteps must be >= 0: " + warmupSteps);
    if (totalSteps < 0) throw new IllegalArgumentException("totalSteps must be >= 0: " + totalSteps);
    this.peakLr = peakLr;
    this.minLr = minLr;
    this.warmupSteps = warmupSteps;
    this.totalSteps = totalSteps;
  }

  /** The schedule a job spec's {@code optimizer} section gives for a run of {@code totalSteps}. */
  public static LrSchedule of(JobSpec.Optimizer o, long totalSteps) {
    return new LrSchedule(o.peakLr, o.minLr, o.warmupSteps, totalSteps);
  }

  /** The learning rate of update {@code step} (1-based). */
  public double at(long step) {
    if (warmupSteps > 0 && step <= warmupSteps) return peakLr * step / warmupSteps;
    long decay = Math.max(1, totalSteps - warmupSteps);
    double progress = Math.min(1.0, (double) (step - warmupSteps) / decay);
    return minLr + 0.5 * (peakLr - minLr) * (1 + Math.cos(Math.PI * progress));
  }
}
