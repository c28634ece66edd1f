package dev.sieve.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sieve.core.config.ConfigException;
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
 * sft: {path: sft.jsonl, prompt_field: prompt, response_field: response}   # optional ({@link SftSpec})
 *   # or sft: {shards: true}: data.shards (and data.validation) are tokenize's SFT shards, masks beside them (SftShardBatches)
 * peft: {method: lora, rank: 8, alpha: 8.0, dropout: 0.0, targets: [q, v]}  # optional; needs init_from ({@link PeftSpec})
 *                              #   or {method: prompt, virtual_tokens: 20}
 * dpo: {data: prefs.jsonl, validation: null, beta: 0.1, prompt_field: prompt, chosen_field: chosen,
 *       rejected_field: rejected}  # optional, instead of sft and data.shards; needs init_from ({@link DpoSpec})
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
  /** {@link SftSpec}; null = no SFT. */
  public SftSpec sft;
  /** {@link PeftSpec}; null = every weight trains. */
  public PeftSpec peft;
  /** {@link DpoSpec}; null = no DPO. */
  public DpoSpec dpo;
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
    return data.seqLength > 0 ? data.seqLength : model.contextLength - virtualTokens();
  }

  /** The virtual tokens a prompt-tuning run prepends to every sequence; 0 otherwise. */
  public int virtualTokens() {
    return peft != null && "prompt".equals(peft.method) ? peft.virtualTokens : 0;
  }

  public int tokensPerStep() {
    return batchSize * gradAccumulation * seqLength();
  }

  /** The step count: {@code max_steps}, else {@code ceil(max_tokens / tokens per step)}. */
  public long totalSteps() {
    return maxSteps > 0 ? maxSteps : (maxTokens + tokensPerStep() - 1) / tokensPerStep();
  }

  /** {@link SpecPaths#lakeOf}. */
  public static Path lakeOf(Path runDir) {
    return SpecPaths.lakeOf(runDir);
  }

  /** {@link SpecPaths#recordedPath}. */
  public static String recordedPath(Path runDir, Path file) {
    return SpecPaths.recordedPath(runDir, file);
  }

  /** Resolves the spec's relative paths against a lake root, in place: {@link SpecPaths#resolve}. */
  public JobSpec resolvePaths(Path lake) {
    return lake == null ? this : SpecPaths.map(this, p -> SpecPaths.resolve(lake, p));
  }

  /** The spec as a run folder records it, in place: {@link SpecPaths#recorder}. */
  public JobSpec recordPaths(Path lake) {
    return SpecPaths.map(this, SpecPaths.recorder(lake));
  }

  /** Fails unless the spec names its training data (sieve train submit fills it from the shard manifest first). */
  public void requireData() {
    if ((sft == null || sft.shards) && dpo == null && (data.shards == null || data.shards.isEmpty())) {
      throw new ConfigException("missing 'data.shards' (or an 'sft' section with a 'path', or a 'dpo' section)");
    }
  }

  /** Checks every key's value; a {@link ConfigException} names the first bad key. See {@link JobSpecChecks}. */
  public void validate() {
    JobSpecChecks.check(this);
  }
}
