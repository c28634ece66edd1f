package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.sieve.tokenize.IndexedDatasetWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SFT examples read from shards with a .mask: the loss counts exactly the labels whose token the mask trains on. */
class SftShardBatchesTest {
  @TempDir Path tmp;

  static final int EOT = 0;

  @Test
  void labelsCountWhereTheMaskSaysAndNeverOnPadding() {
    // Shard 0: a conversation (prompt 11 12 13, answer 21 22, turn end 9) and a plain document (5 6 7).
    // Shard 1: no mask at all (plain documents only).
    try (IndexedDatasetWriter w = IndexedDatasetWriter.open(tmp.resolve("s/part-00000"), 100, EOT)) {
      w.addDocument(new int[] {11, 12, 13, 21, 22, 9}, new boolean[] {false, false, false, true, true, true});
      w.addDocument(new int[] {5, 6, 7});
    }
    try (IndexedDatasetWriter w = IndexedDatasetWriter.open(tmp.resolve("s/part-00001"), 100, EOT)) {
      w.addDocument(new int[] {31, 32});
    }
    try (SftShardBatches b = SftShardBatches.oneEpoch(List.of(tmp.resolve("s").toString()), 8)) {
      assertEquals(3, b.samples());
      Batches.Batch batch = b.batch(0, 3);
      // tokens: the sequence (eot included), padded with the end-of-text id to 9.
      assertArrayEquals(new int[] {11, 12, 13, 21, 22, 9, EOT, EOT, EOT}, batch.tokens()[0]);
      // label i is token i + 1: 12 13 21 22 9 eot pad pad -> trained on 21, 22, 9 only.
      assertArrayEquals(new float[] {0, 0, 1, 1, 1, 0, 0, 0}, batch.lossMask()[0]);
      assertArrayEquals(new int[] {5, 6, 7, EOT, EOT, EOT, EOT, EOT, EOT}, batch.tokens()[1]);
      assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0, 0, 0}, batch.lossMask()[1], "a plain document: every label, its end-of-text too");
      assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 0, 0}, batch.lossMask()[2], "a shard without .mask");
    }
    // Cut to the context: 4 + 1 tokens.
    try (SftShardBatches b = SftShardBatches.oneEpoch(List.of(tmp.resolve("s/part-00000").toString()), 4)) {
      Batches.Batch batch = b.batch(0, 1);
      assertArrayEquals(new int[] {11, 12, 13, 21, 22}, batch.tokens()[0]);
      assertArrayEquals(new float[] {0, 0, 1, 1}, batch.lossMask()[0]);
    }
    // Training order: a permutation per epoch, every example once in each.
    try (SftShardBatches b = SftShardBatches.open(List.of(tmp.resolve("s").toString()), 8, 5)) {
      Set<Integer> firsts = new HashSet<>();
      for (int i = 0; i < 3; i++) firsts.add(b.batch(i, 1).tokens()[0][0]);
      assertEquals(Set.of(11, 5, 31), firsts);
      assertNotEquals(0, b.samples());
    }
  }
}
