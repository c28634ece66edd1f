package dev.sieve.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A trained model read back from a run folder for evaluation and sampling: the run's
 * {@code spec.yaml} (its paths resolved against the run's lake, so the block style, shape and
 * data are the run's), the weights of a checkpoint (the newest unless one is named) and the
 * dataset's tokenizer. Inference only: no optimizer state, no gradients, fp32 on the CPU or the
 * device the spec's {@code device} picks. A PEFT run's checkpoint (adapters only) is merged into
 * its base checkpoint's weights on load ({@link Adapters#merge}), so the model computes the base +
 * adapter function with plain weights; {@link #exportMerged} writes those weights out. A
 * prompt-tuning run's checkpoint (its virtual tokens) has nothing to merge: the base weights are
 * loaded and every forward pass prepends the virtual tokens, as in training.
 */
public final class RunModel implements AutoCloseable {
  /**
   * Validation loss over one shard (or {@code shard = "all"}): mean NLL in nats per label token;
   * and the same split by the source and by the language of the document each label token belongs
   * to (from the shard's {@link ShardDocs} sidecar; empty maps for a shard without one).
   */
  public record ShardLoss(String shard, long samples, long tokens, double loss, Map<String, GroupLoss> bySource,
      Map<String, GroupLoss> byLanguage) {
    public ShardLoss(String shard, long samples, long tokens, double loss) {
      this(shard, samples, tokens, loss, Map.of(), Map.of());
    }

    /** {@code exp(loss)}. */
    public double perplexity() {
      return Math.exp(loss);
    }
  }

  /** The label tokens of one source or language and their mean NLL in nats. */
  public record GroupLoss(long tokens, double loss) {
    /** {@code exp(loss)}. */
    public double perplexity() {
      return Math.exp(loss);
    }
  }

  /** What {@link #generate} produced: the prompt's and the new tokens, the new text, and whether end-of-text stopped it. */
  public record Generation(int[] promptTokens, int[] newTokens, String text, boolean stoppedAtEndOfText) {}

  private final Path runDir;
  private final JobSpec spec;
  private final Path checkpoint;
  private final NDManager manager;
  private final GptModel model;
  private final int vocab;
  private final NDArray prompt; // a prompt-tuning run's virtual tokens; null otherwise
  private TokenizerAdapter tokenizer;

  private RunModel(Path runDir, JobSpec spec, Path checkpoint, int vocab) {
    Trainer.configureEngine();
    this.runDir = runDir;
    this.spec = spec;
    this.checkpoint = checkpoint;
    this.vocab = vocab;
    Device device = Trainer.pickDevice(spec.device);
    manager = NDManager.newBaseManager(device);
    model = GptModel.of(spec.model, vocab);
    model.init(manager);
    Map<String, Checkpoints.Tensor> saved = Checkpoints.readTensors(checkpoint.resolve(ModelState.Slot.WEIGHTS.file));
    if (spec.peft != null) {
      // A PEFT checkpoint holds the adapters only: the base's weights, then the adapters merged in.
      TrainState st = Checkpoints.readState(checkpoint);
      Path base = Trainer.peftBase(runDir, st);
      String hash = Adapters.sha256(base.resolve(ModelState.Slot.WEIGHTS.file));
      if (st.peftBaseSha256 != null && !hash.equals(st.peftBaseSha256)) {
        throw new IllegalStateException("base checkpoint " + base + " changed since the run started (sha256 " + hash + ", recorded " + st.peftBaseSha256 + ")");
      }
      ModelState.loadAll(model, base);
      Checkpoints.Tensor p = saved.get(Adapters.PROMPT);
      if (spec.virtualTokens() > 0) { // prompt tuning: nothing to merge; the model prepends the virtual tokens
        if (p == null || saved.size() != 1) throw new IllegalStateException(checkpoint + ": a prompt-tuning checkpoint holds " + Adapters.PROMPT + " only");
        prompt = manager.create(p.values(), new Shape(p.shape()));
        return;
      }
      prompt = null;
      Adapters.merge(model, spec.peft, saved);
      return;
    }
    prompt = null;
    for (Pair<String, Parameter> p : model.getParameters()) {
      Checkpoints.Tensor t = saved.get(p.getKey());
      NDArray target = p.getValue().getArray();
      if (t == null || !new Shape(t.shape()).equals(target.getShape())) {
        throw new IllegalStateException(checkpoint + ": parameter " + p.getKey() + " missing or of another shape (model.block "
            + spec.model.block + " differs from the checkpoint's?)");
      }
      target.set(t.values());
    }
  }

  /**
   * Opens a run folder's model.
   *
   * @param checkpoint a checkpoint folder, or null for the run's newest
   * @throws IllegalArgumentException when the run has no spec.yaml or no checkpoint
   */
  public static RunModel open(Path runDir, Path checkpoint) {
    Path specFile = runDir.resolve("spec.yaml");
    if (!Files.isRegularFile(specFile)) throw new IllegalArgumentException("no spec.yaml in " + runDir + " (not a training run?)");
    JobSpec spec = JobSpec.load(specFile).resolvePaths(JobSpec.lakeOf(runDir));
    Path ck = checkpoint != null ? checkpoint
        : Checkpoints.latest(runDir).orElseThrow(() -> new IllegalArgumentException("run " + runDir + " has no checkpoint yet"));
    return open(spec, runDir, ck);
  }

  /** A model for a resolved spec from checkpoint folder {@code ck}. */
  public static RunModel open(JobSpec spec, Path runDir, Path ck) {
    int vocab = spec.model.vocabSize;
    if (vocab == 0) {
      try (TokenizerAdapter t = Tokenizers.open(spec.tokenizer)) {
        vocab = t.vocabSize();
      }
    }
    return new RunModel(runDir, spec, ck, vocab);
  }

  public JobSpec spec() {
    return spec;
  }

  public Path checkpoint() {
    return checkpoint;
  }

  public long step() {
    return Checkpoints.stepOf(checkpoint);
  }

  public GptModel model() {
    return model;
  }

  public String device() {
    return manager.getDevice().toString();
  }

  /** The run's tokenizer (the spec's {@code tokenizer}), opened on first use. */
  public TokenizerAdapter tokenizer() {
    if (tokenizer == null) tokenizer = Tokenizers.open(spec.tokenizer);
    return tokenizer;
  }

  /** Virtual tokens prepended to every sequence (a prompt-tuning run); 0 otherwise. */
  public int virtualTokens() {
    return prompt == null ? 0 : (int) prompt.getShape().get(0);
  }

  /** An inference store on {@code m}, with the virtual tokens of a prompt-tuning run. */
  private StepStore store(NDManager m) {
    return prompt == null ? new StepStore(m, DataType.FLOAT32) : StepStore.withPrompt(m, DataType.FLOAT32, prompt);
  }

  /** Logits {@code (V)} for the token after {@code context} (its last {@code context_length - virtualTokens()} tokens are read). */
  public float[] nextLogits(int[] context) {
    int from = Math.max(0, context.length - (model.context() - virtualTokens()));
    long[] ids = new long[context.length - from];
    for (int i = from; i < context.length; i++) ids[i - from] = context[i];
    try (NDManager m = manager.newSubManager()) {
      StepStore ps = store(m);
      NDArray logits = model.forward(ps, new NDList(m.create(ids, new Shape(1, ids.length))), false).head();
      return logits.get(new NDIndex("0, {}, :", ids.length - 1)).toType(DataType.FLOAT32, false).toFloatArray();
    }
  }

  /**
   * Samples up to {@code maxTokens} tokens after {@code prompt} (ids), stopping after the
   * end-of-text id {@code eot} (not included in the result); {@code seed} seeds the draws.
   */
  public int[] generate(int[] prompt, int maxTokens, Sampler sampler, long seed, int eot) {
    Random random = new Random(seed);
    int[] ctx = prompt.length == 0 ? new int[] {eot} : prompt.clone(); // an empty prompt starts a new document
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < maxTokens; i++) {
      int next = sampler.next(nextLogits(ctx), random);
      if (next == eot) {
        out.add(eot);
        break;
      }
      out.add(next);
      ctx = Arrays.copyOf(ctx, ctx.length + 1);
      ctx[ctx.length - 1] = next;
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Text generation with the run's tokenizer: the prompt is encoded as ordinary text, the new tokens decoded. */
  public Generation generate(String prompt, int maxTokens, Sampler sampler, long seed) {
    TokenizerAdapter t = tokenizer();
    int[] p = t.encode(prompt);
    int[] all = generate(p, maxTokens, sampler, seed, t.eotId());
    boolean eot = all.length > 0 && all[all.length - 1] == t.eotId();
    int[] fresh = eot ? Arrays.copyOf(all, all.length - 1) : all;
    return new Generation(p, fresh, t.decode(fresh), eot);
  }

  /**
   * Validation loss per shard of the spec's {@code data.validation}, then pooled, and per source
   * and language where the shards have a sidecar: {@link ValidationLoss#evaluate}.
   *
   * @param maxBatches batches of {@code batch_size} samples per shard at most; 0 = every sample
   */
  public List<ShardLoss> evaluate(int maxBatches) {
    return ValidationLoss.evaluate(this, maxBatches);
  }

  /** The model's forward pass over {@code inputs} (no dropout) with the checkpoint's weights on {@code m}: logits. */
  NDArray logits(NDManager m, NDArray inputs) {
    return model.forward(store(m), new NDList(inputs), false).head();
  }

  Path runDir() {
    return runDir;
  }

  NDManager manager() {
    return manager;
  }

  /**
   * Writes this model's weights (for a PEFT run: merged) as a run folder of its own that loads like
   * any other: {@code out/spec.yaml} (the run's spec without {@code peft} and {@code init_from}, paths
   * recorded for {@code out}'s lake) and {@code out/checkpoints/step-N/} with {@code params.bin} and
   * {@code state.json} (step N = this checkpoint's; {@code init_from} = this checkpoint). No AdamW
   * moments: the folder serves {@code init_from}, {@code train eval} and {@code train generate}, not a
   * resumed run.
   *
   * @return the checkpoint folder written
   * @throws IllegalArgumentException when {@code out} already holds checkpoints
   * @throws UnsupportedOperationException for a prompt-tuning run: its virtual tokens are an input,
   *     not a change of weights, so there is nothing to merge
   */
  public Path exportMerged(Path out) {
    if (prompt != null) {
      throw new UnsupportedOperationException("peft prompt has nothing to merge: its " + virtualTokens()
          + " virtual tokens are an input the model prepends, not a change of its weights (eval and generate use the run as it is)");
    }
    if (!Checkpoints.list(out).isEmpty()) throw new IllegalArgumentException(out + " already holds checkpoints");
    List<Checkpoints.Tensor> tensors = new ArrayList<>();
    for (Pair<String, Parameter> p : model.getParameters()) {
      NDArray a = p.getValue().getArray();
      tensors.add(new Checkpoints.Tensor(p.getKey(), a.getShape().getShape(), a.toFloatArray()));
    }
    try {
      Files.createDirectories(out);
      JobSpec copy = JobSpec.parse(spec.toYaml());
      copy.peft = null;
      copy.initFrom = null;
      Path lake = JobSpec.lakeOf(out);
      if (lake != null) copy.recordPaths(lake);
      Files.writeString(out.resolve("spec.yaml"), copy.toYaml());
      TrainState st = new TrainState();
      st.step = step();
      st.seed = spec.seed;
      st.initFrom = checkpoint.toAbsolutePath().normalize().toString();
      return Checkpoints.saveWeights(out, st, tensors);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + out, e);
    }
  }

  @Override
  public void close() {
    if (tokenizer != null) tokenizer.close();
    manager.close();
  }
}
