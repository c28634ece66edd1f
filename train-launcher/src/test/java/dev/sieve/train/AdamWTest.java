package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One AdamW step on tiny tensors against values worked out by hand. */
class AdamWTest {
  @BeforeAll
  static void engine() {
    Trainer.configureEngine();
  }

  static JobSpec.Optimizer optimizer(double weightDecay, double gradClip) {
    JobSpec.Optimizer o = new JobSpec.Optimizer();
    o.beta1 = 0.9;
    o.beta2 = 0.95;
    o.eps = 1e-8;
    o.weightDecay = weightDecay;
    o.gradClip = gradClip;
    return o;
  }

  /** A matrix w = [[1, -2]] and a bias b = [1] with loss 3·w00 - 4·w01 + 3·b: gradients [[3, -4]] and [3], global norm sqrt(34). */
  static List<NDArray> weightsWithGradients(NDManager m) {
    NDArray w = m.create(new float[] {1f, -2f}, new Shape(1, 2));
    NDArray b = m.create(new float[] {1f}, new Shape(1));
    w.setRequiresGradient(true);
    b.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = w.mul(m.create(new float[] {3f, -4f}, new Shape(1, 2))).sum().add(b.mul(3f).sum());
      gc.backward(loss);
    }
    return List.of(w, b);
  }

  @Test
  void firstStepMovesEachWeightByLrTimesTheGradientSignAndDecaysMatricesOnly() {
    try (NDManager m = NDManager.newBaseManager()) {
      List<NDArray> ws = weightsWithGradients(m);
      AdamW opt = new AdamW(optimizer(0.1, 0), ws, m);
      double norm = opt.step(ws, 1, 0.1);
      assertEquals(Math.sqrt(34), norm, 1e-5);
      // t = 1: m̂ = g, v̂ = g², so the step is lr·g/(|g| + eps) ≈ lr·sign(g); w also shrinks by (1 - lr·wd) = 0.99.
      assertArrayEquals(new float[] {0.99f - 0.1f, -1.98f + 0.1f}, ws.get(0).toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {0.9f}, ws.get(1).toFloatArray(), 1e-6f); // rank 1: no decay
      assertArrayEquals(new float[] {0.3f, -0.4f}, opt.moments(AdamW.Moment.FIRST).get(0).toFloatArray(), 1e-6f); // (1-β1)·g
      assertArrayEquals(new float[] {0.45f, 0.8f}, opt.moments(AdamW.Moment.SECOND).get(0).toFloatArray(), 1e-6f); // (1-β2)·g²
    }
  }

  @Test
  void gradientsAboveTheClipNormAreScaledDown() {
    try (NDManager m = NDManager.newBaseManager()) {
      List<NDArray> ws = weightsWithGradients(m);
      AdamW opt = new AdamW(optimizer(0, 1.0), ws, m);
      double norm = Math.sqrt(34);
      double scale = 1.0 / (norm + AdamW.CLIP_EPS);
      assertEquals(scale, opt.clipScale(norm), 1e-12);
      assertEquals(1.0, opt.clipScale(0.5), 0.0);
      assertEquals(norm, opt.step(ws, 1, 0.1), 1e-5); // the norm before clipping
      float s = (float) scale;
      assertArrayEquals(new float[] {0.1f * 3 * s, -0.1f * 4 * s}, opt.moments(AdamW.Moment.FIRST).get(0).toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {0.9f}, ws.get(1).toFloatArray(), 1e-6f); // Adam's step is scale-free at t = 1
    }
  }

  @Test
  void zeroGradientsClearsThem() {
    try (NDManager m = NDManager.newBaseManager()) {
      List<NDArray> ws = weightsWithGradients(m);
      AdamW.zeroGradients(ws);
      assertArrayEquals(new float[] {0f, 0f}, ws.get(0).getGradient().toFloatArray(), 0f);
    }
  }

  @Test
  void badArgumentsAreRejected() {
    try (NDManager m = NDManager.newBaseManager()) {
      List<NDArray> ws = weightsWithGradients(m);
      JobSpec.Optimizer o = optimizer(0.1, 1.0);
      o.beta1 = 1.0;
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdamW(o, ws, m));
      assertTrue(e.getMessage().contains("beta1"), e.getMessage());
      AdamW opt = new AdamW(optimizer(0.1, 1.0), ws, m);
      assertThrows(IllegalArgumentException.class, () -> opt.step(ws, 0, 0.1));
      assertThrows(IllegalArgumentException.class, () -> opt.step(ws, 1, Double.NaN));
      assertThrows(IllegalArgumentException.class, () -> opt.step(List.of(ws.get(0)), 1, 0.1));
    }
  }
}
