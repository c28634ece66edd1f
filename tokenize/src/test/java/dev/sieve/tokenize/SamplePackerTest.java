package dev.sieve.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplePackerTest {
  /** Documents of various lengths whose tokens are all distinct: token value = global position. */
  private static int[][] docs(int... lengths) {
    int[][] d = new int[lengths.length][];
    int next = 0;
    for (int i = 0; i < lengths.length; i++) {
      d[i] = new int[lengths[i]];
      for (int j = 0; j < lengths[i]; j++) d[i][j] = next++;
    }
    return d;
  }

  @Test
  void oneEpochCoversEveryTokenOnceAsInput() {
    int[][] d = docs(5, 1, 17, 3, 9, 2, 12, 4); // 53 tokens = 13 · 4 + 1
    TokenSource src = TokenSource.of(d);
    SamplePacker p = SamplePacker.oneEpoch(src, 4, 42);
    assertEquals(13, p.numSamples());
    assertEquals(1, p.epochs());
    List<Integer> inputs = new ArrayList<>();
    Set<Integer> all = new HashSet<>();
    for (long i = 0; i < p.numSamples(); i++) {
      int[] s = p.sample(i);
      assertEquals(5, s.length);
      for (int k = 0; k < 4; k++) inputs.add(s[k]);
      for (int x : s) all.add(x);
    }
    assertEquals(52, inputs.size());
    assertEquals(52, new HashSet<>(inputs).size(), "no token is an input twice");
    assertEquals(53, all.size(), "every token appears (the last one only as a label)");
    // Stream order: consecutive samples share one token, and documents stay contiguous.
    List<Integer> stream = new ArrayList<>();
    for (int k = 0; k < p.numSamples(); k++) {
      int[] s = p.unshuffledSample(k);
      if (k > 0) assertEquals(stream.get(stream.size() - 1), s[0]);
      for (int j = k == 0 ? 0 : 1; j < s.length; j++) stream.add(s[j]);
    }
    List<Integer> expect = new ArrayList<>();
    for (int i = 0; i < d.length; i++) for (int x : d[p.documentAt(i)]) expect.add(x);
    assertEquals(expect, stream);
  }

  @Test
  void sampleDocumentsNamesTheDocumentOfEveryToken() {
    int[][] d = docs(5, 1, 17, 3, 9, 2, 12, 4);
    int[] docOf = new int[53]; // token value (= global position) -> its document
    for (int i = 0; i < d.length; i++) for (int x : d[i]) docOf[x] = i;
    SamplePacker p = new SamplePacker(TokenSource.of(d), 4, 30, 42); // 121 tokens needed: 3 epochs
    for (long i = 0; i < p.numSamples(); i++) {
      int[] s = p.sample(i);
      int[] docs = p.sampleDocuments(i);
      assertEquals(s.length, docs.length);
      for (int k = 0; k < s.length; k++) assertEquals(docOf[s[k]], docs[k], "sample " + i + " token " + k);
    }
  }

  @Test
  void deterministicForASeedAndShuffled() {
    int[][] d = docs(30, 7, 22, 15, 40, 3, 18, 25, 9, 31);
    SamplePacker a = new SamplePacker(TokenSource.of(d), 8, 60, 1234);
    SamplePacker b = new SamplePacker(TokenSource.of(d), 8, 60, 1234);
    SamplePacker c = new SamplePacker(TokenSource.of(d), 8, 60, 99);
    boolean differs = false;
    boolean shuffled = false;
    for (long i = 0; i < 60; i++) {
      assertArrayEquals(a.sample(i), b.sample(i));
      differs |= !Arrays.equals(a.sample(i), c.sample(i));
      shuffled |= !Arrays.equals(a.sample(i), a.unshuffledSample((int) i));
    }
    assertTrue(differs, "another seed gives another order");
    assertTrue(shuffled, "samples are served shuffled");
  }

  @Test
  void moreSamplesThanOneEpochStepIntoShuffledEpochs() {
    int[][] d = docs(10, 10, 10, 10, 10); // 50 tokens per epoch
    SamplePacker p = new SamplePacker(TokenSource.of(d), 10, 12, 5); // 121 tokens needed → 3 epochs
    assertEquals(3, p.epochs());
    for (int e = 0; e < 3; e++) {
      Set<Integer> seen = new HashSet<>();
      for (int i = 0; i < 5; i++) seen.add(p.documentAt(e * 5 + i));
      assertEquals(Set.of(0, 1, 2, 3, 4), seen, "epoch " + e + " is a permutation");
    }
    boolean orderChanges = false;
    for (int i = 0; i < 5; i++) orderChanges |= p.documentAt(i) != p.documentAt(5 + i) || p.documentAt(i) != p.documentAt(10 + i);
    assertTrue(orderChanges, "epochs are shuffled independently");
    int[] counts = new int[50];
    for (int k = 0; k < 12; k++) {
      int[] s = p.unshuffledSample(k);
      for (int j = 0; j < 10; j++) counts[s[j]]++;
    }
    for (int c : counts) assertTrue(c >= 2 && c <= 3, "each token is an input in 2 or 3 epochs' worth of samples");
  }

  @Test
  void packsFromAMappedShard(@TempDir Path dir) {
    int[][] d = docs(5, 11, 3, 20);
    try (IndexedDatasetWriter w = IndexedDatasetWriter.open(dir.resolve("s"), 1000, 999)) {
      for (int[] x : d) w.addDocument(x);
    }
    try (IndexedDataset ds = IndexedDataset.open(dir.resolve("s"))) {
      SamplePacker p = SamplePacker.oneEpoch(ds, 6, 3);
      assertEquals((43 - 1) / 6, p.numSamples());
      int eots = 0;
      for (int k = 0; k < p.numSamples(); k++) for (int j = 0; j < 6; j++) if (p.unshuffledSample(k)[j] == 999) eots++;
      assertTrue(eots >= 3, "documents are separated by the end-of-text token");
      assertFalse(p.numSamples() == 0);
    }
  }
}
