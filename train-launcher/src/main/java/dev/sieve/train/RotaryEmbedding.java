package dev.sieve.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embeddings (Su et al. 2021, "RoFormer: Enhanced Transformer with Rotary Position
 * Embedding"), GPT-NeoX's half-split layout: the head dimension {@code D} (even) is split into
 * halves {@code (x1, x2)} and rotated as {@code (x1·cos − x2·sin, x2·cos + x1·sin)} with angle
 * {@code p·θ_i}, {@code θ_i = BASE^(−2i/D)} for channel pair {@code i} at position {@code p}. So
 * {@code rope(q, m)·rope(k, n)} depends on {@code q, k} and {@code m − n} only. No parameters.
 */
public final class RotaryEmbedding {
  /** RoFormer's and LLaMA's base. */
  public static final double BASE = 10000.0;

  private RotaryEmbedding() {}

  /** {@code cos} and {@code sin} tables {@code (T, D)} (fp32) for positions {@code offset .. offset+T-1}. */
  static NDArray[] tables(NDManager m, int t, int d, int offset) {
    int half = d / 2;
    float[] cos = new float[t * d];
    float[] sin = new float[t * d];
    for (int p = 0; p < t; p++) {
      for (int i = 0; i < half; i++) {
        double a = (p + offset) * Math.pow(BASE, -2.0 * i / d);
        float c = (float) Math.cos(a);
        float s = (float) Math.sin(a);
        cos[p * d + i] = c;
        cos[p * d + i + half] = c;
        sin[p * d + i] = s;
        sin[p * d + i + half] = s;
      }
    }
    return new NDArray[] {m.create(cos, new Shape(t, d)), m.create(sin, new Shape(t, d))};
  }

  /**
   * Rotates {@code x (…, T, D)} for positions {@code offset .. offset+T-1}, in {@code x}'s type.
   *
   * @throws IllegalArgumentException when {@code D} is odd
   */
  public static NDArray apply(NDArray x, int offset) {
    Shape s = x.getShape();
    int t = (int) s.get(s.dimension() - 2);
    int d = (int) s.get(s.dimension() - 1);
    if (d % 2 != 0) throw new IllegalArgumentException("rotary embeddings need an even head dimension: " + d);
    NDArray[] cs = tables(x.getManager(), t, d, offset);
    NDArray cos = cs[0].toType(x.getDataType(), false);
    NDArray sin = cs[1].toType(x.getDataType(), false);
    NDList halves = x.split(2, s.dimension() - 1);
    NDArray rotated = halves.get(1).neg().concat(halves.get(0), s.dimension() - 1);
    return x.mul(cos).add(rotated.mul(sin));
  }
}
