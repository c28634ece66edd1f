package dev.sieve.train;

import dev.sieve.core.config.ConfigException;
import dev.sieve.tokenize.TokenizerSpec;

/**
 * The value checks of a {@link JobSpec}: every key in range, one {@link ConfigException} naming
 * the first bad key ({@code bad value for 'optimizer.min_lr': ...}). The optional sections check
 * themselves ({@link SftSpec#check}, {@link PeftSpec#check}, {@link DpoSpec#check}).
 */
final class JobSpecChecks {
  private JobSpecChecks() {}

  /** Fails on the first bad value of {@code spec}. */
  static void check(JobSpec spec) {
    if (spec.model == null || spec.data == null || spec.optimizer == null || spec.spike == null || spec.debug == null) {
      throw new ConfigException("job spec: model, data, optimizer, spike and debug must not be null");
    }
    positive("model.layers", spec.model.layers);
    positive("model.width", spec.model.width);
    positive("model.heads", spec.model.heads);
    positive("model.context_length", spec.model.contextLength);
    if (spec.model.width % spec.model.heads != 0) throw new ConfigException("bad value for 'model.heads': " + spec.model.heads + " does not divide model.width " + spec.model.width);
    if (GptModel.Style.of(spec.model.block) == null) {
      throw new ConfigException("bad value for 'model.block': " + spec.model.block + " (one of " + java.util.Arrays.stream(GptModel.Style.values()).map(x -> x.key).toList() + ")");
    }
    if (GptModel.Style.of(spec.model.block) == GptModel.Style.LLAMA && (spec.model.width / spec.model.heads) % 2 != 0) {
      throw new ConfigException("bad value for 'model.heads': model.block llama needs an even head dimension (model.width / model.heads = " + spec.model.width / spec.model.heads + ")");
    }
    if (spec.model.vocabSize < 0) throw new ConfigException("bad value for 'model.vocab_size': " + spec.model.vocabSize);
    if (!(spec.model.dropout >= 0 && spec.model.dropout < 1)) throw new ConfigException("bad value for 'model.dropout': " + spec.model.dropout);
    if (spec.data.seqLength < 0 || spec.data.seqLength > spec.model.contextLength) {
      throw new ConfigException("bad value for 'data.seq_length': " + spec.data.seqLength + " (0..model.context_length " + spec.model.contextLength + ")");
    }
    if (spec.data.shards == null) throw new ConfigException("bad value for 'data.shards': give a list");
    if (spec.sft != null) spec.sft.check();
    String tokenizerProblem = spec.tokenizer == null ? null : TokenizerSpec.problem(spec.tokenizer);
    if (tokenizerProblem != null) throw new ConfigException("bad value for 'tokenizer': " + tokenizerProblem);
    if (!(spec.optimizer.peakLr > 0)) throw new ConfigException("bad value for 'optimizer.peak_lr': " + spec.optimizer.peakLr);
    if (!(spec.optimizer.minLr >= 0 && spec.optimizer.minLr <= spec.optimizer.peakLr)) throw new ConfigException("bad value for 'optimizer.min_lr': " + spec.optimizer.minLr + " (0..peak_lr)");
    if (spec.optimizer.warmupSteps < 0) throw new ConfigException("bad value for 'optimizer.warmup_steps': " + spec.optimizer.warmupSteps);
    if (!(spec.optimizer.beta1 >= 0 && spec.optimizer.beta1 < 1)) throw new ConfigException("bad value for 'optimizer.beta1': " + spec.optimizer.beta1);
    if (!(spec.optimizer.beta2 >= 0 && spec.optimizer.beta2 < 1)) throw new ConfigException("bad value for 'optimizer.beta2': " + spec.optimizer.beta2);
    if (!(spec.optimizer.weightDecay >= 0)) throw new ConfigException("bad value for 'optimizer.weight_decay': " + spec.optimizer.weightDecay);
    if (!(spec.optimizer.gradClip >= 0)) throw new ConfigException("bad value for 'optimizer.grad_clip': " + spec.optimizer.gradClip);
    if (!(spec.optimizer.eps > 0)) throw new ConfigException("bad value for 'optimizer.eps': " + spec.optimizer.eps);
    positive("batch_size", spec.batchSize);
    positive("grad_accumulation", spec.gradAccumulation);
    if (!JobSpec.PRECISIONS.contains(spec.precision)) throw new ConfigException("bad value for 'precision': " + spec.precision + " (one of " + JobSpec.PRECISIONS + ")");
    if (!JobSpec.DEVICES.contains(spec.device)) throw new ConfigException("bad value for 'device': " + spec.device + " (one of " + JobSpec.DEVICES + ")");
    if (spec.device.equals("cpu") && !spec.precision.equals("fp32") && !spec.debug.halfOnCpu) throw new ConfigException("bad value for 'precision': " + spec.precision + " needs a GPU; device is cpu (use fp32)");
    positive("checkpoint_interval", spec.checkpointInterval);
    if (spec.evalInterval < 0) throw new ConfigException("bad value for 'eval_interval': " + spec.evalInterval);
    positive("eval_batches", spec.evalBatches);
    if (spec.maxSteps < 0 || spec.maxTokens < 0 || (spec.maxSteps == 0) == (spec.maxTokens == 0)) {
      throw new ConfigException("set exactly one of 'max_steps' and 'max_tokens' (both positive)");
    }
    if (!(spec.spike.factor > 1)) throw new ConfigException("bad value for 'spike.factor': " + spec.spike.factor + " (must be above 1)");
    positive("spike.window", spec.spike.window);
    if (spec.spike.skipBatches < 0) throw new ConfigException("bad value for 'spike.skip_batches': " + spec.spike.skipBatches);
    if (!(spec.spike.lrScale > 0 && spec.spike.lrScale <= 1)) throw new ConfigException("bad value for 'spike.lr_scale': " + spec.spike.lrScale + " (0 < x <= 1)");
    if (spec.spike.maxRollbacks < 0) throw new ConfigException("bad value for 'spike.max_rollbacks': " + spec.spike.maxRollbacks);
    if (spec.peft != null) spec.peft.check(spec);
    if (spec.dpo != null) spec.dpo.check(spec);
  }

  /** Fails unless {@code v} is at least 1. */
  static void positive(String key, long v) {
    if (v < 1) throw new ConfigException("bad value for '" + key + "': " + v + " (must be at least 1)");
  }
}
