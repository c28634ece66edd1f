package dev.sieve.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything besides tensors that a resumed run needs to continue exactly where a checkpoint
 * left off. The RNG needs no saved bytes: the engine is re-seeded from {@code (seed, step,
 * micro-batch)} before every forward pass, so {@code seed} and {@code step} are its state.
 */
public final class TrainState {
  /** Optimizer steps done. */
  public long step;
  /** Next data batch index (the data position): batch b holds samples b·B·A .. (b+1)·B·A - 1. */
  public long nextBatch;
  /** Samples consumed = nextBatch × batch_size × grad_accumulation (for readers). */
  public long sampleIndex;
  public long tokens;
  public long seed;
  /** AdamW's update count (bias correction). */
  public long adamT;
  /** Product of spike.lr_scale over the rollbacks so far. */
  public double lrScale = 1.0;
  public int rollbacks;
  /** Skipped batch ranges [from, to) after spikes. */
  public List<long[]> skips = new ArrayList<>();
  /** The spike guard's window of recent losses. */
  public List<Double> recentLosses = new ArrayList<>();
  /** Lines of metrics.jsonl that belong to the run up to and including this checkpoint. */
  public long metricsLines;
  /** fp16 only: the dynamic loss scale ({@link LossScaler}). */
  public double lossScale = LossScaler.INITIAL_SCALE;
  /** fp16 only: applied steps since the loss scale last changed. */
  public long lossScaleGoodSteps;
  /** fp16 only: steps not applied because a scaled gradient overflowed. */
  public long overflowSteps;
  /** Where the initial weights came from (init_from), if anywhere. */
  public String initFrom;
  /** A PEFT run: SHA-256 of the base checkpoint's {@code params.bin} ({@code initFrom}), checked whenever the base is loaded. */
  public String peftBaseSha256;
}
