package dev.sieve.train;

import java.util.List;

/**
 * Compute-optimal sizing after Chinchilla (Hoffmann et al. 2022, "Training Compute-Optimal Large
 * Language Models"): training costs {@code C ≈ 6·N·D} FLOPs for {@code N} parameters and {@code D}
 * tokens, and the compute-optimal model sees about {@link #TOKENS_PER_PARAMETER} = 20 tokens per
 * parameter (their Table 3: 400M → 8B tokens, 70B → 1.4T). So for a budget {@code C}: {@code N =
 * sqrt(C / 120)}, {@code D = 20·N}.
 */
public final class TrainPlan {
  public static final double TOKENS_PER_PARAMETER = 20.0;
  public static final double FLOPS_PER_PARAMETER_TOKEN = 6.0;

  private TrainPlan() {}

  /** A plan: parameters, tokens, FLOPs, and the tokens the shards lack (0 when enough). */
  public record Plan(long parameters, long tokens, double flops, long availableTokens, long shortfall) {
    public boolean enough() {
      return shortfall == 0;
    }
  }

  /** {@code D = 20·N}. */
  public static long optimalTokens(long parameters) {
    return Math.round(TOKENS_PER_PARAMETER * parameters);
  }

  /** {@code C = 6·N·D}. */
  public static double flops(long parameters, long tokens) {
    return FLOPS_PER_PARAMETER_TOKEN * parameters * (double) tokens;
  }

  /** Compute-optimal parameters for a budget: {@code C = 6·N·20N}, so {@code N = sqrt(C/120)}. */
  public static long optimalParameters(double flops) {
    return Math.round(Math.sqrt(flops / (FLOPS_PER_PARAMETER_TOKEN * TOKENS_PER_PARAMETER)));
  }

  /** Parameters of a spec's model, either block style (vocabulary given, since the spec may say 0 = the tokenizer's). */
  public static long parameters(JobSpec.Model m, int vocab) {
    return GptModel.parameterCount(m.style(), m.layers, m.width, m.contextLength, vocab);
  }

  /** The plan for a parameter count against {@code availableTokens}. */
  public static Plan forParameters(long parameters, long availableTokens) {
    long d = optimalTokens(parameters);
    return new Plan(parameters, d, flops(parameters, d), availableTokens, Math.max(0, d - availableTokens));
  }

  /** The plan for a FLOP budget against {@code availableTokens}. */
  public static Plan forBudget(double flops, long availableTokens) {
    return forParameters(optimalParameters(flops), availableTokens);
  }

  /** Tokens in the given shards (prefixes or folders). */
  public static long availableTokens(List<String> shards) {
    try (ShardSet s = ShardSet.open(shards)) {
      return s.totalTokens();
    }
  }
}
