package dev.sieve.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * AdamW (Loshchilov &amp; Hutter 2019, "Decoupled Weight Decay Regularization", Algorithm 2) with
 * global-norm gradient clipping (Pascanu et al. 2013), over a fixed list of parameter arrays.
 * Written here rather than taken from DJL's {@code Adam} so that its moments are plain arrays a
 * checkpoint can save and restore ({@link #moments(Moment)}).
 *
 * <p>One {@link #step} at update count {@code t} (1-based) and learning rate {@code lr}, for each
 * weight {@code w} with gradient {@code g} (first scaled by {@code gradClip / (‖g‖ + }{@value
 * #CLIP_EPS}{@code )} when the global norm {@code ‖g‖} of all gradients exceeds {@code gradClip > 0}):
 * {@code m = β1·m + (1-β1)·g}, {@code v = β2·v + (1-β2)·g²}, {@code w *= 1 - lr·weightDecay}
 * (matrices only: weights of rank ≥ 2, not biases or norm gains, as in GPT-2/nanoGPT), then {@code
 * w -= lr · (m / (1-β1^t)) / (sqrt(v / (1-β2^t)) + eps)}. Arrays are float32, moments shaped like
 * their weights.
 */
public final class AdamW {
  /** Added to the norm when clipping, so a norm of exactly {@code gradClip} still divides safely. */
  public static final double CLIP_EPS = 1e-6;

  /** Which of the two moment estimates. */
  public enum Moment {
    /** {@code m}: the running mean of gradients; saved as {@code adam_m.bin}. */
    FIRST,
    /** {@code v}: the running mean of squared gradients; saved as {@code adam_v.bin}. */
    SECOND
  }

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final double gradClip;
  private final NDArray[] m;
  private final NDArray[] v;

  /**
   * Zero moments for {@code weights}, allocated on {@code manager}.
   *
   * @param o the spec's {@code optimizer} section: {@code beta1, beta2 ∈ [0, 1)}, {@code eps > 0},
   *     {@code weight_decay ≥ 0}, {@code grad_clip ≥ 0} (0 = no clipping)
   * @throws IllegalArgumentException naming the bad value
   */
  public AdamW(JobSpec.Optimizer o, List<NDArray> weights, NDManager manager) {
    if (!(o.beta1 >= 0 && o.beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1): " + o.beta1);
    if (!(o.beta2 >= 0 && o.beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1): " + o.beta2);
    if (!(o.eps > 0)) throw new IllegalArgumentException("eps must be positive: " + o.eps);
    if (!(o.weightDecay >= 0)) throw new IllegalArgumentException("weightDecay must be >= 0: " + o.weightDecay);
    if (!(o.gradClip >= 0)) throw new IllegalArgumentException("gradClip must be >= 0: " + o.gradClip);
    this.beta1 = o.beta1;
    this.beta2 = o.beta2;
    this.eps = o.eps;
    this.weightDecay = o.weightDecay;
    this.gradClip = o.gradClip;
    m = new NDArray[weights.size()];
    v = new NDArray[weights.size()];
    for (int i = 0; i < weights.size(); i++) {
      m[i] = manager.zeros(weights.get(i).getShape());
      v[i] = manager.zeros(weights.get(i).getShape());
    }
  }

  /** The moment arrays, one per weight in the constructor's order (live: a checkpoint load sets them in place). */
  public List<NDArray> moments(Moment which) {
    return List.of(which == Moment.FIRST ? m : v);
  }

  /** Global L2 norm of the weights' gradients, {@code sqrt(Σ g²)} over all of them. */
  public static double gradientNorm(List<NDArray> weights) {
    return norm(gradients(weights));
  }

  /** The weights' gradient arrays, in order. */
  public static List<NDArray> gradients(List<NDArray> weights) {
    List<NDArray> g = new java.util.ArrayList<>(weights.size());
    for (NDArray w : weights) g.add(w.getGradient());
    return g;
  }

  /** Global L2 norm of the given gradients, {@code sqrt(Σ g²)}. */
  public static double norm(List<NDArray> grads) {
    NDArray sq = null;
    for (NDArray g : grads) {
      NDArray s = g.square().sum();
      sq = sq == null ? s : sq.add(s);
    }
    return Math.sqrt(sq.getFloat());
  }

  /** The factor gradients are multiplied by for a global norm {@code norm}: 1 unless clipping applies. */
  public double clipScale(double norm) {
    return gradClip > 0 && norm > gradClip ? gradClip / (norm + CLIP_EPS) : 1.0;
  }

  /**
   * Applies one update to {@code weights} (the constructor's, same order) from their gradients.
   *
   * @param t the update count including this one, {@code ≥ 1} (bias correction)
   * @param lr the learning rate of this step, {@code ≥ 0}
   * @return the global gradient norm before clipping
   * @throws IllegalArgumentException for {@code t < 1}, a negative or NaN {@code lr}, or another number of weights
   */
  public double step(List<NDArray> weights, long t, double lr) {
    return step(weights, gradients(weights), t, lr);
  }

  /** {@link #step(List, long, double)} with the gradients given ({@code grads.get(i)} for {@code weights.get(i)}). */
  public double step(List<NDArray> weights, List<NDArray> grads, long t, double lr) {
    if (t < 1) throw new IllegalArgumentException("update count t must be at least 1: " + t);
    if (!(lr >= 0)) throw new IllegalArgumentException("learning rate must be >= 0: " + lr);
    if (weights.size() != m.length) throw new IllegalArgumentException(weights.size() + " weights, but the optimizer holds moments for " + m.length);
    double norm = norm(grads);
    double scale = clipScale(norm);
    float bc1 = (float) (1 - Math.pow(beta1, t));
    float bc2 = (float) (1 - Math.pow(beta2, t));
    for (int i = 0; i < weights.size(); i++) {
      NDArray w = weights.get(i);
      NDArray g = grads.get(i);
      if (scale != 1.0) g = g.mul((float) scale);
      m[i].muli((float) beta1).addi(g.mul((float) (1 - beta1)));
      v[i].muli((float) beta2).addi(g.square().mul((float) (1 - beta2)));
      NDArray denom = v[i].div(bc2).sqrt().add((float) eps);
      if (weightDecay > 0 && w.getShape().dimension() >= 2) w.muli((float) (1 - lr * weightDecay));
      w.subi(m[i].div(bc1).div(denom).mul((float) lr));
    }
    return norm;
  }

  /** Sets the weights' gradients to zero in place (after an update, or when a spiked step is dropped). */
  public static void zeroGradients(List<NDArray> weights) {
    for (NDArray w : weights) {
      if (w.hasGradient()) {
        NDArray g = w.getGradient();
        g.subi(g);
      }
    }
  }
}
