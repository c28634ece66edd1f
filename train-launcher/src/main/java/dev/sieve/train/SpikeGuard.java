package dev.sieve.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The loss-spike guard's decisions, apart from the tensors and files: whether a step's loss is a
 * spike, and what to do about one (roll back and skip batches, or give up). The settings are
 * {@link JobSpec.Spike}'s, whose Javadoc gives the recipe's sources (PaLM §5.1, OPT-175B §2.5)
 * and the defaults ({@value JobSpec.Spike#DEFAULT_FACTOR} × the mean of the last {@value
 * JobSpec.Spike#DEFAULT_WINDOW} losses, skip {@value JobSpec.Spike#DEFAULT_SKIP_BATCHES} batches,
 * at most {@value JobSpec.Spike#DEFAULT_MAX_ROLLBACKS} rollbacks).
 *
 * <p>Its state lives in {@link TrainState} ({@code recentLosses}, {@code skips}, {@code lrScale},
 * {@code rollbacks}) so that it is checkpointed with the run; this class only reads it and says
 * what the new values are.
 */
public final class SpikeGuard {
  /** What to do about a spike. */
  public sealed interface Decision permits Rollback, GiveUp {}

  /**
   * Roll back to the newest checkpoint, skip data batches {@code [skipFrom, skipTo)} and scale
   * the learning rate by {@code lrScale} (the product over all rollbacks so far); {@code
   * rollbacks} is the count including this one.
   */
  public record Rollback(long skipFrom, long skipTo, double lrScale, int rollbacks) implements Decision {}

  /** Too many rollbacks already ({@code rollbacks} done before this spike): the run fails. */
  public record GiveUp(int rollbacks, int maxRollbacks) implements Decision {}

  private final JobSpec.Spike settings;

  /** @throws IllegalArgumentException when a setting is out of the range {@link JobSpec#validate} allows */
  public SpikeGuard(JobSpec.Spike settings) {
    if (!(settings.factor > 1)) throw new IllegalArgumentException("spike.factor must be above 1: " + settings.factor);
    if (settings.window < 1) throw new IllegalArgumentException("spike.window must be at least 1: " + settings.window);
    if (settings.skipBatches < 0) throw new IllegalArgumentException("spike.skip_batches must be >= 0: " + settings.skipBatches);
    if (!(settings.lrScale > 0 && settings.lrScale <= 1)) throw new IllegalArgumentException("spike.lr_scale must be in (0, 1]: " + settings.lrScale);
    if (settings.maxRollbacks < 0) throw new IllegalArgumentException("spike.max_rollbacks must be >= 0: " + settings.maxRollbacks);
    this.settings = settings;
  }

  /**
   * A spike: the guard is enabled and the loss is NaN/infinite, or the window is full and the loss
   * is above {@code factor} × its mean.
   */
  public boolean isSpike(double loss, List<Double> recentLosses) {
    if (!settings.enabled) return false;
    if (!Double.isFinite(loss)) return true;
    if (recentLosses.size() < settings.window) return false;
    return loss > settings.factor * mean(recentLosses);
  }

  /** Adds an applied step's loss to the window, dropping the oldest beyond {@code window}. */
  public void record(List<Double> recentLosses, double loss) {
    recentLosses.add(loss);
    while (recentLosses.size() > settings.window) recentLosses.remove(0);
  }

  /** What to do about a spike at data batch {@code batch}, after {@code rollbacksSoFar} rollbacks at learning-rate scale {@code lrScale}. */
  public Decision decide(long batch, int rollbacksSoFar, double lrScale) {
    int rollbacks = rollbacksSoFar + 1;
    if (rollbacks > settings.maxRollbacks) return new GiveUp(rollbacksSoFar, settings.maxRollbacks);
    return new Rollback(batch, batch + settings.skipBatches, lrScale * settings.lrScale, rollbacks);
  }

  /** The first batch at or after {@code b} outside every skipped range {@code [from, to)}. */
  public static long nextBatch(long b, List<long[]> skips) {
    boolean moved = true;
    while (moved) {
      moved = false;
      for (long[] r : skips) {
        if (b >= r[0] && b < r[1]) {
          b = r[1];
          moved = true;
        }
      }
    }
    return b;
  }

  /** The skip ranges with {@code [from, to)} added (a new list). */
  public static List<long[]> withSkip(List<long[]> skips, long from, long to) {
    List<long[]> out = new ArrayList<>(skips);
    out.add(new long[] {from, to});
    return out;
  }

  /** Mean of the window; NaN when empty. */
  public static double mean(List<Double> xs) {
    double s = 0;
    for (double x : xs) s += x;
    return xs.isEmpty() ? Double.NaN : s / xs.size();
  }
}
