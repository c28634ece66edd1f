package dev.sieve.train;

import dev.sieve.tokenize.IndexedDataset;
import dev.sieve.tokenize.IndexedDatasetWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Supervised fine-tuning examples from tokenize's SFT shards ({@code sft: {shards: true}}): each
 * sequence of the shards (one conversation rendered through the dataset's chat template, ending
 * with the end-of-text id) is one example, cut or padded (with the end-of-text id) to
 * {@code seqLength + 1} tokens. The loss mask comes from the shard's {@code .mask}
 * ({@link IndexedDatasetWriter}): the label at input position {@code i} is token {@code i + 1} and
 * counts when that token's mask byte is 1 (an assistant's content or turn end), never for padding.
 * A shard without a {@code .mask} (plain documents) counts every label of its sequences.
 *
 * <p>Training order: each epoch a permutation drawn from {@code (seed, epoch)}, as for
 * {@link SftBatches}; {@link #oneEpoch} serves the examples in order, once (evaluation).
 */
public final class SftShardBatches implements Batches, AutoCloseable {
  private final List<IndexedDataset> shards = new ArrayList<>();
  private final List<MappedByteBuffer> maskFiles = new ArrayList<>();
  /** Example {@code e} is sequence {@code seqOf[e]} of shard {@code shardOf[e]}. */
  private final int[] shardOf;
  private final int[] seqOf;
  private final int seqLength;
  private final long seed;
  private final boolean inOrder;

  private SftShardBatches(List<String> specs, int seqLength, long seed, boolean inOrder) {
    this.seqLength = seqLength;
    this.seed = seed;
    this.inOrder = inOrder;
    int total = 0;
    for (Path prefix : ShardSet.resolve(specs)) {
      IndexedDataset d = IndexedDataset.open(prefix);
      shards.add(d);
      maskFiles.add(mapMask(prefix, d.totalTokens()));
      total = Math.addExact(total, d.sequenceCount());
    }
    if (total == 0) throw new IllegalArgumentException("no SFT sequences in " + specs);
    shardOf = new int[total];
    seqOf = new int[total];
    int e = 0;
    for (int s = 0; s < shards.size(); s++) {
      for (int q = 0; q < shards.get(s).sequenceCount(); q++, e++) {
        shardOf[e] = s;
        seqOf[e] = q;
      }
    }
  }

  /** Training examples in a seeded order per epoch, without end. */
  public static SftShardBatches open(List<String> specs, int seqLength, long seed) {
    return new SftShardBatches(specs, seqLength, seed, false);
  }

  /** Every example once, in shard order ({@link #samples} of them). */
  public static SftShardBatches oneEpoch(List<String> specs, int seqLength) {
    return new SftShardBatches(specs, seqLength, 0, true);
  }

  private static MappedByteBuffer mapMask(Path prefix, long tokens) {
    Path mask = IndexedDatasetWriter.maskPath(prefix);
    if (!Files.exists(mask)) return null;
    try (FileChannel ch = FileChannel.open(mask, StandardOpenOption.READ)) {
      if (ch.size() != tokens) throw new IllegalArgumentException(mask + " holds " + ch.size() + " bytes for " + tokens + " tokens");
      return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + mask, e);
    }
  }

  /** Example {@code e}: tokens {@code seqLength + 1}, mask {@code seqLength}. */
  private void example(int e, int[][] tokens, float[][] masks, int row) {
    IndexedDataset d = shards.get(shardOf[e]);
    int q = seqOf[e];
    int len = Math.min(d.length(q), seqLength + 1);
    int[] t = new int[seqLength + 1];
    d.read(q, 0, t, 0, len);
    Arrays.fill(t, len, t.length, eotOf(d, q));
    float[] m = new float[seqLength];
    MappedByteBuffer mask = maskFiles.get(shardOf[e]);
    long first = d.offset(q) / d.dtype().bytes();
    for (int i = 0; i + 1 < len; i++) m[i] = mask == null || mask.get((int) (first + i + 1)) == 1 ? 1f : 0f;
    tokens[row] = t;
    masks[row] = m;
  }

  /** The end-of-text id: the last token of every sequence (Megatron's {@code --append-eod}). */
  private static int eotOf(IndexedDataset d, int q) {
    int[] last = new int[1];
    d.read(q, d.length(q) - 1, last, 0, 1);
    return last[0];
  }

  @Override
  public Batch batch(long index, int rows) {
    int n = shardOf.length;
    int[][] t = new int[rows][];
    float[][] m = new float[rows][];
    for (int r = 0; r < rows; r++) {
      long served = index * rows + r;
      example(inOrder ? (int) (served % n) : SftBatches.shuffled(served, n, seed), t, m, r);
    }
    return new Batch(t, m);
  }

  @Override
  public long samples() {
    return inOrder ? shardOf.length : Long.MAX_VALUE;
  }

  @Override
  public void close() {
    for (IndexedDataset d : shards) d.close();
  }
}
