package dev.sieve.train;

import dev.sieve.core.config.ConfigException;
import dev.sieve.tokenize.TokenizerSpec;

/**
 * The value checks of a {@link JobSpec}: every key in range, one {@link ConfigException} naming
 * the first bad key ({@code bad value for 'optimizer.min_lr': ...}).
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
    if (spec.sft != null && !spec.sft.shards && (spec.sft.path == null || spec.sft.path.isBlank())) {
      throw new ConfigException("missing 'sft.path' (or 'sft.shards: true')");
    }
    if (spec.sft != null && spec.sft.shards && spec.sft.path != null) throw new ConfigException("bad value for 'sft.path': not with 'sft.shards: true'");
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
    if (spec.peft != null) peft(spec);
    if (spec.dpo != null) dpo(spec);
  }

  private static void dpo(JobSpec spec) {
    JobSpec.Dpo d = spec.dpo;
    if (d.data == null || d.data.isBlank()) throw new ConfigException("missing 'dpo.data': the preference JSONL file");
    if (spec.sft != null) throw new ConfigException("bad value for 'dpo': a run trains either 'sft' or 'dpo', not both");
    if (spec.initFrom == null || spec.initFrom.isBlank()) throw new ConfigException("missing 'init_from': dpo starts from a checkpoint, which is also its reference model; name it");
    if (!(d.beta > 0 && Double.isFinite(d.beta))) throw new ConfigException("bad value for 'dpo.beta': " + d.beta + " (must be positive)");
    for (String[] f : new String[][] {{"prompt_field", d.promptField}, {"chosen_field", d.chosenField}, {"rejected_field", d.rejectedField}}) {
      if (f[1] == null || f[1].isBlank()) throw new ConfigException("bad value for 'dpo." + f[0] + "': give a field name");
    }
    if (spec.virtualTokens() > 0) {
      throw new ConfigException("bad value for 'peft.method': dpo with prompt tuning is not supported (its reference, the base without virtual tokens, "
          + "would differ from the policy at step 0); use lora or bitfit");
    }
  }

  private static void peft(JobSpec spec) {
    JobSpec.Peft p = spec.peft;
    if (p.method == null || !JobSpec.Peft.METHODS.contains(p.method)) {
      throw new ConfigException("bad value for 'peft.method': " + p.method + " (one of " + JobSpec.Peft.METHODS + ")");
    }
    if (spec.initFrom == null || spec.initFrom.isBlank()) throw new ConfigException("missing 'init_from': peft trains adapters on a base checkpoint; name it");
    positive("peft.rank", p.rank);
    if (!(p.alpha >= 0)) throw new ConfigException("bad value for 'peft.alpha': " + p.alpha + " (0 = rank, or positive)");
    if (!(p.dropout >= 0 && p.dropout < 1)) throw new ConfigException("bad value for 'peft.dropout': " + p.dropout + " (0 <= x < 1)");
    if (p.virtualTokens < 0) throw new ConfigException("bad value for 'peft.virtual_tokens': " + p.virtualTokens);
    if (p.method.equals("prompt")) {
      if (p.virtualTokens < 1 || p.virtualTokens >= spec.model.contextLength) {
        throw new ConfigException("bad value for 'peft.virtual_tokens': " + p.virtualTokens + " (prompt tuning needs 1..model.context_length - 1)");
      }
      if (spec.seqLength() + p.virtualTokens > spec.model.contextLength) {
        throw new ConfigException("bad value for 'data.seq_length': " + spec.seqLength() + " + peft.virtual_tokens " + p.virtualTokens
            + " exceed model.context_length " + spec.model.contextLength);
      }
    }
    if (p.method.equals("bitfit") && spec.model.style() == GptModel.Style.LLAMA) {
      throw new ConfigException("bad value for 'peft.method': bitfit trains biases, and model.block llama has none (use lora)");
    }
    if (p.method.equals("lora")) {
      if (p.targets == null || p.targets.isEmpty()) throw new ConfigException("bad value for 'peft.targets': give at least one of " + JobSpec.Peft.TARGETS);
      for (String t : p.targets) {
        if (!JobSpec.Peft.TARGETS.contains(t)) throw new ConfigException("bad value for 'peft.targets': " + t + " (one of " + JobSpec.Peft.TARGETS + ")");
        if (t.equals("gate") && spec.model.style() != GptModel.Style.LLAMA) {
          throw new ConfigException("bad value for 'peft.targets': gate is llama's SwiGLU gate; model.block " + spec.model.block + " has none");
        }
      }
    }
  }

  private static void positive(String key, long v) {
    if (v < 1) throw new ConfigException("bad value for '" + key + "': " + v + " (must be at least 1)");
  }
}
