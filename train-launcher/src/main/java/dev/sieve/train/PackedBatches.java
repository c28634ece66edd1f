package dev.sieve.train;

import dev.sieve.tokenize.SamplePacker;
import dev.sieve.tokenize.TokenSource;

/**
 * Pretraining batches from {@link SamplePacker}: micro-batch {@code i} holds served samples
 * {@code i·rows .. (i+1)·rows - 1} (modulo the packer's sample count).
 */
public final class PackedBatches implements Batches {
  private final SamplePacker packer;

  public PackedBatches(TokenSource source, int seqLength, long numSamples, long seed) {
    this.packer = new SamplePacker(source, seqLength, numSamples, seed);
  }

  /** One pass over the source (validation). */
  public static PackedBatches oneEpoch(TokenSource source, int seqLength, long seed) {
    long tokens = 0;
    for (int d = 0; d < source.documentCount(); d++) tokens += source.length(d);
    return new PackedBatches(source, seqLength, Math.max(0, (tokens - 1) / seqLength), seed);
  }

  @Override
  public Batch batch(long index, int rows) {
    int[][] t = new int[rows][];
    long n = packer.numSamples();
    if (n == 0) throw new IllegalStateException("no samples to serve");
    for (int r = 0; r < rows; r++) t[r] = packer.sample(Math.floorMod(index * rows + r, n));
    return new Batch(t, null);
  }

  /** The source document of each token of served sample {@code i} (modulo the sample count), as {@link SamplePacker#sampleDocuments}. */
  public int[] documentsOf(long i) {
    return packer.sampleDocuments(Math.floorMod(i, packer.numSamples()));
  }

  @Override
  public long samples() {
    return packer.numSamples();
  }
}
