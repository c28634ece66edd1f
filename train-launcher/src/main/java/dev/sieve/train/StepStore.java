package dev.sieve.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Parameter values for one step: the arrays are attached to the step's manager for its duration
 * (so that everything computed from them is freed with it) and cast to the compute type (bf16/fp16
 * on GPU: the fp32 arrays stay the master weights, the cast is differentiable).
 */
final class StepStore extends ParameterStore {
  private final NDManager step;
  private final DataType compute;
  private final Set<NDArray> attached = Collections.newSetFromMap(new IdentityHashMap<>());

  StepStore(NDManager step, DataType compute) {
    super(step, false);
    this.step = step;
    this.compute = compute;
  }

  /** Attaches {@code a} to the step's manager until it closes (once per array). */
  void attach(NDArray a) {
    if (attached.add(a)) a.tempAttach(step);
  }

  @Override
  public NDArray getValue(Parameter parameter, Device device, boolean training) {
    if (parameter == null) return null; // e.g. the bias of a Linear built without one
    NDArray a = parameter.getArray();
    attach(a);
    return compute == DataType.FLOAT32 ? a : a.toType(compute, false);
  }
}
