package dev.sieve.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.List;

/**
 * The math of one optimizer step and of a validation pass: forward and backward over a step's
 * micro-batches (gradient accumulation, the engine re-seeded per micro-batch), fp16 loss scaling
 * ({@link LossScaler}) and the {@link AdamW} update, unless the loss spiked ({@link SpikeGuard}).
 * The {@link Trainer} decides what happens around it (rollback, checkpoints, events).
 */
final class TrainStep {
  /**
   * A step's mean loss (per label token; for DPO per pair), the global gradient norm before
   * clipping (NaN when no update was applied) and, for DPO, the step's {@link DpoLoss.Stats#fields
   * rewards} (else empty).
   */
  record Out(double loss, double gradNorm, java.util.Map<String, Object> fields) {}

  private final JobSpec spec;
  private final DataType compute;
  private final NDManager base;
  private final TrainData data;
  private final SpikeGuard guard;
  private final FaultInjection faults;
  private final NextTokenLoss lossFn;
  private final DpoLoss dpo; // null: next-token loss

  TrainStep(JobSpec spec, DataType compute, NDManager base, TrainData data, SpikeGuard guard, FaultInjection faults) {
    this.spec = spec;
    this.compute = compute;
    this.base = base;
    this.data = data;
    this.guard = guard;
    this.faults = faults;
    this.lossFn = new NextTokenLoss(spec.seqLength());
    this.dpo = spec.dpo == null ? null : new DpoLoss(spec, compute, base);
  }

  /** The DPO objective of a {@code dpo} run; null otherwise. */
  DpoLoss dpo() {
    return dpo;
  }

  /** One optimizer step's forward and backward passes over data batch {@code batch}, then the update at {@code lr} unless the loss spiked. */
  Out run(ModelState state, TrainState st, long batch, double lr) {
    try (NDManager m = base.newSubManager()) {
      StepStore ps = new StepStore(m, compute, state.adapters());
      List<NDArray> weights = state.weights();
      AdamW optimizer = state.optimizer();
      for (NDArray w : weights) ps.attach(w);
      for (int i = 0; i < weights.size(); i++) {
        ps.attach(optimizer.moments(AdamW.Moment.FIRST).get(i));
        ps.attach(optimizer.moments(AdamW.Moment.SECOND).get(i));
      }
      double loss = 0;
      DpoLoss.Stats stats = new DpoLoss.Stats();
      int a = spec.gradAccumulation;
      boolean fp16 = compute == DataType.FLOAT16;
      float lossScale = fp16 ? (float) st.lossScale : 1f;
      for (int micro = 0; micro < a; micro++) {
        long microIndex = batch * a + micro;
        Batches.Batch b = data.train().batch(microIndex, spec.batchSize);
        Engine.getInstance().setRandomSeed((int) Trainer.mix(spec.seed, microIndex));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray l;
          if (dpo != null) {
            DpoLoss.Out o = dpo.loss(m, ps, state, b, true, logits -> faults.trainingLogits(batch, logits));
            stats.add(o);
            l = o.loss();
          } else {
            NextTokenLoss.Tokens t = lossFn.tokens(m, b);
            NDArray logits = faults.trainingLogits(batch, state.model().forward(ps, new NDList(t.inputs()), true).head());
            l = lossFn.mean(m, logits, t, b.lossMask()).loss();
          }
          loss += l.getFloat() / a;
          gc.backward(a == 1 && !fp16 ? l : l.mul(lossScale / a));
        }
      }
      if (guard.isSpike(loss, st.recentLosses)) {
        AdamW.zeroGradients(weights);
        return new Out(loss, Double.NaN, fields(stats));
      }
      List<NDArray> grads = fp16 ? ps.masterGradients(weights, lossScale) : AdamW.gradients(weights);
      if (fp16) {
        LossScaler scaler = new LossScaler(st.lossScale, st.lossScaleGoodSteps);
        boolean finite = Double.isFinite(AdamW.norm(grads));
        scaler.update(finite);
        st.lossScale = scaler.scale();
        st.lossScaleGoodSteps = scaler.goodSteps();
        if (!finite) { // an overflow: this step's update is skipped, with a smaller scale next time
          st.overflowSteps++;
          AdamW.zeroGradients(weights);
          return new Out(loss, Double.NaN, fields(stats));
        }
      }
      double norm = optimizer.step(weights, grads, st.adamT + 1, lr);
      AdamW.zeroGradients(weights);
      return new Out(loss, norm, fields(stats));
    }
  }

  private java.util.Map<String, Object> fields(DpoLoss.Stats stats) {
    return dpo == null ? java.util.Map.of() : stats.fields();
  }

  /** Mean validation loss per label token (DPO: per pair) over {@code eval_batches} fixed batches; NaN without validation data. */
  double evaluate(ModelState state) {
    if (!data.hasEval()) return Double.NaN;
    double sum = 0;
    double count = 0;
    try (NDManager m = base.newSubManager()) {
      StepStore ps = new StepStore(m, compute, state.adapters());
      for (int i = 0; i < spec.evalBatches; i++) {
        Batches.Batch b = data.evalBatch(i, spec.batchSize);
        if (b == null) break;
        if (dpo != null) { // the mean DPO loss per pair
          int pairs = b.tokens().length / 2;
          sum += dpo.loss(m, ps, state, b, false, x -> x).loss().getFloat() * pairs;
          count += pairs;
          continue;
        }
        NextTokenLoss.Tokens t = lossFn.tokens(m, b);
        NDArray logits = state.model().forward(ps, new NDList(t.inputs()), false).head();
        NextTokenLoss.Mean l = lossFn.mean(m, logits, t, b.lossMask());
        sum += l.loss().getFloat() * l.labelTokens();
        count += l.labelTokens();
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }
}
