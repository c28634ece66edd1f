package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NextTokenLossTest {
  @BeforeAll
  static void engine() {
    Trainer.configureEngine();
  }

  @Test
  void labelsAreTheInputsShiftedByOne() {
    try (NDManager m = NDManager.newBaseManager()) {
      NextTokenLoss.Tokens t = new NextTokenLoss(3).tokens(m, new Batches.Batch(new int[][] {{1, 2, 3, 4}}, null));
      assertArrayEquals(new long[] {1, 2, 3}, t.inputs().toLongArray());
      assertArrayEquals(new long[] {2, 3, 4}, t.labels().toLongArray());
      assertEquals(new Shape(1, 3, 1), t.labels().getShape());
    }
  }

  @Test
  void uniformLogitsGiveLnVocabAndTheMaskSetsTheCount() {
    try (NDManager m = NDManager.newBaseManager()) {
      NextTokenLoss loss = new NextTokenLoss(2);
      Batches.Batch b = new Batches.Batch(new int[][] {{0, 1, 2}, {3, 4, 0}}, new float[][] {{1, 0}, {1, 1}});
      NextTokenLoss.Tokens t = loss.tokens(m, b);
      NDArray logits = m.zeros(new Shape(2, 2, 5));
      NextTokenLoss.Mean all = loss.mean(m, logits, t, null);
      assertEquals(Math.log(5), all.loss().getFloat(), 1e-6);
      assertEquals(4.0, all.labelTokens(), 0.0);
      NextTokenLoss.Mean masked = loss.mean(m, logits, t, b.lossMask());
      assertEquals(Math.log(5), masked.loss().getFloat(), 1e-6);
      assertEquals(3.0, masked.labelTokens(), 0.0);
    }
  }

  @Test
  void badSequenceLengthIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new NextTokenLoss(0));
  }
}
