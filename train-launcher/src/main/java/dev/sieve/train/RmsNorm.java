package dev.sieve.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Root-mean-square normalisation over the last axis (Zhang &amp; Sennrich 2019, "Root Mean Square
 * Layer Normalization"): {@code x / sqrt(mean(x²) + eps) · g}, computed in the input's type (DJL's
 * casts are not differentiable). One gain per channel ({@code gain}, shape {@code (E)}, starts at 1),
 * no bias, no mean subtraction. Input and output {@code (…, E)}.
 */
public final class RmsNorm extends AbstractBlock {
  /** LLaMA's epsilon. */
  public static final float EPS = 1e-6f;

  private final Parameter gain;

  /** A norm over {@code width} channels. */
  public RmsNorm(int width) {
    gain = addParameter(Parameter.builder().setName("gain").setType(Parameter.Type.GAMMA).optShape(new Shape(width)).build());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head();
    int last = x.getShape().dimension() - 1;
    NDArray scale = x.square().mean(new int[] {last}, true).add(EPS).sqrt();
    return new NDList(x.div(scale).mul(ps.getValue(gain, x.getDevice(), training)));
  }
}
