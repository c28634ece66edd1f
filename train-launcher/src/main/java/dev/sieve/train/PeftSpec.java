package dev.sieve.train;

import dev.sieve.core.config.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * A job spec's {@code peft} section: parameter-efficient fine-tuning of the {@code init_from}
 * checkpoint (the base, frozen): only the method's tensors train and are checkpointed
 * ({@link Adapters}).
 *
 * <pre>
 * peft: {method: lora, rank: 8, alpha: 8.0, dropout: 0.0, targets: [q, v]}
 * peft: {method: prompt, virtual_tokens: 20}
 * </pre>
 *
 * <ul>
 *   <li>{@code lora} (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language Models"): each
 *       targeted projection {@code W (out, in)} computes with {@code W + (alpha / rank)·B·A}, {@code
 *       A (rank, in)}, {@code B (out, rank)}; {@code dropout} drops input channels of the adapter
 *       path. Defaults: rank {@value #DEFAULT_RANK}, alpha = rank (the paper sets α to the first r
 *       it tries and does not tune it, §4.1), targets {@code [q, v]} (the paper's choice for a fixed
 *       budget, §7.1), no dropout.
 *   <li>{@code bitfit} (Ben Zaken et al. 2021): the bias terms only (projection and MLP biases and
 *       the LayerNorm biases β; not the gains), so {@code model.block: gpt2} only (llama has none).
 *   <li>{@code prompt} (Lester et al. 2021, "The Power of Scale for Parameter-Efficient Prompt
 *       Tuning"): {@code virtual_tokens} trainable embedding vectors prepended to every sequence,
 *       initialised from the embeddings of random vocabulary tokens (the paper's §2.2 option);
 *       the sequence length defaults to {@code context_length - virtual_tokens}.
 * </ul>
 *
 * <p>{@link #check} fails with a {@link ConfigException} naming the first bad key ({@code peft.*},
 * {@code init_from}, or {@code data.seq_length} when the virtual tokens do not fit the context).
 */
public final class PeftSpec {
  public static final int DEFAULT_RANK = 8;
  public static final List<String> METHODS = List.of("lora", "bitfit", "prompt");
  /** Targetable projections: attention q, k, v, o (output), MLP up, down, and gate (llama's SwiGLU only). */
  public static final List<String> TARGETS = List.of("q", "k", "v", "o", "up", "down", "gate");
  public String method = "lora";
  public int rank = DEFAULT_RANK;
  /** 0 = {@code rank} (scale 1). */
  public double alpha = 0;
  public double dropout = 0.0;
  public List<String> targets = new ArrayList<>(List.of("q", "v"));
  public int virtualTokens = 0;

  /** {@code alpha / rank}, alpha defaulting to rank. */
  public double scale() {
    return (alpha > 0 ? alpha : rank) / (double) rank;
  }

  /** Fails on a bad value of this section, or one that does not go with the rest of {@code spec}. */
  void check(JobSpec spec) {
    if (method == null || !METHODS.contains(method)) {
      throw new ConfigException("bad value for 'peft.method': " + method + " (one of " + METHODS + ")");
    }
    if (spec.initFrom == null || spec.initFrom.isBlank()) throw new ConfigException("missing 'init_from': peft trains adapters on a base checkpoint; name it");
    JobSpecChecks.positive("peft.rank", rank);
    if (!(alpha >= 0)) throw new ConfigException("bad value for 'peft.alpha': " + alpha + " (0 = rank, or positive)");
    if (!(dropout >= 0 && dropout < 1)) throw new ConfigException("bad value for 'peft.dropout': " + dropout + " (0 <= x < 1)");
    if (virtualTokens < 0) throw new ConfigException("bad value for 'peft.virtual_tokens': " + virtualTokens);
    if (method.equals("prompt")) {
      if (virtualTokens < 1 || virtualTokens >= spec.model.contextLength) {
        throw new ConfigException("bad value for 'peft.virtual_tokens': " + virtualTokens + " (prompt tuning needs 1..model.context_length - 1)");
      }
      if (spec.seqLength() + virtualTokens > spec.model.contextLength) {
        throw new ConfigException("bad value for 'data.seq_length': " + spec.seqLength() + " + peft.virtual_tokens " + virtualTokens
            + " exceed model.context_length " + spec.model.contextLength);
      }
    }
    if (method.equals("bitfit") && spec.model.style() == GptModel.Style.LLAMA) {
      throw new ConfigException("bad value for 'peft.method': bitfit trains biases, and model.block llama has none (use lora)");
    }
    if (method.equals("lora")) {
      if (targets == null || targets.isEmpty()) throw new ConfigException("bad value for 'peft.targets': give at least one of " + TARGETS);
      for (String t : targets) {
        if (!TARGETS.contains(t)) throw new ConfigException("bad value for 'peft.targets': " + t + " (one of " + TARGETS + ")");
        if (t.equals("gate") && spec.model.style() != GptModel.Style.LLAMA) {
          throw new ConfigException("bad value for 'peft.targets': gate is llama's SwiGLU gate; model.block " + spec.model.block + " has none");
        }
      }
    }
  }
}
