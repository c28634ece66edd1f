package dev.sieve.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
 * {@link ModelState} (model + optimizer arrays), {@link TrainData} (batches), {@link TrainStep}
 * (one step's forward, backward and update, with gradient accumulation and loss scaling), {@link
 * ComputeSetup} (device and compute type) and {@link FaultInjection} (the spec's {@code debug} test
 * seam). The loop here adds periodic validation, checkpoints, automatic resume and rollback. Runs
 * in its own process ({@link TrainMain}); never inside Spark.
 *
 * <p>Determinism: data batch {@code b} is always the same samples (the packer is seeded), the
 * engine's RNG is re-seeded from {@code (seed, step, micro-batch)} before every forward pass, and
 * PyTorch runs single-threaded on CPU ({@link ComputeSetup#configureEngine}): a run resumed from a checkpoint
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
  private final TrainStep step;
  private ModelState state;
  private TrainState st;
  private TrainEvents events;

  /** {@link ComputeSetup#configureEngine}. */
  public static void configureEngine() {
    ComputeSetup.configureEngine();
  }

  /** {@link ComputeSetup#pickDevice}. */
  public static Device pickDevice(String wanted) {
    return ComputeSetup.pickDevice(wanted);
  }

  public Trainer(JobSpec spec, Path runDir) {
    configureEngine();
    this.spec = spec;
    this.runDir = runDir;
    this.device = pickDevice(spec.device);
    compute = ComputeSetup.computeType(spec.precision, device.isGpu() || spec.debug.halfOnCpu, spec.model.style());
    ComputeSetup.warnFallback(spec, device, compute);
    this.totalSteps = spec.totalSteps();
    this.schedule = LrSchedule.of(spec.optimizer, totalSteps);
    this.guard = new SpikeGuard(spec.spike);
    this.faults = new FaultInjection(spec.debug);
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.base = NDManager.newBaseManager(device);
    this.data = new TrainData(spec, totalSteps);
    this.step = new TrainStep(spec, compute, base, data, guard, faults);
  }

  public Device device() {
    return device;
  }

  /** {@link ComputeSetup#computeType}. */
  static DataType computeType(String precision, boolean gpu, GptModel.Style style) {
    return ComputeSetup.computeType(precision, gpu, style);
  }

  /** The precision this run computes in: fp32, bf16 or fp16. */
  public String precision() {
    return ComputeSetup.name(compute);
  }

  public GptModel model() {
    return state == null ? null : state.model();
  }

  // ---------------------------------------------------------------- state

  /**
   * A fresh model and optimizer (the previous ones freed), initialised from the seed; a PEFT run's
   * model gets the base checkpoint recorded in {@code st} (checked against its hash).
   */
  private void buildModel() {
    if (state != null) state.close();
    Path peftBase = null;
    if (spec.peft != null) {
      peftBase = peftBase(runDir, st);
      String hash = Adapters.sha256(peftBase.resolve(ModelState.Slot.WEIGHTS.file));
      if (!hash.equals(st.peftBaseSha256)) {
        throw new IllegalStateException("base checkpoint " + peftBase + " changed since the run started (sha256 " + hash + ", recorded " + st.peftBaseSha256 + ")");
      }
    }
    state = new ModelState(spec, data.vocab(), base, (int) mix(spec.seed, -1), peftBase);
    if (step.dpo() != null) step.dpo().reference(state, spec, peftBase == null ? peftBase(runDir, st) : peftBase);
  }

  /** The base checkpoint folder of a PEFT run's state ({@code initFrom}, as recorded: lake-relative or absolute). */
  static Path peftBase(Path runDir, TrainState st) {
    if (st.initFrom == null) throw new IllegalStateException("a PEFT checkpoint without its base (state.json has no init_from)");
    Path lake = JobSpec.lakeOf(runDir);
    return Path.of(lake == null ? st.initFrom : SpecPaths.resolve(lake, st.initFrom));
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
    st = Checkpoints.readState(ck);
    buildModel();
    for (ModelState.Slot s : ModelState.Slot.values()) state.load(ck, s);
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
      st = new TrainState();
      st.seed = spec.seed;
      Path ck = spec.initFrom == null ? null : resolveCheckpoint(spec.initFrom);
      if (ck != null) {
        st.initFrom = JobSpec.recordedPath(runDir, ck);
        if (spec.peft != null) st.peftBaseSha256 = Adapters.sha256(ck.resolve(ModelState.Slot.WEIGHTS.file));
      }
      buildModel();
      if (ck != null && spec.peft == null) state.load(ck, ModelState.Slot.WEIGHTS);
      long all = state.model().parameterCount();
      if (spec.peft != null) {
        long n = state.trainableParameters();
        System.out.printf(java.util.Locale.ROOT, "peft %s: %d trainable parameters of %d (%.3f%%)%n", spec.peft.method, n, all, 100.0 * n / all);
        events.start(st.step, all, data.vocab(), totalSteps, spec.tokensPerStep(), st.initFrom, precision(), spec.peft.method, n);
      } else {
        events.start(st.step, all, data.vocab(), totalSteps, spec.tokensPerStep(), st.initFrom, precision());
      }
      if (data.preferences() != null) events.preferences(data.preferences(), data.heldOutPreferences());
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
      TrainStep.Out out = step.run(state, st, batch, lr);
      if (guard.isSpike(out.loss(), st.recentLosses)) {
        rollback(batch, out.loss());
        continue;
      }
      st.step++;
      st.adamT++;
      st.nextBatch = batch + 1;
      st.sampleIndex = st.nextBatch * spec.batchSize * spec.gradAccumulation;
      st.tokens += spec.tokensPerStep();
      guard.record(st.recentLosses, out.loss());
      double secs = (System.nanoTime() - t0) / 1e9;
      lastLoss = out.loss();
      double val = Double.NaN;
      if (spec.evalInterval > 0 && (st.step % spec.evalInterval == 0 || st.step == totalSteps)) {
        lastVal = evaluate();
        val = lastVal;
      }
      events.step(st.step, out.loss(), lr, out.gradNorm(), spec.tokensPerStep() / Math.max(secs, 1e-9), st.tokens, batch, val, out.fields());
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

  /** Mean validation loss per label token over {@code eval_batches} fixed batches; NaN without validation data. */
  public double evaluate() {
    return step.evaluate(state);
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
