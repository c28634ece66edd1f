package dev.sieve.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sieve.core.config.ConfigException;
import dev.sieve.tokenize.TokenizerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A training (or fine-tuning) job: one YAML file, snake_case keys, unknown keys are errors that
 * name the key. Every default is a {@code DEFAULT_*} constant.
 *
 * <pre>
 * tokenizer: tiktoken:cl100k_base   # or hf:/path/tokenizer.json; gives vocab_size 0 and SFT its tokens
 * model: {layers: 4, width: 256, heads: 4, context_length: 256, vocab_size: 0, dropout: 0.0,
 *         block: gpt2}                # gpt2 (learned positions, LayerNorm, GELU) | llama (RoPE, RMSNorm, SwiGLU)
 * data:
 *   shards: [gold/shards/web/train]   # .bin/.idx prefixes, or folders holding .idx/.bin pairs
 *   validation: [gold/shards/web/valid]
 *   seq_length: 0                     # 0 = context_length
 * optimizer: {peak_lr: 6.0e-4, min_lr: 6.0e-5, warmup_steps: 100, weight_decay: 0.1,
 *             beta1: 0.9, beta2: 0.95, eps: 1.0e-8, grad_clip: 1.0}
 * batch_size: {@value #DEFAULT_BATCH_SIZE}                # sequences per micro-batch
 * grad_accumulation: 1         # micro-batches per optimizer step
 * precision: fp32              # fp32 | bf16 | fp16: fp16 for block llama on a GPU, loss-scaled ({@link LossScaler});
 *                              #   fp32 otherwise (CPU, gpt2, and bf16: DJL 0.36 has no bf16), saying so
 * checkpoint_interval: {@value #DEFAULT_CHECKPOINT_INTERVAL}
 * eval_interval: {@value #DEFAULT_EVAL_INTERVAL}           # 0 = never
 * eval_batches: {@value #DEFAULT_EVAL_BATCHES}
 * max_steps: 0                 # or max_tokens; one of the two must be set
 * max_tokens: 0
 * seed: {@value #DEFAULT_SEED}
 * device: auto                 # auto | cpu | gpu
 * spike: {factor: {@value Spike#DEFAULT_FACTOR}, window: {@value Spike#DEFAULT_WINDOW}, skip_batches: {@value Spike#DEFAULT_SKIP_BATCHES}, lr_scale: 1.0,
 *         max_rollbacks: {@value Spike#DEFAULT_MAX_ROLLBACKS}}
 * init_from: null              # checkpoint dir (runs/x/checkpoints/step-N) or a run dir: fine-tune from it
 * sft: {path: sft.jsonl, prompt_field: prompt, response_field: response}   # optional
 * debug: {corrupt_batch_at: -1, step_sleep_ms: 0, half_on_cpu: false}     # tests only
 * </pre>
 *
 * <p>Paths ({@code data.shards}, {@code data.validation}, an {@code hf:} tokenizer, {@code init_from},
 * {@code sft.path}) are absolute, full URIs, or relative to the lake root: a run folder is
 * {@code <lake>/runs/<run_id>}, so the training program resolves relative paths against the run
 * folder's grandparent ({@link #lakeOf}), and a lake moved as a whole keeps working.
 * {@code sieve train submit} writes the spec it launches that way.
 *
 * <p>The optimizer defaults are GPT-3's small-model settings (Brown et al. 2020: AdamW β = (0.9,
 * 0.95), weight decay 0.1, clipping at global norm 1.0, cosine decay to 10% of the peak).
 */
public final class JobSpec {
  public static final String DEFAULT_TOKENIZER = "tiktoken:cl100k_base";
  public static final int DEFAULT_BATCH_SIZE = 8;
  public static final int DEFAULT_CHECKPOINT_INTERVAL = 100;
  public static final int DEFAULT_EVAL_INTERVAL = 100;
  public static final int DEFAULT_EVAL_BATCHES = 10;
  public static final long DEFAULT_SEED = 1234;
  public static final List<String> PRECISIONS = List.of("fp32", "bf16", "fp16");
  public static final List<String> DEVICES = List.of("auto", "cpu", "gpu");

  public String tokenizer = DEFAULT_TOKENIZER;
  public Model model = new Model();
  public Data data = new Data();
  public Optimizer optimizer = new Optimizer();
  public int batchSize = DEFAULT_BATCH_SIZE;
  public int gradAccumulation = 1;
  public String precision = "fp32";
  public int checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
  public int evalInterval = DEFAULT_EVAL_INTERVAL;
  public int evalBatches = DEFAULT_EVAL_BATCHES;
  public long maxSteps = 0;
  public long maxTokens = 0;
  public long seed = DEFAULT_SEED;
  public String device = "auto";
  public Spike spike = new Spike();
  public String initFrom;
  public Sft sft;
  public Debug debug = new Debug();

  /** The decoder's shape. */
  public static final class Model {
    public int layers = 4;
    public int width = 256;
    public int heads = 4;
    public int contextLength = 256;
    /** 0 = the tokenizer's vocabulary size. */
    public int vocabSize = 0;
    public double dropout = 0.0;
    /**
     * The block style, {@link GptModel.Style}: {@code gpt2} (the default, so that specs and
     * checkpoints written before this key existed load as what they are) or {@code llama}.
     */
    public String block = GptModel.Style.GPT2.key;

    public GptModel.Style style() {
      return GptModel.Style.of(block);
    }
  }

  /** Where the tokens come from. */
  public static final class Data {
    public List<String> shards = new ArrayList<>();
    public List<String> validation = new ArrayList<>();
    /** Tokens per training sample; 0 = the model's context length. */
    public int seqLength = 0;
  }

  /** AdamW with linear warm-up then cosine decay to {@code min_lr}, clipped at a global norm. */
  public static final class Optimizer {
    public double peakLr = 6.0e-4;
    public double minLr = 6.0e-5;
    public int warmupSteps = 100;
    public double weightDecay = 0.1;
    public double beta1 = 0.9;
    public double beta2 = 0.95;
    public double eps = 1.0e-8;
    /** Global gradient norm above which gradients are scaled down; 0 = no clipping. */
    public double gradClip = 1.0;
  }

  /**
   * The loss-spike guard. A step whose loss is NaN/infinite or above {@code factor} × the mean of
   * the last {@code window} losses is not applied: the run rolls back to its newest checkpoint and
   * skips {@code skip_batches} batches from the spike's batch on, optionally scaling the learning
   * rate by {@code lr_scale}. This is PaLM's recipe (Chowdhery et al. 2022, §5.1: "restart training
   * from a checkpoint roughly 100 steps before the spike started, and skip roughly 200–500 data
   * batches"); OPT-175B's logbook (Zhang et al. 2022, §2.5) likewise restarted from the last
   * checkpoint and lowered the learning rate on divergence. Factor {@value #DEFAULT_FACTOR} and window
   * {@value #DEFAULT_WINDOW} are this project's defaults (a loss tripling over its recent mean is far
   * beyond the noise of a healthy run); skip {@value #DEFAULT_SKIP_BATCHES} is PaLM's lower bound.
   */
  public static final class Spike {
    public static final double DEFAULT_FACTOR = 3.0;
    public static final int DEFAULT_WINDOW = 50;
    public static final int DEFAULT_SKIP_BATCHES = 200;
    public static final int DEFAULT_MAX_ROLLBACKS = 5;
    public boolean enabled = true;
    public double factor = DEFAULT_FACTOR;
    public int window = DEFAULT_WINDOW;
    public int skipBatches = DEFAULT_SKIP_BATCHES;
    public double lrScale = 1.0;
    public int maxRollbacks = DEFAULT_MAX_ROLLBACKS;
  }

  /** Supervised fine-tuning on JSONL prompt/response pairs (loss on response tokens only). */
  public static final class Sft {
    public String path;
    public String promptField = "prompt";
    public String responseField = "response";
  }

  /** Test hooks; leave alone in real runs. */
  public static final class Debug {
    /** Data batch index whose logits are scaled ×1000 so that its loss spikes; -1 = none. */
    public long corruptBatchAt = -1;
    /** Sleep after every step (lets a test kill a run mid-way); no effect on the numbers. */
    public long stepSleepMs = 0;
    /** Compute in the spec's bf16/fp16 on the CPU too (tests of the half-precision path; slow, and no speed-up on a CPU). */
    public boolean halfOnCpu = false;
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

  /** Reads and validates a spec; a {@link ConfigException} names the bad key. */
  public static JobSpec load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read job spec " + file + ": " + e.getMessage());
    }
  }

  public static JobSpec parse(String yaml) {
    JobSpec spec;
    try {
      spec = YAML.readValue(yaml, JobSpec.class);
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException("unknown key '" + keyPath(e) + "' in job spec");
    } catch (JsonMappingException e) {
      throw new ConfigException("bad value for '" + keyPath(e) + "' in job spec: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("cannot parse job spec: " + e.getMessage());
    }
    if (spec == null) spec = new JobSpec();
    spec.validate();
    return spec;
  }

  private static String keyPath(JsonMappingException e) {
    return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }

  public String toYaml() {
    try {
      return YAML.writeValueAsString(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Effective sequence length. */
  public int seqLength() {
    return data.seqLength > 0 ? data.seqLength : model.contextLength;
  }

  public int tokensPerStep() {
    return batchSize * gradAccumulation * seqLength();
  }

  /** The step count: {@code max_steps}, else {@code ceil(max_tokens / tokens per step)}. */
  public long totalSteps() {
    return maxSteps > 0 ? maxSteps : (maxTokens + tokensPerStep() - 1) / tokensPerStep();
  }

  /** The lake a run folder belongs to: {@code <lake>/runs/<run_id>} gives {@code <lake>}; null for a folder elsewhere. */
  public static Path lakeOf(Path runDir) {
    Path abs = runDir.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    if (parent == null || parent.getFileName() == null || !parent.getFileName().toString().equals("runs")) return null;
    return parent.getParent();
  }

  /**
   * How a file is recorded in a run folder: relative to the lake root when it lies in the lake of
   * {@code runDir}, else absolute (never relative to the working directory).
   */
  public static String recordedPath(Path runDir, Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path lake = lakeOf(runDir);
    return lake != null && abs.startsWith(lake) && !abs.equals(lake) ? lake.relativize(abs).toString() : abs.toString();
  }

  /**
   * Resolves the spec's relative paths against a lake root, in place (absolute paths and URIs stay
   * as they are). A relative path found only relative to the working directory, as specs written
   * before paths were lake-relative may hold, is left as it is.
   */
  public JobSpec resolvePaths(Path lake) {
    return lake == null ? this : mapPaths(p -> resolve(lake, p));
  }

  /**
   * The spec as a run folder records it, in place: each path found (under the lake first, then
   * relative to the working directory) becomes relative to the lake root when it lies in the lake,
   * else absolute; URIs stay as they are. {@link #resolvePaths} turns it back into full paths.
   */
  public JobSpec recordPaths(Path lake) {
    Path root = lake.toAbsolutePath().normalize();
    return mapPaths(q -> {
      String p = q.startsWith("file://") ? q.substring(7) : q.startsWith("file:") ? q.substring(5) : q;
      if (dev.sieve.core.Lake.isAbsolute(p) && !p.startsWith("/")) return p;
      Path full = Path.of(resolve(root, p)).toAbsolutePath().normalize();
      return full.startsWith(root) && !full.equals(root) ? root.relativize(full).toString() : full.toString();
    });
  }

  private JobSpec mapPaths(java.util.function.UnaryOperator<String> f) {
    data.shards.replaceAll(f);
    data.validation.replaceAll(f);
    TokenizerSpec t = TokenizerSpec.split(tokenizer);
    if (t != null && t.isHf()) tokenizer = t.withArg(f.apply(t.arg())).toString();
    if (initFrom != null) initFrom = f.apply(initFrom);
    if (sft != null && sft.path != null) sft.path = f.apply(sft.path);
    return this;
  }

  private static String resolve(Path lake, String p) {
    if (dev.sieve.core.Lake.isAbsolute(p)) return p;
    Path underLake = lake.resolve(p).normalize();
    if (!present(underLake) && present(Path.of(p))) return p;
    return underLake.toString();
  }

  /** A file, a folder, or a shard prefix ({@code .idx} beside it). */
  private static boolean present(Path p) {
    return Files.exists(p) || Files.exists(p.resolveSibling(p.getFileName() + ".idx"));
  }

  /** Fails unless the spec names its training data (sieve train submit fills it from the shard manifest first). */
  public void requireData() {
    if (sft == null && (data.shards == null || data.shards.isEmpty())) throw new ConfigException("missing 'data.shards' (or an 'sft' section)");
  }

  public void validate() {
    if (model == null || data == null || optimizer == null || spike == null || debug == null) {
      throw new ConfigException("job spec: model, data, optimizer, spike and debug must not be null");
    }
    positive("model.layers", model.layers);
    positive("model.width", model.width);
    positive("model.heads", model.heads);
    positive("model.context_length", model.contextLength);
    if (model.width % model.heads != 0) throw new ConfigException("bad value for 'model.heads': " + model.heads + " does not divide model.width " + model.width);
    if (GptModel.Style.of(model.block) == null) {
      throw new ConfigException("bad value for 'model.block': " + model.block + " (one of " + java.util.Arrays.stream(GptModel.Style.values()).map(x -> x.key).toList() + ")");
    }
    if (GptModel.Style.of(model.block) == GptModel.Style.LLAMA && (model.width / model.heads) % 2 != 0) {
      throw new ConfigException("bad value for 'model.heads': model.block llama needs an even head dimension (model.width / model.heads = " + model.width / model.heads + ")");
    }
    if (model.vocabSize < 0) throw new ConfigException("bad value for 'model.vocab_size': " + model.vocabSize);
    if (!(model.dropout >= 0 && model.dropout < 1)) throw new ConfigException("bad value for 'model.dropout': " + model.dropout);
    if (data.seqLength < 0 || data.seqLength > model.contextLength) {
      throw new ConfigException("bad value for 'data.seq_length': " + data.seqLength + " (0..model.context_length " + model.contextLength + ")");
    }
    if (data.shards == null) throw new ConfigException("bad value for 'data.shards': give a list");
    if (sft != null && (sft.path == null || sft.path.isBlank())) throw new ConfigException("missing 'sft.path'");
    String tokenizerProblem = tokenizer == null ? null : TokenizerSpec.problem(tokenizer);
    if (tokenizerProblem != null) throw new ConfigException("bad value for 'tokenizer': " + tokenizerProblem);
    if (!(optimizer.peakLr > 0)) throw new ConfigException("bad value for 'optimizer.peak_lr': " + optimizer.peakLr);
    if (!(optimizer.minLr >= 0 && optimizer.minLr <= optimizer.peakLr)) throw new ConfigException("bad value for 'optimizer.min_lr': " + optimizer.minLr + " (0..peak_lr)");
    if (optimizer.warmupSteps < 0) throw new ConfigException("bad value for 'optimizer.warmup_steps': " + optimizer.warmupSteps);
    if (!(optimizer.beta1 >= 0 && optimizer.beta1 < 1)) throw new ConfigException("bad value for 'optimizer.beta1': " + optimizer.beta1);
    if (!(optimizer.beta2 >= 0 && optimizer.beta2 < 1)) throw new ConfigException("bad value for 'optimizer.beta2': " + optimizer.beta2);
    if (!(optimizer.weightDecay >= 0)) throw new ConfigException("bad value for 'optimizer.weight_decay': " + optimizer.weightDecay);
    if (!(optimizer.gradClip >= 0)) throw new ConfigException("bad value for 'optimizer.grad_clip': " + optimizer.gradClip);
    if (!(optimizer.eps > 0)) throw new ConfigException("bad value for 'optimizer.eps': " + optimizer.eps);
    positive("batch_size", batchSize);
    positive("grad_accumulation", gradAccumulation);
    if (!PRECISIONS.contains(precision)) throw new ConfigException("bad value for 'precision': " + precision + " (one of " + PRECISIONS + ")");
    if (!DEVICES.contains(device)) throw new ConfigException("bad value for 'device': " + device + " (one of " + DEVICES + ")");
    if (device.equals("cpu") && !precision.equals("fp32") && !debug.halfOnCpu) throw new ConfigException("bad value for 'precision': " + precision + " needs a GPU; device is cpu (use fp32)");
    positive("checkpoint_interval", checkpointInterval);
    if (evalInterval < 0) throw new ConfigException("bad value for 'eval_interval': " + evalInterval);
    positive("eval_batches", evalBatches);
    if (maxSteps < 0 || maxTokens < 0 || (maxSteps == 0) == (maxTokens == 0)) {
      throw new ConfigException("set exactly one of 'max_steps' and 'max_tokens' (both positive)");
    }
    if (!(spike.factor > 1)) throw new ConfigException("bad value for 'spike.factor': " + spike.factor + " (must be above 1)");
    positive("spike.window", spike.window);
    if (spike.skipBatches < 0) throw new ConfigException("bad value for 'spike.skip_batches': " + spike.skipBatches);
    if (!(spike.lrScale > 0 && spike.lrScale <= 1)) throw new ConfigException("bad value for 'spike.lr_scale': " + spike.lrScale + " (0 < x <= 1)");
    if (spike.maxRollbacks < 0) throw new ConfigException("bad value for 'spike.max_rollbacks': " + spike.maxRollbacks);
  }

  private static void positive(String key, long v) {
    if (v < 1) throw new ConfigException("bad value for '" + key + "': " + v + " (must be at least 1)");
  }
}
