package dev.sieve.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The SwiGLU MLP (Shazeer 2020, "GLU Variants Improve Transformer"): {@code W2(silu(W1 x) ⊙ W3 x)}
 * with {@code W1 = gate (E, H)}, {@code W3 = up (E, H)}, {@code W2 = down (H, E)}, {@code H =}
 * {@link #hidden}{@code (E)}, no biases. Input and output {@code (B, T, E)}.
 */
public final class SwiGlu extends AbstractBlock {
  private final Linear gate;
  private final Linear up;
  private final Linear down;

  /** An MLP over {@code width} channels. */
  public SwiGlu(int width) {
    int hidden = hidden(width);
    gate = addChildBlock("gate", Linear.builder().setUnits(hidden).optBias(false).build());
    up = addChildBlock("up", Linear.builder().setUnits(hidden).optBias(false).build());
    down = addChildBlock("down", Linear.builder().setUnits(width).optBias(false).build());
  }

  /**
   * The hidden width: {@code 8E/3} rounded up to a multiple of 8 (LLaMA's 2/3 of 4E, so that the 3
   * matrices hold about the 8E² of a 4× GELU MLP; 256 for E = 96, 2048 for E = 768).
   */
  public static int hidden(int width) {
    int h = (8 * width + 2) / 3;
    return (h + 7) / 8 * 8;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    gate.initialize(manager, dataType, inputShapes[0]);
    up.initialize(manager, dataType, inputShapes[0]);
    Shape s = inputShapes[0];
    down.initialize(manager, dataType, new Shape(s.get(0), s.get(1), hidden((int) s.get(2))));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    NDArray g = gate.forward(ps, new NDList(x), training).head();
    NDArray u = up.forward(ps, new NDList(x), training).head();
    NDArray h = g.mul(Activation.sigmoid(g)).mul(u);
    return down.forward(ps, new NDList(h), training);
  }
}
