package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GptModelTest {
  @BeforeAll
  static void engine() {
    Trainer.configureEngine();
  }

  @ParameterizedTest
  @EnumSource(GptModel.Style.class)
  void changingTheLastTokenLeavesEarlierLogitsIdentical(GptModel.Style style) {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      GptModel model = new GptModel(style, 2, 32, 4, 16, 50, 0f);
      model.init(m);
      ParameterStore ps = new ParameterStore(m, false);
      int t = 10;
      long[] a = new long[2 * t];
      for (int i = 0; i < a.length; i++) a[i] = (i * 7 + 3) % 50;
      long[] b = a.clone();
      b[t - 1] = (b[t - 1] + 11) % 50; // last token of row 0
      b[2 * t - 1] = (b[2 * t - 1] + 5) % 50; // and of row 1
      NDArray la = model.forward(ps, new NDList(m.create(a, new Shape(2, t))), false).head();
      NDArray lb = model.forward(ps, new NDList(m.create(b, new Shape(2, t))), false).head();
      assertEquals(new Shape(2, t, 50), la.getShape());
      float[] earlyA = la.get(new NDIndex(":, 0:{}, :", t - 1)).toFloatArray();
      float[] earlyB = lb.get(new NDIndex(":, 0:{}, :", t - 1)).toFloatArray();
      assertArrayEquals(earlyA, earlyB, "logits before the changed token must not move (causality)");
      float[] lastA = la.get(new NDIndex(":, {}, :", t - 1)).toFloatArray();
      float[] lastB = lb.get(new NDIndex(":, {}, :", t - 1)).toFloatArray();
      assertFalse(Arrays.equals(lastA, lastB), "the changed position itself must see its token");
      // An earlier change moves later logits (attention does reach back).
      long[] c = a.clone();
      c[0] = (c[0] + 1) % 50;
      NDArray lc = model.forward(ps, new NDList(m.create(c, new Shape(2, t))), false).head();
      assertFalse(Arrays.equals(la.get(new NDIndex("0, {}, :", t - 1)).toFloatArray(), lc.get(new NDIndex("0, {}, :", t - 1)).toFloatArray()));
    }
  }

  @ParameterizedTest
  @EnumSource(GptModel.Style.class)
  void parameterCountMatchesTheFormulaOfTrainPlan(GptModel.Style style) {
    JobSpec.Model spec = new JobSpec.Model();
    spec.layers = 3;
    spec.width = 48;
    spec.heads = 4;
    spec.contextLength = 24;
    spec.block = style.key;
    try (NDManager m = NDManager.newBaseManager()) {
      GptModel model = GptModel.of(spec, 70);
      model.init(m);
      assertEquals(TrainPlan.parameters(spec, 70), model.parameterCount());
      assertEquals(GptModel.parameterCount(style, 3, 48, 24, 70), model.parameterCount());
    }
    // Known answers by hand: E = 48, V = 70, C = 24, L = 3.
    long gpt2 = 70 * 48 + 24 * 48 + 3 * (4 * (48 * 48 + 48) + 8 * 48 * 48 + 5 * 48 + 4 * 48) + 2 * 48 + 48 * 70;
    long llama = 70 * 48 + 3 * (4 * 48 * 48 + 3 * 48 * 128 + 2 * 48) + 48 + 48 * 70; // H = 8·48/3 = 128
    assertEquals(style == GptModel.Style.GPT2 ? gpt2 : llama, TrainPlan.parameters(spec, 70));
  }

  @Test
  void swigluHiddenIsTwoThirdsOfFourTimesTheWidthRoundedToEight() {
    assertEquals(256, GptModel.swigluHidden(96));
    assertEquals(2048, GptModel.swigluHidden(768));
    assertEquals(128, GptModel.swigluHidden(48));
    assertEquals(88, GptModel.swigluHidden(32)); // 85.3 -> 88
  }

  @Test
  void ropeDotProductsDependOnlyOnThePositionDifference() {
    try (NDManager m = NDManager.newBaseManager()) {
      int d = 16;
      int t = 12;
      java.util.SplittableRandom r = new java.util.SplittableRandom(3);
      float[] q = new float[d];
      float[] k = new float[d];
      for (int i = 0; i < d; i++) {
        q[i] = (float) r.nextDouble(-1, 1);
        k[i] = (float) r.nextDouble(-1, 1);
      }
      // The same q (and k) at every position 0..t-1, rotated by its position.
      float[] qs = new float[t * d];
      float[] ks = new float[t * d];
      for (int p = 0; p < t; p++) {
        System.arraycopy(q, 0, qs, p * d, d);
        System.arraycopy(k, 0, ks, p * d, d);
      }
      float[] rq = RotaryEmbedding.apply(m.create(qs, new Shape(1, 1, t, d)), 0).toFloatArray();
      float[] rk = RotaryEmbedding.apply(m.create(ks, new Shape(1, 1, t, d)), 0).toFloatArray();
      double plain = dot(q, 0, k, 0, d);
      for (int delta = 0; delta < 5; delta++) {
        double first = dot(rq, delta * d, rk, 0, d);
        for (int n = 1; n + delta < t; n++) {
          assertEquals(first, dot(rq, (n + delta) * d, rk, n * d, d), 1e-4, "q at " + (n + delta) + ", k at " + n);
        }
        if (delta > 0) assertNotEquals(plain, first, 1e-3, "a rotation by delta " + delta + " must change the score");
      }
      assertEquals(plain, dot(rq, 5 * d, rk, 5 * d, d), 1e-4, "same position: the rotations cancel");
      // Norms are kept (a rotation).
      assertEquals(dot(q, 0, q, 0, d), dot(rq, 7 * d, rq, 7 * d, d), 1e-4);
      // An offset shifts positions: rotating at offset 3 equals rotating position p + 3.
      float[] shifted = RotaryEmbedding.apply(m.create(qs, new Shape(1, 1, t, d)), 3).toFloatArray();
      for (int i = 0; i < d; i++) assertEquals(rq[4 * d + i], shifted[d + i], 1e-5);
    }
  }

  private static double dot(float[] a, int ai, float[] b, int bi, int d) {
    double s = 0;
    for (int i = 0; i < d; i++) s += (double) a[ai + i] * b[bi + i];
    return s;
  }
}
