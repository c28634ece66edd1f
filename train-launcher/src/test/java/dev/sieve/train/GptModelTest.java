package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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

class GptModelTest {
  @BeforeAll
  static void engine() {
    Trainer.configureEngine();
  }

  @Test
  void changingTheLastTokenLeavesEarlierLogitsIdentical() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      GptModel model = new GptModel(2, 32, 4, 16, 50, 0f);
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

  @Test
  void parameterCountMatchesTheFormula() {
    try (NDManager m = NDManager.newBaseManager()) {
      GptModel model = new GptModel(3, 48, 4, 24, 70, 0f);
      model.init(m);
      assertEquals(GptModel.parameterCount(3, 48, 24, 70), model.parameterCount());
    }
  }
}
