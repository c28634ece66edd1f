package dev.sieve.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The training program: trains a {@link GptModel} and orchestrates the parts that each do one
 * job: {@link AdamW} (the optimizer, with global-norm clipping), {@link LrSchedule} (warm-up then
 * cosine), {@link SpikeGuard} (the loss-spike decisions, {@link JobSpec.Spike}), {@link
 * TrainEvents} (the {@code metrics.jsonl} lines), {@link Checkpoints} (atomic checkpoints), with
 * {@link ModelState} (model + optimizer arrays), {@link TrainData} (batches) and {@link
 * FaultInjection} (the spec's {@code debug} test seam). The
 * loop here adds gradient accumulation, periodic validation, automatic resume and rollback. Runs
 * in its own process ({@link TrainMain}); never inside Spark.
 *
 * <p>Determinism: data batch {@code b} is always the same samples (the packer is seeded), the
 * engine's RNG is re-seeded from {@code (seed, step, micro-batch)} before every forward pass, and
 * PyTorch runs single-threaded on CPU ({@link #configureEngine}): a run resumed from a checkpoint
 * computes bitwise the losses of an uninterrupted run.
 */
public final class Trainer implements AutoCloseable {
  /** What {@link #run} ended with. */
  public record Result(long steps, double lastLoss, double lastValLoss, int rollbacks, long tokens, Path runDir) {}

  /** The run gave up (too many rollbacks). */
  public static final class TrainingFailed extends RuntimeException {
    public TrainingFailed(String message) {
      super(message);
    }
  }

  private final JobSpec spec;
  private final Path runDir;
  private final Device device;
  private final DataType compute;
  private final long totalSteps;
  private final NDManager base;
  private final TrainData data;
  private final LrSchedule schedule;
  private final SpikeGuard guard;
  private final FaultInjection faults;
  private final NextTokenLoss lossFn;
  private ModelState state;
  private TrainState st;
  private TrainEvents events;

  /** Sets PyTorch to one intra-op and one inter-op thread unless already set (call before the engine loads). */
  public static void configureEngine() {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) System.setProperty("ai.djl.pytorch.num_threads", "1");
    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
  }

  /** GPU 0 when the engine sees one and the spec allows it; else the CPU. */
  public static Device pickDevice(String wanted) {
    int gpus = Engine.getInstance().getGpuCount();
    switch (wanted) {
      case "cpu":
        return Device.cpu();
      case "gpu":
        if (gpus == 0) throw new IllegalStateException("device: gpu, but the PyTorch engine sees no GPU");
        return Device.gpu(0);
      default:
        return gpus > 0 ? Device.gpu(0) : Device.cpu();
    }
  }

  public Trainer(JobSpec spec, Path runDir) {
    configureEngine();
    this.spec = spec;
    this.runDir = runDir;
    this.device = pickDevice(spec.device);
    compute = computeType(spec.precision, device.isGpu() || spec.debug.halfOnCpu, spec.model.style());
    if (spec.precision.equals("fp16") && spec.model.style() == GptModel.Style.GPT2) {
      System.err.println("precision fp16: " + GPT2_FP32_ONLY + "; falling back to fp32 (model.block: llama trains in fp16)");
    } else if (spec.precision.equals("bf16")) {
      System.err.println("precision bf16: " + BF16_UNSUPPORTED + "; falling back to fp32 (precision: fp16 gives half precision on a GPU)");
    } else if (!spec.precision.equals("fp32") && compute == DataType.FLOAT32) {
      System.err.println("precision " + spec.precision + ": no GPU (the run is on " + device + "); falling back to fp32 "
          + "(this trainer computes in fp16 on a GPU only)");
    }
    this.totalSteps = spec.totalSteps();
    this.schedule = LrSchedule.of(spec.optimizer, totalSteps);
    this.guard = new SpikeGuard(spec.spike);
    this.faults = new FaultInjection(spec.debug);
    this.lossFn = new NextTokenLoss(spec.seqLength());
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.base = NDManager.newBaseManager(device);
    this.data = new TrainData(spec, totalSteps);
  }

  public Device device() {
    return device;
  }

  /** Why {@code precision: bf16} computes in fp32 here. */
  static final String BF16_UNSUPPORTED = "DJL 0.36's PyTorch binding has no bfloat16 dtype (its JNI maps DJL types to PyTorch's without "
      + "bfloat16, and a cast to it aborts the JVM: 'terminate called without an active exception')";

  /**
   * The type the forward and backward passes compute in: {@code fp16} for a {@code llama} model on
   * a GPU (the fp32 weights stay the master copy, {@link StepStore} gives each step fp16 copies,
   * and {@link LossScaler dynamic loss scaling} keeps small gradients), fp32 otherwise. A CPU run
   * of an fp16 spec falls back to fp32, and so does a {@code gpt2} model ({@link #GPT2_FP32_ONLY});
   * {@code bf16} falls back to fp32 everywhere ({@link #BF16_UNSUPPORTED}). Each fallback says so on
   * stderr, and the start event's {@code precision} is what the run computes in.
   */
  static DataType computeType(String precision, boolean gpu, GptModel.Style style) {
    if (!gpu || style == GptModel.Style.GPT2) return DataType.FLOAT32;
    return precision.equals("fp16") ? DataType.FLOAT16 : DataType.FLOAT32;
  }

  /** Why {@code precision: fp16} computes in fp32 for {@code model.block: gpt2}. */
  static final String GPT2_FP32_ONLY = "the gpt2 block's attention (DJL's ScaledDotProductAttentionBlock) casts its mask to fp32 "
      + "and so mixes fp32 into fp16 matmuls";

  /** The precision this run computes in: fp32, bf16 or fp16. */
  public String precision() {
    return compute == DataType.BFLOAT16 ? "bf16" : compute == DataType.FLOAT16 ? "fp16" : "fp32";
  }

  public GptModel model() {
    return state == null ? null : state.model();
  }

  // ---------------------------------------------------------------- state

  /** A fresh model and optimizer (the previous ones freed), initialised from the seed. */
  private void buildModel() {
    if (state != null) state.close();
    state = new ModelState(spec, data.vocab(), base, (int) mix(spec.seed, -1));
  }

  private Path checkpoint() {
    st.metricsLines = events.lines() + 1; // this checkpoint's own event line
    Path p = Checkpoints.save(runDir, st, state.tensors(ModelState.Slot.WEIGHTS), state.tensors(ModelState.Slot.FIRST_MOMENT),
        state.tensors(ModelState.Slot.SECOND_MOMENT));
    events.checkpoint(st.step, runDir.relativize(p).toString());
    return p;
  }

  /** Rebuilds the model and optimizer from a checkpoint (resume and rollback). */
  private void restore(Path ck) {
    buildModel();
    for (ModelState.Slot s : ModelState.Slot.values()) state.load(ck, s);
    st = Checkpoints.readState(ck);
  }

  /** A checkpoint folder, or a run folder (its newest checkpoint). */
  static Path resolveCheckpoint(String initFrom) {
    Path p = Path.of(initFrom);
    if (Files.isRegularFile(p.resolve("params.bin"))) return p;
    return Checkpoints.latest(p).orElseThrow(() -> new IllegalArgumentException("init_from " + initFrom + ": no checkpoint there"));
  }

  // ---------------------------------------------------------------- the loop

  public Result run() {
    Checkpoints.removeIncomplete(runDir);
    Optional<Path> latest = Checkpoints.latest(runDir);
    double lastLoss = Double.NaN;
    double lastVal = Double.NaN;
    Path metricsFile = runDir.resolve("metrics.jsonl");
    if (latest.isPresent()) {
      restore(latest.get());
      events = new TrainEvents(new MetricsLog(metricsFile, st.metricsLines), device.toString());
      events.resume(st.step, runDir.relativize(latest.get()).toString());
    } else {
      events = new TrainEvents(new MetricsLog(metricsFile, 0), device.toString());
      buildModel();
      st = new TrainState();
      st.seed = spec.seed;
      if (spec.initFrom != null) {
        Path ck = resolveCheckpoint(spec.initFrom);
        state.load(ck, ModelState.Slot.WEIGHTS);
        st.initFrom = JobSpec.recordedPath(runDir, ck);
      }
      events.start(st.step, state.model().parameterCount(), data.vocab(), totalSteps, spec.tokensPerStep(), st.initFrom, precision());
      if (spec.evalInterval > 0) {
        lastVal = evaluate();
        if (!Double.isNaN(lastVal)) events.initialValidation(0L, lastVal);
      }
      checkpoint();
    }
    while (st.step < totalSteps) {
      long batch = SpikeGuard.nextBatch(st.nextBatch, st.skips);
      long t0 = System.nanoTime();
      double lr = schedule.at(st.step + 1) * st.lrScale;
      StepOut out = forwardBackward(batch, lr);
      if (guard.isSpike(out.loss, st.recentLosses)) {
        rollback(batch, out.loss);
        continue;
      }
      st.step++;
      st.adamT++;
      st.nextBatch = batch + 1;
      st.sampleIndex = st.nextBatch * spec.batchSize * spec.gradAccumulation;
      st.tokens += spec.tokensPerStep();
      guard.record(st.recentLosses, out.loss);
      double secs = (System.nanoTime() - t0) / 1e9;
      lastLoss = out.loss;
      double val = Double.NaN;
      if (spec.evalInterval > 0 && (st.step % spec.evalInterval == 0 || st.step == totalSteps)) {
        lastVal = evaluate();
        val = lastVal;
      }
      events.step(st.step, out.loss, lr, out.gradNorm, spec.tokensPerStep() / Math.max(secs, 1e-9), st.tokens, batch, val);
      if (st.step % spec.checkpointInterval == 0 || st.step == totalSteps) checkpoint();
      faults.afterStep();
    }
    events.done(st.step, st.tokens);
    return new Result(st.step, lastLoss, lastVal, st.rollbacks, st.tokens, runDir);
  }

  /** A spike at data batch {@code batch}: roll back to the newest checkpoint and skip, or give up. */
  private void rollback(long batch, double loss) {
    long spikeStep = st.step + 1;
    double windowMean = SpikeGuard.mean(st.recentLosses);
    SpikeGuard.Decision d = guard.decide(batch, st.rollbacks, st.lrScale);
    if (d instanceof SpikeGuard.GiveUp g) {
      events.giveUp(spikeStep, loss, windowMean, g.rollbacks());
      throw new TrainingFailed("loss spike at step " + spikeStep + " (loss " + loss + ", mean " + windowMean + ") after "
          + g.rollbacks() + " rollbacks (spike.max_rollbacks " + g.maxRollbacks() + ")");
    }
    SpikeGuard.Rollback r = (SpikeGuard.Rollback) d;
    List<long[]> skips = SpikeGuard.withSkip(st.skips, r.skipFrom(), r.skipTo());
    Path ck = Checkpoints.latest(runDir).orElseThrow(() -> new IllegalStateException("no checkpoint to roll back to"));
    events.rollback(spikeStep, loss, windowMean, runDir.relativize(ck).toString(), r);
    restore(ck);
    st.rollbacks = r.rollbacks();
    st.skips = skips;
    st.lrScale = r.lrScale();
  }

  /** Warm-up then cosine decay: {@link LrSchedule#at} for the spec's optimizer section. */
  public static double learningRate(JobSpec.Optimizer o, long step, long totalSteps) {
    return LrSchedule.of(o, totalSteps).at(step);
  }

  // ---------------------------------------------------------------- math

  private record StepOut(double loss, double gradNorm) {}

  /** One optimizer step's forward and backward passes over its micro-batches, then the update unless the loss spiked. */
  private StepOut forwardBackward(long batch, double lr) {
    try (NDManager m = base.newSubManager()) {
      StepStore ps = new StepStore(m, compute);
      List<NDArray> weights = state.weights();
      AdamW optimizer = state.optimizer();
      for (NDArray w : weights) ps.attach(w);
      for (int i = 0; i < weights.size(); i++) {
        ps.attach(optimizer.moments(AdamW.Moment.FIRST).get(i));
        ps.attach(optimizer.moments(AdamW.Moment.SECOND).get(i));
      }
      double loss = 0;
      int a = spec.gradAccumulation;
      boolean fp16 = compute == DataType.FLOAT16;
      float lossScale = fp16 ? (float) st.lossScale : 1f;
      for (int micro = 0; micro < a; micro++) {
        long microIndex = batch * a + micro;
        Batches.Batch b = data.train().batch(microIndex, spec.batchSize);
        Engine.getInstance().setRandomSeed((int) mix(spec.seed, microIndex));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NextTokenLoss.Tokens t = lossFn.tokens(m, b);
          NDArray logits = faults.trainingLogits(batch, state.model().forward(ps, new NDList(t.inputs()), true).head());
          NDArray l = lossFn.mean(m, logits, t, b.lossMask()).loss();
          loss += l.getFloat() / a;
          gc.backward(a == 1 && !fp16 ? l : l.mul(lossScale / a));
        }
      }
      if (guard.isSpike(loss, st.recentLosses)) {
        AdamW.zeroGradients(weights);
        return new StepOut(loss, Double.NaN);
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
          return new StepOut(loss, Double.NaN);
        }
      }
      double norm = optimizer.step(weights, grads, st.adamT + 1, lr);
      AdamW.zeroGradients(weights);
      return new StepOut(loss, norm);
    }
  }

  /** Mean validation loss per label token over {@code eval_batches} fixed batches; NaN without validation data. */
  public double evaluate() {
    if (!data.hasEval()) return Double.NaN;
    double sum = 0;
    double count = 0;
    try (NDManager m = base.newSubManager()) {
      StepStore ps = new StepStore(m, compute);
      for (int i = 0; i < spec.evalBatches; i++) {
        Batches.Batch b = data.evalBatch(i, spec.batchSize);
        if (b == null) break;
        NextTokenLoss.Tokens t = lossFn.tokens(m, b);
        NDArray logits = state.model().forward(ps, new NDList(t.inputs()), false).head();
        NextTokenLoss.Mean l = lossFn.mean(m, logits, t, b.lossMask());
        sum += l.loss().getFloat() * l.labelTokens();
        count += l.labelTokens();
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  static long mix(long seed, long stream) {
    long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) & 0x7FFFFFFFL;
  }

  @Override
  public void close() {
    if (events != null) events.close();
    if (state != null) state.close();
    base.close();
    data.close();
  }
}
