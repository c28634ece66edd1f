package dev.sieve.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A pre-norm residual transformer block: {@code x + dropout(attn(norm1(x)))}, then {@code x +
 * dropout(mlp(norm2(x)))}. The subclasses pick the parts ({@link Gpt2Block}, {@link LlamaBlock});
 * the child names ({@code norm1, attention, dropout1, norm2, mlp, dropout2}) are part of every
 * checkpoint's parameter names. Inputs: {@code x (B, T, E)} and the style's causal mask ({@link
 * CausalMasks}); output {@code (B, T, E)}.
 */
public abstract class PreNormBlock extends AbstractBlock {
  private final AbstractBlock norm1;
  private final AbstractBlock attention;
  private final Dropout dropout1;
  private final AbstractBlock norm2;
  private final AbstractBlock mlp;
  private final Dropout dropout2;

  /** The parts, in this order; {@code dropout} is the residual dropout rate. */
  protected PreNormBlock(AbstractBlock norm1, AbstractBlock attention, AbstractBlock norm2, AbstractBlock mlp, float dropout) {
    this.norm1 = addChildBlock("norm1", norm1);
    this.attention = addChildBlock("attention", attention);
    this.dropout1 = addChildBlock("dropout1", Dropout.builder().optRate(dropout).build());
    this.norm2 = addChildBlock("norm2", norm2);
    this.mlp = addChildBlock("mlp", mlp);
    this.dropout2 = addChildBlock("dropout2", Dropout.builder().optRate(dropout).build());
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    norm1.initialize(manager, dataType, x);
    attention.initialize(manager, dataType, x, inputShapes[1]);
    dropout1.initialize(manager, dataType, x);
    norm2.initialize(manager, dataType, x);
    mlp.initialize(manager, dataType, x);
    dropout2.initialize(manager, dataType, x);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray mask = inputs.get(1);
    NDArray h = norm1.forward(ps, new NDList(x), training).head();
    h = attention.forward(ps, new NDList(h, mask), training).head();
    h = dropout1.forward(ps, new NDList(h), training).head();
    x = x.add(h);
    h = norm2.forward(ps, new NDList(x), training).head();
    h = mlp.forward(ps, new NDList(h), training).head();
    h = dropout2.forward(ps, new NDList(h), training).head();
    return new NDList(x.add(h));
  }
}
