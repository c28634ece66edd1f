package dev.sieve.train;

/**
 * Training or evaluation data as numbered batches: batch {@code i} is always the same tokens
 * (deterministic for the spec's seed), so that a run resumed at data position {@code i} sees
 * exactly what an uninterrupted run saw.
 */
public interface Batches {
  /**
   * One micro-batch.
   *
   * @param tokens {@code rows × (seqLength + 1)}: inputs are the first {@code seqLength}, labels
   *     the last {@code seqLength}
   * @param lossMask {@code rows × seqLength}, 1 where the label counts; {@code null} = everywhere
   */
  record Batch(int[][] tokens, float[][] lossMask) {}

  /** Micro-batch {@code index} of {@code rows} samples. */
  Batch batch(long index, int rows);

  /** Samples available without wrapping around ({@code Long.MAX_VALUE} when unbounded). */
  long samples();
}
