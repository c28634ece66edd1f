package dev.sieve.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model and its optimizer as one unit of state: built fresh (weights initialised from the
 * seed, moments zero), written to and read from a checkpoint's tensor files by {@link Slot}. Each
 * instance owns a sub-manager of the run's base manager; {@link #close} frees its arrays.
 *
 * <p>In a PEFT run ({@code peft} in the spec) the model is built with the base checkpoint's
 * weights, frozen, and "the weights" here are only the trainable tensors of its {@link Adapters}:
 * the optimizer, the slots and so the checkpoints hold those alone.
 */
final class ModelState implements AutoCloseable {
  /** The arrays a checkpoint holds, each in its own file ({@link Checkpoints}). */
  enum Slot {
    /** The weights: {@code params.bin}. */
    WEIGHTS("params.bin"),
    /** AdamW's first moments: {@code adam_m.bin}. */
    FIRST_MOMENT("adam_m.bin"),
    /** AdamW's second moments: {@code adam_v.bin}. */
    SECOND_MOMENT("adam_v.bin");

    final String file;

    Slot(String file) {
      this.file = file;
    }
  }

  private final NDManager manager;
  private final GptModel model;
  private final List<String> names = new ArrayList<>();
  private final List<NDArray> weights = new ArrayList<>();
  private final AdamW optimizer;
  private final Adapters adapters;

  /** A fresh model for {@code spec} and {@code vocab}, its initialisation seeded by {@code initSeed}. */
  ModelState(JobSpec spec, int vocab, NDManager base, int initSeed) {
    this(spec, vocab, base, initSeed, null);
  }

  /**
   * A fresh model; for a spec with {@code peft}, {@code peftBase} is the base checkpoint folder
   * whose weights the model gets (all of them, frozen) before its adapters are created.
   *
   * @throws IllegalArgumentException when the spec has {@code peft} and {@code peftBase} is null
   */
  ModelState(JobSpec spec, int vocab, NDManager base, int initSeed, Path peftBase) {
    manager = base.newSubManager();
    model = GptModel.of(spec.model, vocab);
    Engine.getInstance().setRandomSeed(initSeed);
    model.init(manager);
    if (spec.peft != null) {
      if (peftBase == null) throw new IllegalArgumentException("peft needs the base checkpoint (init_from)");
      loadAll(model, peftBase);
      adapters = Adapters.attach(model, spec.peft, manager);
      names.addAll(adapters.names());
      weights.addAll(adapters.arrays());
    } else {
      adapters = null;
      for (Pair<String, Parameter> p : model.getParameters()) {
        names.add(p.getKey());
        weights.add(p.getValue().getArray());
      }
    }
    optimizer = new AdamW(spec.optimizer, weights, manager);
  }

  /** Every parameter of {@code model} from checkpoint folder {@code ck}'s weights, by name. */
  static void loadAll(GptModel model, Path ck) {
    Map<String, Checkpoints.Tensor> saved = Checkpoints.readTensors(ck.resolve(Slot.WEIGHTS.file));
    for (Pair<String, Parameter> p : model.getParameters()) {
      Checkpoints.Tensor t = saved.get(p.getKey());
      NDArray target = p.getValue().getArray();
      if (t == null || !new Shape(t.shape()).equals(target.getShape())) {
        throw new IllegalStateException(ck + ": parameter " + p.getKey() + " missing or of another shape (model spec differs?)");
      }
      target.set(t.values());
    }
  }

  /** The PEFT run's adapters; null for full training. */
  Adapters adapters() {
    return adapters;
  }

  /** Scalars the optimizer updates (all of the model's without PEFT). */
  long trainableParameters() {
    long n = 0;
    for (NDArray w : weights) n += w.getShape().size();
    return n;
  }

  GptModel model() {
    return model;
  }

  /** The weight arrays, in parameter order. */
  List<NDArray> weights() {
    return weights;
  }

  AdamW optimizer() {
    return optimizer;
  }

  /** The live arrays of a slot, in parameter order. */
  List<NDArray> arrays(Slot slot) {
    switch (slot) {
      case WEIGHTS:
        return weights;
      case FIRST_MOMENT:
        return optimizer.moments(AdamW.Moment.FIRST);
      default:
        return optimizer.moments(AdamW.Moment.SECOND);
    }
  }

  /** A slot's arrays copied out as named float32 tensors (for {@link Checkpoints#save}). */
  List<Checkpoints.Tensor> tensors(Slot slot) {
    List<NDArray> arrays = arrays(slot);
    List<Checkpoints.Tensor> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      NDArray a = arrays.get(i);
      out.add(new Checkpoints.Tensor(names.get(i), a.getShape().getShape(), a.toFloatArray()));
    }
    return out;
  }

  /**
   * Sets a slot's arrays from checkpoint folder {@code ck}, by parameter name.
   *
   * @throws IllegalStateException when a parameter is missing there or has another shape
   */
  void load(Path ck, Slot slot) {
    Map<String, Checkpoints.Tensor> saved = Checkpoints.readTensors(ck.resolve(slot.file));
    List<NDArray> targets = arrays(slot);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Checkpoints.Tensor t = saved.get(name);
      NDArray target = targets.get(i);
      if (t == null || !new Shape(t.shape()).equals(target.getShape())) {
        throw new IllegalStateException(ck + ": parameter " + name + " missing or of another shape (model spec differs?)");
      }
      target.set(t.values());
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
