package dev.sieve.train;

import dev.sieve.core.config.ConfigException;

/**
 * A job spec's {@code dpo} section: direct preference optimisation (Rafailov et al. 2023, "Direct
 * Preference Optimization: Your Language Model is Secretly a Reward Model") on JSONL lines
 * {@code {"prompt", "chosen", "rejected"}} (field names settable), from the {@code init_from}
 * checkpoint, which is also the frozen reference model ({@link DpoLoss}). {@code beta}
 * {@value #DEFAULT_BETA} is the paper's most used value; {@code validation} is an optional file of
 * held-out pairs ({@code val_loss} is then their DPO loss; without it, the training pairs in order).
 *
 * <pre>
 * dpo: {data: prefs.jsonl, validation: null, beta: 0.1, prompt_field: prompt, chosen_field: chosen,
 *       rejected_field: rejected}
 * </pre>
 *
 * <p>{@link #check} fails with a {@link ConfigException} naming the key: {@code dpo.data} missing,
 * {@code sft} beside it, no {@code init_from}, {@code dpo.beta} not positive, an empty field name,
 * or prompt tuning ({@code peft.method: prompt}).
 */
public final class DpoSpec {
  public static final double DEFAULT_BETA = 0.1;
  /** The preference JSONL file (lake-relative, absolute or a URI). */
  public String data;
  /** Held-out pairs, or null. */
  public String validation;
  public double beta = DEFAULT_BETA;
  public String promptField = "prompt";
  public String chosenField = "chosen";
  public String rejectedField = "rejected";

  /** Fails on a bad value of this section, or one that does not go with the rest of {@code spec}. */
  void check(JobSpec spec) {
    if (data == null || data.isBlank()) throw new ConfigException("missing 'dpo.data': the preference JSONL file");
    if (spec.sft != null) throw new ConfigException("bad value for 'dpo': a run trains either 'sft' or 'dpo', not both");
    if (spec.initFrom == null || spec.initFrom.isBlank()) throw new ConfigException("missing 'init_from': dpo starts from a checkpoint, which is also its reference model; name it");
    if (!(beta > 0 && Double.isFinite(beta))) throw new ConfigException("bad value for 'dpo.beta': " + beta + " (must be positive)");
    for (String[] f : new String[][] {{"prompt_field", promptField}, {"chosen_field", chosenField}, {"rejected_field", rejectedField}}) {
      if (f[1] == null || f[1].isBlank()) throw new ConfigException("bad value for 'dpo." + f[0] + "': give a field name");
    }
    if (spec.virtualTokens() > 0) {
      throw new ConfigException("bad value for 'peft.method': dpo with prompt tuning is not supported (its reference, the base without virtual tokens, "
          + "would differ from the policy at step 0); use lora or bitfit");
    }
  }
}
