package dev.sieve.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * Causal multi-head self-attention with {@link RotaryEmbedding rotary positions} on queries and
 * keys and no biases (LLaMA's attention, Touvron et al. 2023). Projections {@code q, k, v, out},
 * each {@code (E, E)}. Inputs: {@code x (B, T, E)} and the additive mask {@code (T, T)} ({@link
 * CausalMasks#bias}); output {@code (B, T, E)}. Scores are scaled by {@code 1/sqrt(E/H)}.
 */
public final class RopeAttention extends AbstractBlock {
  private final int width;
  private final int heads;
  private final Linear q;
  private final Linear k;
  private final Linear v;
  private final Linear out;

  /** {@code heads} heads over {@code width} channels ({@code width / heads} even). */
  public RopeAttention(int width, int heads) {
    this.width = width;
    this.heads = heads;
    q = addChildBlock("q", Linear.builder().setUnits(width).optBias(false).build());
    k = addChildBlock("k", Linear.builder().setUnits(width).optBias(false).build());
    v = addChildBlock("v", Linear.builder().setUnits(width).optBias(false).build());
    out = addChildBlock("out", Linear.builder().setUnits(width).optBias(false).build());
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Linear l : List.of(q, k, v, out)) l.initialize(manager, dataType, inputShapes[0]);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  private NDArray heads(NDArray x, long b, long t) {
    return x.reshape(b, t, heads, width / heads).transpose(0, 2, 1, 3); // (B, H, T, D)
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray bias = inputs.get(1);
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    NDArray qh = RotaryEmbedding.apply(heads(q.forward(ps, new NDList(x), training).head(), b, t), 0);
    NDArray kh = RotaryEmbedding.apply(heads(k.forward(ps, new NDList(x), training).head(), b, t), 0);
    NDArray vh = heads(v.forward(ps, new NDList(x), training).head(), b, t);
    NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2)).mul((float) (1.0 / Math.sqrt(width / (double) heads))).add(bias);
    NDArray attended = scores.softmax(3).matMul(vh).transpose(0, 2, 1, 3).reshape(b, t, width);
    return out.forward(ps, new NDList(attended), training);
  }
}
