package dev.sieve.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.Tokenizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The training program: a {@link GptModel} trained with AdamW (written here over the parameter
 * arrays, so that its moments can be checkpointed), linear warm-up then cosine decay, global-norm
 * gradient clipping, gradient accumulation, periodic validation, atomic checkpoints, automatic
 * resume and the loss-spike guard ({@link JobSpec.Spike}). Runs in its own process ({@link
 * TrainMain}); never inside Spark.
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
  private final int vocab;
  private final int seq;
  private final long totalSteps;
  private final NDManager base;
  private final Batches train;
  private final Batches validation; // null = no eval
  private final SftBatches sftEval;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private NDManager modelManager;
  private GptModel model;
  private List<Pair<String, Parameter>> params;
  private NDArray[] adamM;
  private NDArray[] adamV;
  private TrainState st;
  private MetricsLog metrics;

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
    if (device.isGpu()) {
      compute = spec.precision.equals("bf16") ? DataType.BFLOAT16 : spec.precision.equals("fp16") ? DataType.FLOAT16 : DataType.FLOAT32;
    } else {
      if (!spec.precision.equals("fp32")) throw new IllegalStateException("precision " + spec.precision + " needs a GPU; this run is on the CPU (use fp32)");
      compute = DataType.FLOAT32;
    }
    this.seq = spec.seqLength();
    this.totalSteps = spec.totalSteps();
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.base = NDManager.newBaseManager(device);
    int rowsPerStep = spec.batchSize * spec.gradAccumulation;
    TokenizerAdapter tokenizer = null;
    if (spec.sft != null || spec.model.vocabSize == 0) {
      tokenizer = Tokenizers.open(spec.tokenizer);
      closeables.add(tokenizer);
    }
    if (spec.sft != null) {
      SftBatches s = new SftBatches(Path.of(spec.sft.path), spec.sft.promptField, spec.sft.responseField, tokenizer, seq, spec.seed);
      train = s;
      sftEval = spec.data.validation.isEmpty() ? s : null;
    } else {
      ShardSet shards = ShardSet.open(spec.data.shards);
      closeables.add(shards);
      long needed = (totalSteps + (long) spec.spike.maxRollbacks * spec.spike.skipBatches + 1) * rowsPerStep;
      train = new PackedBatches(shards, seq, needed, spec.seed);
      sftEval = null;
    }
    if (!spec.data.validation.isEmpty()) {
      ShardSet val = ShardSet.open(spec.data.validation);
      closeables.add(val);
      validation = PackedBatches.oneEpoch(val, seq, spec.seed);
    } else {
      validation = null;
    }
    this.vocab = spec.model.vocabSize > 0 ? spec.model.vocabSize : tokenizer.vocabSize();
  }

  public Device device() {
    return device;
  }

  public GptModel model() {
    return model;
  }

  // ---------------------------------------------------------------- state

  private void buildModel() {
    if (modelManager != null) modelManager.close();
    modelManager = base.newSubManager();
    model = GptModel.of(spec.model, vocab);
    Engine.getInstance().setRandomSeed((int) mix(spec.seed, -1));
    model.init(modelManager);
    params = new ArrayList<>();
    for (Pair<String, Parameter> p : model.getParameters()) params.add(p);
    adamM = new NDArray[params.size()];
    adamV = new NDArray[params.size()];
    for (int i = 0; i < params.size(); i++) {
      Shape s = params.get(i).getValue().getArray().getShape();
      adamM[i] = modelManager.zeros(s);
      adamV[i] = modelManager.zeros(s);
    }
  }

  private List<Checkpoints.Tensor> tensors(NDArray[] arrays) {
    List<Checkpoints.Tensor> out = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      NDArray a = arrays == null ? params.get(i).getValue().getArray() : arrays[i];
      out.add(new Checkpoints.Tensor(params.get(i).getKey(), a.getShape().getShape(), a.toFloatArray()));
    }
    return out;
  }

  private void loadInto(Map<String, Checkpoints.Tensor> saved, int which, Path from) {
    for (int i = 0; i < params.size(); i++) {
      String name = params.get(i).getKey();
      Checkpoints.Tensor t = saved.get(name);
      NDArray target = which == 0 ? params.get(i).getValue().getArray() : which == 1 ? adamM[i] : adamV[i];
      if (t == null || !new Shape(t.shape()).equals(target.getShape())) {
        throw new IllegalStateException(from + ": parameter " + name + " missing or of another shape (model spec differs?)");
      }
      target.set(t.values());
    }
  }

  private Path checkpoint() {
    st.metricsLines = metrics.lines() + 1; // this checkpoint's own event line
    Path p = Checkpoints.save(runDir, st, tensors(null), tensors(adamM), tensors(adamV));
    metrics.write(event("checkpoint", Map.of("path", runDir.relativize(p).toString())));
    return p;
  }

  /** Rebuilds the model and optimizer from a checkpoint (resume and rollback). */
  private void restore(Path ck) {
    buildModel();
    loadInto(Checkpoints.readTensors(ck.resolve("params.bin")), 0, ck);
    loadInto(Checkpoints.readTensors(ck.resolve("adam_m.bin")), 1, ck);
    loadInto(Checkpoints.readTensors(ck.resolve("adam_v.bin")), 2, ck);
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
    if (latest.isPresent()) {
      restore(latest.get());
      metrics = new MetricsLog(runDir.resolve("metrics.jsonl"), st.metricsLines);
      metrics.write(event("resume", Map.of("checkpoint", runDir.relativize(latest.get()).toString())));
    } else {
      metrics = new MetricsLog(runDir.resolve("metrics.jsonl"), 0);
      buildModel();
      st = new TrainState();
      st.seed = spec.seed;
      if (spec.initFrom != null) {
        Path ck = resolveCheckpoint(spec.initFrom);
        loadInto(Checkpoints.readTensors(ck.resolve("params.bin")), 0, ck);
        st.initFrom = JobSpec.recordedPath(runDir, ck);
      }
      Map<String, Object> start = new LinkedHashMap<>();
      start.put("parameters", model.parameterCount());
      start.put("vocab_size", vocab);
      start.put("total_steps", totalSteps);
      start.put("tokens_per_step", spec.tokensPerStep());
      if (st.initFrom != null) start.put("init_from", st.initFrom);
      metrics.write(event("start", start));
      if (spec.evalInterval > 0) {
        lastVal = evaluate();
        if (!Double.isNaN(lastVal)) {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("step", 0L);
          line.put("val_loss", lastVal);
          line.put("device", device.toString());
          metrics.write(line);
        }
      }
      checkpoint();
    }
    while (st.step < totalSteps) {
      long batch = nextBatch(st.nextBatch);
      long t0 = System.nanoTime();
      double lr = learningRate(st.step + 1) * st.lrScale;
      StepOut out = forwardBackward(batch, lr);
      if (spiked(out.loss)) {
        rollback(batch, out.loss);
        continue;
      }
      st.step++;
      st.adamT++;
      st.nextBatch = batch + 1;
      st.sampleIndex = st.nextBatch * spec.batchSize * spec.gradAccumulation;
      st.tokens += spec.tokensPerStep();
      st.recentLosses.add(out.loss);
      while (st.recentLosses.size() > spec.spike.window) st.recentLosses.remove(0);
      double secs = (System.nanoTime() - t0) / 1e9;
      lastLoss = out.loss;
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("step", st.step);
      line.put("loss", out.loss);
      line.put("lr", lr);
      line.put("grad_norm", out.gradNorm);
      line.put("tokens_per_s", spec.tokensPerStep() / Math.max(secs, 1e-9));
      line.put("tokens", st.tokens);
      line.put("batch", batch);
      line.put("device", device.toString());
      if (spec.evalInterval > 0 && (st.step % spec.evalInterval == 0 || st.step == totalSteps)) {
        lastVal = evaluate();
        if (!Double.isNaN(lastVal)) line.put("val_loss", lastVal);
      }
      metrics.write(line);
      if (st.step % spec.checkpointInterval == 0 || st.step == totalSteps) checkpoint();
      if (spec.debug.stepSleepMs > 0) {
        try {
          Thread.sleep(spec.debug.stepSleepMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }
    metrics.write(event("done", Map.of("tokens", st.tokens)));
    return new Result(st.step, lastLoss, lastVal, st.rollbacks, st.tokens, runDir);
  }

  private long nextBatch(long b) {
    boolean moved = true;
    while (moved) {
      moved = false;
      for (long[] r : st.skips) {
        if (b >= r[0] && b < r[1]) {
          b = r[1];
          moved = true;
        }
      }
    }
    return b;
  }

  private boolean spiked(double loss) {
    if (!spec.spike.enabled) return false;
    if (!Double.isFinite(loss)) return true;
    if (st.recentLosses.size() < spec.spike.window) return false;
    return loss > spec.spike.factor * mean(st.recentLosses);
  }

  private static double mean(List<Double> xs) {
    double s = 0;
    for (double x : xs) s += x;
    return xs.isEmpty() ? Double.NaN : s / xs.size();
  }

  private void rollback(long batch, double loss) {
    long spikeStep = st.step + 1;
    double windowMean = mean(st.recentLosses);
    int rollbacks = st.rollbacks + 1;
    if (rollbacks > spec.spike.maxRollbacks) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("step", spikeStep);
      e.put("loss", loss);
      e.put("mean", windowMean);
      e.put("rollbacks", st.rollbacks);
      metrics.write(event("give_up", e));
      throw new TrainingFailed("loss spike at step " + spikeStep + " (loss " + loss + ", mean " + windowMean + ") after "
          + st.rollbacks + " rollbacks (spike.max_rollbacks " + spec.spike.maxRollbacks + ")");
    }
    List<long[]> skips = new ArrayList<>(st.skips);
    skips.add(new long[] {batch, batch + spec.spike.skipBatches});
    double lrScale = st.lrScale * spec.spike.lrScale;
    Path ck = Checkpoints.latest(runDir).orElseThrow(() -> new IllegalStateException("no checkpoint to roll back to"));
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("step", spikeStep);
    e.put("loss", Double.isFinite(loss) ? loss : String.valueOf(loss));
    e.put("mean", windowMean);
    e.put("checkpoint", runDir.relativize(ck).toString());
    e.put("batch", batch);
    e.put("skip_from", batch);
    e.put("skip_to", batch + spec.spike.skipBatches);
    e.put("lr_scale", lrScale);
    e.put("rollbacks", rollbacks);
    metrics.write(event("rollback", e));
    restore(ck);
    st.rollbacks = rollbacks;
    st.skips = skips;
    st.lrScale = lrScale;
  }

  private Map<String, Object> event(String name, Map<String, ?> fields) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", name);
    if (!fields.containsKey("step")) m.put("step", st == null ? 0L : st.step);
    m.putAll(fields);
    m.put("device", device.toString());
    return m;
  }

  /** Warm-up (linear to the peak over {@code warmup_steps}), then cosine decay to {@code min_lr} at the last step. */
  public static double learningRate(JobSpec.Optimizer o, long step, long totalSteps) {
    if (o.warmupSteps > 0 && step <= o.warmupSteps) return o.peakLr * step / o.warmupSteps;
    long decay = Math.max(1, totalSteps - o.warmupSteps);
    double progress = Math.min(1.0, (double) (step - o.warmupSteps) / decay);
    return o.minLr + 0.5 * (o.peakLr - o.minLr) * (1 + Math.cos(Math.PI * progress));
  }

  private double learningRate(long step) {
    return learningRate(spec.optimizer, step, totalSteps);
  }

  // ---------------------------------------------------------------- math

  private record StepOut(double loss, double gradNorm) {}

  /**
   * Parameter values for one step: the arrays are attached to the step's manager for its
   * duration (so that everything computed from them is freed with it) and cast to the compute
   * type (bf16/fp16 on GPU: the fp32 arrays stay the master weights, the cast is differentiable).
   */
  private static final class StepStore extends ParameterStore {
    private final NDManager step;
    private final DataType compute;
    private final Set<NDArray> attached = Collections.newSetFromMap(new IdentityHashMap<>());

    StepStore(NDManager step, DataType compute) {
      super(step, false);
      this.step = step;
      this.compute = compute;
    }

    void attach(NDArray a) {
      if (attached.add(a)) a.tempAttach(step);
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
      if (parameter == null) return null; // e.g. the bias of a Linear built without one
      NDArray a = parameter.getArray();
      attach(a);
      return compute == DataType.FLOAT32 ? a : a.toType(compute, false);
    }
  }

  private NDArray lossOf(StepStore ps, NDManager m, Batches.Batch b, boolean training, long batchIndex, double[] labelCount) {
    int rows = b.tokens().length;
    long[] in = new long[rows * seq];
    long[] lab = new long[rows * seq];
    for (int r = 0; r < rows; r++) {
      int[] t = b.tokens()[r];
      for (int i = 0; i < seq; i++) {
        in[r * seq + i] = t[i];
        lab[r * seq + i] = t[i + 1];
      }
    }
    NDArray inputs = m.create(in, new Shape(rows, seq));
    NDArray labels = m.create(lab, new Shape(rows, seq, 1));
    NDArray logits = model.forward(ps, new NDList(inputs), training).head();
    if (training && batchIndex == spec.debug.corruptBatchAt) logits = logits.mul(1000f);
    if (logits.getDataType() != DataType.FLOAT32) logits = logits.toType(DataType.FLOAT32, false);
    NDArray nll = logits.logSoftmax(2).gather(labels, 2).reshape(rows, seq).neg();
    NDArray sum;
    double count = 0;
    if (b.lossMask() != null) {
      float[] mk = new float[rows * seq];
      for (int r = 0; r < rows; r++) System.arraycopy(b.lossMask()[r], 0, mk, r * seq, seq);
      for (float f : mk) count += f;
      sum = nll.mul(m.create(mk, new Shape(rows, seq))).sum();
    } else {
      count = (double) rows * seq;
      sum = nll.sum();
    }
    labelCount[0] = count;
    return sum.div((float) Math.max(count, 1.0));
  }

  private StepOut forwardBackward(long batch, double lr) {
    JobSpec.Optimizer o = spec.optimizer;
    try (NDManager m = base.newSubManager()) {
      StepStore ps = new StepStore(m, compute);
      for (Pair<String, Parameter> p : params) ps.attach(p.getValue().getArray());
      for (int i = 0; i < params.size(); i++) {
        ps.attach(adamM[i]);
        ps.attach(adamV[i]);
      }
      double loss = 0;
      int a = spec.gradAccumulation;
      for (int micro = 0; micro < a; micro++) {
        long microIndex = batch * a + micro;
        Batches.Batch b = train.batch(microIndex, spec.batchSize);
        Engine.getInstance().setRandomSeed((int) mix(spec.seed, microIndex));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray l = lossOf(ps, m, b, true, batch, new double[1]);
          loss += l.getFloat() / a;
          gc.backward(a == 1 ? l : l.div((float) a));
        }
      }
      if (spiked(loss)) {
        zeroGrads();
        return new StepOut(loss, Double.NaN);
      }
      NDArray sq = null;
      for (Pair<String, Parameter> p : params) {
        NDArray g = p.getValue().getArray().getGradient();
        NDArray s = g.square().sum();
        sq = sq == null ? s : sq.add(s);
      }
      double norm = Math.sqrt(sq.getFloat());
      double scale = o.gradClip > 0 && norm > o.gradClip ? o.gradClip / (norm + 1e-6) : 1.0;
      long t = st.adamT + 1;
      float bc1 = (float) (1 - Math.pow(o.beta1, t));
      float bc2 = (float) (1 - Math.pow(o.beta2, t));
      for (int i = 0; i < params.size(); i++) {
        NDArray w = params.get(i).getValue().getArray();
        NDArray g = w.getGradient();
        if (scale != 1.0) g = g.mul((float) scale);
        adamM[i].muli((float) o.beta1).addi(g.mul((float) (1 - o.beta1)));
        adamV[i].muli((float) o.beta2).addi(g.square().mul((float) (1 - o.beta2)));
        NDArray denom = adamV[i].div(bc2).sqrt().add((float) o.eps);
        if (o.weightDecay > 0 && w.getShape().dimension() >= 2) w.muli((float) (1 - lr * o.weightDecay));
        w.subi(adamM[i].div(bc1).div(denom).mul((float) lr));
      }
      zeroGrads();
      return new StepOut(loss, norm);
    }
  }

  private void zeroGrads() {
    for (Pair<String, Parameter> p : params) {
      NDArray w = p.getValue().getArray();
      if (w.hasGradient()) {
        NDArray g = w.getGradient();
        g.subi(g);
      }
    }
  }

  /** Mean validation loss per label token over {@code eval_batches} fixed batches; NaN without validation data. */
  public double evaluate() {
    if (validation == null && sftEval == null) return Double.NaN;
    double sum = 0;
    double count = 0;
    try (NDManager m = base.newSubManager()) {
      StepStore ps = new StepStore(m, compute);
      for (int i = 0; i < spec.evalBatches; i++) {
        Batches.Batch b;
        if (sftEval != null) {
          b = sftEval.inOrder(i, spec.batchSize);
        } else {
          long n = validation.samples();
          int rows = (int) Math.min(spec.batchSize, n);
          if (rows == 0 || (long) (i + 1) * rows > n) break;
          b = validation.batch(i, rows);
        }
        double[] sc = new double[1];
        NDArray l = lossOf(ps, m, b, false, -1, sc);
        sum += l.getFloat() * sc[0];
        count += sc[0];
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
    if (metrics != null) metrics.close();
    if (modelManager != null) modelManager.close();
    base.close();
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
  }
}
