package dev.sieve.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The DPO objective (Rafailov et al. 2023, eq. 7) over a {@link PreferenceBatches} micro-batch of
 * {@code R} pairs {@code (x, y_w, y_l)}:
 *
 * <pre>
 * r_w = β·(log π_θ(y_w|x) - log π_ref(y_w|x)),   r_l = β·(log π_θ(y_l|x) - log π_ref(y_l|x))
 * loss = mean over pairs of -log σ(r_w - r_l)
 * </pre>
 *
 * with each {@code log π(y|x)} the sum of the response tokens' log-probabilities in nats (the
 * {@link SftBatches} loss mask: the response and its end-of-text, never prompt or padding; {@link
 * NextTokenLoss#sequenceLogProbs}). {@code r_w}, {@code r_l} are the paper's implicit rewards.
 *
 * <p>The reference {@code π_ref} is the {@code init_from} checkpoint, frozen: its log-probabilities
 * are computed per micro-batch in inference mode and enter the loss as constants (no gradient,
 * never in the optimizer). With {@code peft: lora} it is the policy's own model with the adapters
 * off (a {@link StepStore} without {@link Adapters}: the frozen base weights, exactly {@code
 * init_from}); otherwise (full fine-tuning, BitFit, whose biases live in the model) a second model
 * loaded from {@code init_from} once. Either way the policy equals the reference at step 0 (LoRA's
 * B is zero), so the first step's loss is exactly {@code log 2} and every reward 0.
 */
final class DpoLoss {
  /** One micro-batch's loss (float32 scalar, differentiable) and its rewards (detached copies). */
  record Out(NDArray loss, float[] chosenRewards, float[] rejectedRewards) {}

  /**
   * The per-step figures the metrics line gets, over all pairs of a step's micro-batches: mean
   * {@code chosen_reward}, {@code rejected_reward}, {@code reward_margin} (their difference) and
   * {@code reward_accuracy} (the fraction of pairs with {@code r_w > r_l}, a tie counting ½, so
   * that a policy equal to its reference scores 0.5).
   */
  static final class Stats {
    private double chosen;
    private double rejected;
    private double wins;
    private long pairs;

    void add(Out o) {
      for (int i = 0; i < o.chosenRewards().length; i++) {
        float c = o.chosenRewards()[i];
        float r = o.rejectedRewards()[i];
        chosen += c;
        rejected += r;
        wins += c > r ? 1 : c == r ? 0.5 : 0;
        pairs++;
      }
    }

    /** {@code reward_margin, reward_accuracy, chosen_reward, rejected_reward}, in that order. */
    Map<String, Object> fields() {
      Map<String, Object> f = new LinkedHashMap<>();
      double n = Math.max(pairs, 1);
      f.put("reward_margin", (chosen - rejected) / n);
      f.put("reward_accuracy", wins / n);
      f.put("chosen_reward", chosen / n);
      f.put("rejected_reward", rejected / n);
      return f;
    }
  }

  private final float beta;
  private final DataType compute;
  private final NextTokenLoss lossFn;
  private final NDManager manager;
  private GptModel reference; // null: the policy's model with its adapters off

  DpoLoss(JobSpec spec, DataType compute, NDManager base) {
    this.beta = (float) spec.dpo.beta;
    this.compute = compute;
    this.lossFn = new NextTokenLoss(spec.seqLength());
    this.manager = base.newSubManager();
  }

  /**
   * Sets the reference for a (re)built policy {@code state}: the same model with its LoRA adapters
   * off, or a frozen model with the weights of checkpoint folder {@code initFrom} (loaded once).
   */
  void reference(ModelState state, JobSpec spec, Path initFrom) {
    if (state.adapters() != null && state.adapters().spec().method.equals("lora")) {
      reference = null;
      return;
    }
    if (reference != null) return;
    GptModel m = GptModel.of(spec.model, state.model().vocab());
    m.init(manager);
    ModelState.loadAll(m, initFrom);
    for (Pair<String, Parameter> p : m.getParameters()) p.getValue().freeze(true);
    reference = m;
  }

  /**
   * The loss of micro-batch {@code b} ({@code 2R} rows: chosen, then rejected) under the policy
   * {@code state} (its parameters fetched through {@code ps}, its logits passed through {@code
   * logits}, the fault-injection seam) against the reference.
   */
  Out loss(NDManager m, StepStore ps, ModelState state, Batches.Batch b, boolean training, UnaryOperator<NDArray> logits) {
    NextTokenLoss.Tokens t = lossFn.tokens(m, b);
    int pairs = t.rows() / 2;
    float[] ref;
    // Its own store on its own manager: the policy's store has attached (some of) the same arrays to m.
    try (NDManager rm = m.newSubManager()) {
      GptModel refModel = reference != null ? reference : state.model();
      NDArray l = refModel.forward(new StepStore(rm, compute), new NDList(t.inputs()), false).head();
      ref = lossFn.sequenceLogProbs(rm, l, t, b.lossMask()).toFloatArray();
    }
    NDArray policy = lossFn.sequenceLogProbs(m, logits.apply(state.model().forward(ps, new NDList(t.inputs()), training).head()), t, b.lossMask());
    NDArray rewards = policy.sub(m.create(ref, new Shape(ref.length))).mul(beta); // (2R)
    NDArray chosen = rewards.get(new NDIndex("0:{}", pairs));
    NDArray rejected = rewards.get(new NDIndex("{}:", pairs));
    NDArray x = chosen.sub(rejected);
    return new Out(softplus(x.neg()).mean(), chosen.toFloatArray(), rejected.toFloatArray());
  }

  /** {@code log(1 + e^z) = -log σ(-z)}, as {@code max(z, 0) + log(1 + e^-|z|)} (no overflow). */
  static NDArray softplus(NDArray z) {
    return z.maximum(0f).add(z.abs().neg().exp().add(1f).log());
  }
}
