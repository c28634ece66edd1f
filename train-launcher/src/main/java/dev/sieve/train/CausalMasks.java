package dev.sieve.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** The causal attention masks of the two block styles, as fp32 arrays on {@code manager}. */
public final class CausalMasks {
  private CausalMasks() {}

  /** A {@code (B, T, T)} mask with 1 where query position i may attend to key position j ≤ i, else 0 ({@link Gpt2Block}). */
  public static NDArray mask(NDManager manager, int batch, int t) {
    float[] m = new float[batch * t * t];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < t; i++) {
        for (int j = 0; j <= i; j++) m[(b * t + i) * t + j] = 1f;
      }
    }
    return manager.create(m, new Shape(batch, t, t));
  }

  /** A {@code (T, T)} additive mask: 0 where query i may attend to key j ≤ i, -∞ above the diagonal ({@link LlamaBlock}). */
  public static NDArray bias(NDManager manager, int t) {
    float[] m = new float[t * t];
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) m[i * t + j] = Float.NEGATIVE_INFINITY;
    }
    return manager.create(m, new Shape(t, t));
  }
}
