package dev.sieve.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Next-token cross-entropy for a causal language model: a {@link Batches.Batch} of {@code rows ×
 * (seq + 1)} tokens becomes inputs (the first {@code seq}) and labels (the last {@code seq}), and
 * the loss is the mean negative log-likelihood in nats per counted label token (the loss mask's
 * ones; every label without a mask).
 */
final class NextTokenLoss {
  /** Inputs {@code (rows, seq)} and labels {@code (rows, seq, 1)} as int64 arrays on a step's manager. */
  record Tokens(NDArray inputs, NDArray labels, int rows) {}

  /** The mean loss (a float32 scalar) and how many label tokens it averages over. */
  record Mean(NDArray loss, double labelTokens) {}

  private final int seq;

  /** @param seq the sequence length, {@code ≥ 1} */
  NextTokenLoss(int seq) {
    if (seq < 1) throw new IllegalArgumentException("seq must be at least 1: " + seq);
    this.seq = seq;
  }

  /** Splits a batch into inputs and labels (shifted by one token). */
  Tokens tokens(NDManager m, Batches.Batch b) {
    int rows = b.tokens().length;
    long[] in = new long[rows * seq];
    long[] lab = new long[rows * seq];
    for (int r = 0; r < rows; r++) {
      int[] t = b.tokens()[r];
      for (int i = 0; i < seq; i++) {
        in[r * seq + i] = t[i];
        lab[r * seq + i] = t[i + 1];
      }
    }
    return new Tokens(m.create(in, new Shape(rows, seq)), m.create(lab, new Shape(rows, seq, 1)), rows);
  }

  /**
   * The mean NLL of {@code labels} under {@code logits} {@code (rows, seq, vocab)} (cast to
   * float32 first), counting only positions where {@code lossMask} {@code rows × seq} is 1 (null =
   * all).
   */
  Mean mean(NDManager m, NDArray logits, Tokens t, float[][] lossMask) {
    int rows = t.rows();
    NDArray nll = logProbs(m, logits, t).neg();
    NDArray sum;
    double count = 0;
    if (lossMask != null) {
      NDArray mk = mask(m, lossMask, rows);
      for (float f : mk.toFloatArray()) count += f;
      sum = nll.mul(mk).sum();
    } else {
      count = (double) rows * seq;
      sum = nll.sum();
    }
    return new Mean(sum.div((float) Math.max(count, 1.0)), count);
  }

  /**
   * Each sequence's log-probability in nats, {@code (rows)} float32: the sum of its label tokens'
   * log-probabilities under {@code logits} over the positions where {@code lossMask} is 1 (null =
   * all), e.g. {@code log π(response | prompt)} for an {@link SftBatches} example.
   */
  NDArray sequenceLogProbs(NDManager m, NDArray logits, Tokens t, float[][] lossMask) {
    NDArray lp = logProbs(m, logits, t);
    return (lossMask == null ? lp : lp.mul(mask(m, lossMask, t.rows()))).sum(new int[] {1});
  }

  /** Log-probability of each label, {@code (rows, seq)} float32. */
  NDArray logProbs(NDManager m, NDArray logits, Tokens t) {
    // Up to fp32 by type promotion (adding an fp32 zero vector): DJL's toType is not differentiable.
    if (logits.getDataType() != DataType.FLOAT32) logits = logits.add(m.zeros(new Shape(1), DataType.FLOAT32));
    return logits.logSoftmax(2).gather(t.labels(), 2).reshape(t.rows(), seq);
  }

  private NDArray mask(NDManager m, float[][] lossMask, int rows) {
    float[] mk = new float[rows * seq];
    for (int r = 0; r < rows; r++) System.arraycopy(lossMask[r], 0, mk, r * seq, seq);
    return m.create(mk, new Shape(rows, seq));
  }
}
