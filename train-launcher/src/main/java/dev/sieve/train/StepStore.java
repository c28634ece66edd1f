package dev.sieve.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parameter values for one step: the arrays are attached to the step's manager for its duration
 * (so that everything computed from them is freed with it). In fp16 the fp32 arrays stay the
 * master weights (Micikevicius et al. 2018): each parameter gets an fp16 copy for the step, a leaf
 * with its own gradient (DJL's cast runs without autograd, so it cannot be differentiated
 * through), and {@link #masterGradients} gives the copies' gradients in fp32 for the update.
 * With {@link Adapters} (a LoRA run), a targeted projection's value is {@link Adapters#adapted
 * W + s·B·A}, computed from the (copies of the) frozen {@code W} and the trainable {@code A, B};
 * for prompt tuning it holds the virtual tokens the model prepends ({@link #virtualTokens}).
 */
final class StepStore extends ParameterStore {
  private final NDManager step;
  private final DataType compute;
  private final Set<NDArray> attached;
  private final Map<NDArray, NDArray> halves;
  private final Adapters adapters;
  private final NDArray prompt;

  StepStore(NDManager step, DataType compute) {
    this(step, compute, null);
  }

  /** A store that applies {@code adapters}' LoRA pairs or virtual tokens (null: none). */
  StepStore(NDManager step, DataType compute, Adapters adapters) {
    this(step, compute, adapters, adapters == null ? null : adapters.prompt());
  }

  /** An inference store whose model prepends the virtual tokens {@code prompt} {@code (n, width)} (a trained prompt read back). */
  static StepStore withPrompt(NDManager step, DataType compute, NDArray prompt) {
    return new StepStore(step, compute, null, prompt);
  }

  private StepStore(NDManager step, DataType compute, Adapters adapters, NDArray prompt) {
    super(step, false);
    this.prompt = prompt;
    this.step = step;
    this.compute = compute;
    this.attached = Collections.newSetFromMap(new IdentityHashMap<>());
    this.halves = new IdentityHashMap<>();
    this.adapters = adapters;
  }

  /** Attaches {@code a} to the step's manager until it closes (once per array). */
  void attach(NDArray a) {
    if (attached.add(a)) a.tempAttach(step);
  }

  @Override
  public NDArray getValue(Parameter parameter, Device device, boolean training) {
    if (parameter == null) return null; // e.g. the bias of a Linear built without one
    NDArray w = value(parameter.getArray(), training);
    Adapters.Lora l = adapters == null ? null : adapters.lora(parameter);
    if (l == null) return w;
    return adapters.adapted(w, value(l.a(), training), value(l.b(), training), training, step);
  }

  /** The virtual tokens to prepend, {@code (n, width)} in the compute type; null when none. */
  NDArray virtualTokens(boolean training) {
    return prompt == null ? null : value(prompt, training);
  }

  /** {@code a} attached to the step, or its half-precision copy (a leaf with a gradient when {@code a} trains). */
  private NDArray value(NDArray a, boolean training) {
    attach(a);
    if (compute == DataType.FLOAT32) return a;
    return halves.computeIfAbsent(a, master -> {
      NDArray h = master.toType(compute, false);
      if (training && ((adapters == null && prompt == null) || master.hasGradient())) h.setRequiresGradient(true);
      return h;
    });
  }

  /**
   * The fp32 gradients of {@code masters} after the backward passes: a master's own plus, when it
   * had a half-precision copy this step, the copy's, cast to fp32 and divided by {@code scale}
   * (the loss scale). New arrays on the step's manager.
   */
  java.util.List<NDArray> masterGradients(java.util.List<NDArray> masters, float scale) {
    java.util.List<NDArray> out = new java.util.ArrayList<>(masters.size());
    for (NDArray w : masters) {
      NDArray h = halves.get(w);
      NDArray g = h != null ? h.getGradient().toType(DataType.FLOAT32, false) : w.getGradient();
      out.add(scale == 1f ? g : g.div(scale));
    }
    return out;
  }
}
