package dev.sieve.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexedDatasetTest {
  @TempDir Path dir;

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
  }

  @Test
  void twoDocumentsInUint16ByteForByte() throws Exception {
    Path prefix = dir.resolve("tiny");
    IndexedDatasetWriter.Summary s;
    try (IndexedDatasetWriter w = IndexedDatasetWriter.open(prefix, 100, 99)) {
      w.addDocument(new int[] {1, 2});
      w.addDocument(new int[] {3});
      s = w.finish();
    }
    byte[] bin = Files.readAllBytes(dir.resolve("tiny.bin"));
    byte[] idx = Files.readAllBytes(dir.resolve("tiny.idx"));
    assertArrayEquals(hex("0100 0200 6300  0300 6300"), bin);
    assertArrayEquals(hex("4d4d4944494458 0000" // MMIDIDX\0\0
        + "0100000000000000" // version 1
        + "08" // dtype u16
        + "0200000000000000" // N = 2 sequences
        + "0300000000000000" // D = 3 document indices
        + "03000000 02000000" // lengths
        + "0000000000000000 0600000000000000" // byte offsets
        + "0000000000000000 0100000000000000 0200000000000000"), idx); // document index 0..N
    assertEquals(TokenDType.UINT16, s.dtype());
    assertEquals(2, s.documents());
    assertEquals(5, s.tokens());
    assertEquals(10, s.binBytes());
    assertEquals(82, s.idxBytes());
    assertEquals(HfTokenizer.sha256(bin), s.binSha256());
    assertEquals(HfTokenizer.sha256(idx), s.idxSha256());
    assertFalse(Files.exists(dir.resolve("tiny.bin.tmp")));
    try (IndexedDataset d = IndexedDataset.open(prefix)) {
      assertEquals(TokenDType.UINT16, d.dtype());
      assertEquals(2, d.sequenceCount());
      assertArrayEquals(new int[] {1, 2, 99}, d.tokens(0));
      assertArrayEquals(new int[] {3, 99}, d.tokens(1));
      assertArrayEquals(new long[] {0, 1, 2}, d.documentIndex());
    }
  }

  @Test
  void int32DatasetCheckedByAnIndependentParser() throws Exception {
    Random r = new Random(7);
    int vocab = 100_277;
    int eot = 100_257;
    List<int[]> docs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int[] d = new int[r.nextInt(50)];
      for (int j = 0; j < d.length; j++) d[j] = r.nextInt(vocab);
      docs.add(d);
    }
    Path prefix = dir.resolve("sub/shard_00000");
    IndexedDatasetWriter.Summary s;
    try (IndexedDatasetWriter w = IndexedDatasetWriter.open(prefix, vocab, eot)) {
      for (int[] d : docs) w.addDocument(d);
      s = w.finish();
    }
    assertEquals(TokenDType.INT32, s.dtype());
    // Parse the layout with plain ByteBuffer reads (not IndexedDataset).
    ByteBuffer idx = ByteBuffer.wrap(Files.readAllBytes(s.idx())).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer bin = ByteBuffer.wrap(Files.readAllBytes(s.bin())).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[9];
    idx.get(magic);
    assertArrayEquals("MMIDIDX\0\0".getBytes(StandardCharsets.US_ASCII), magic);
    assertEquals(1L, idx.getLong());
    assertEquals(4, idx.get());
    long n = idx.getLong();
    long dCount = idx.getLong();
    assertEquals(300, n);
    assertEquals(301, dCount);
    int[] lengths = new int[(int) n];
    for (int i = 0; i < n; i++) lengths[i] = idx.getInt();
    long[] offsets = new long[(int) n];
    for (int i = 0; i < n; i++) offsets[i] = idx.getLong();
    for (long i = 0; i < dCount; i++) assertEquals(i, idx.getLong());
    assertEquals(0, idx.remaining());
    long expectOffset = 0, tokens = 0;
    for (int i = 0; i < n; i++) {
      int[] d = docs.get(i);
      assertEquals(d.length + 1, lengths[i]);
      assertEquals(expectOffset, offsets[i]);
      for (int j = 0; j < d.length; j++) assertEquals(d[j], bin.getInt((int) offsets[i] + 4 * j));
      assertEquals(eot, bin.getInt((int) offsets[i] + 4 * d.length));
      expectOffset += 4L * lengths[i];
      tokens += lengths[i];
    }
    assertEquals(expectOffset, bin.capacity());
    assertEquals(tokens, s.tokens());
    assertEquals(HfTokenizer.sha256(Files.readAllBytes(s.bin())), s.binSha256());
    // And the mapped reader agrees.
    try (IndexedDataset ds = IndexedDataset.open(prefix)) {
      assertEquals(tokens, ds.totalTokens());
      for (int i = 0; i < n; i++) {
        int[] expect = java.util.Arrays.copyOf(docs.get(i), docs.get(i).length + 1);
        expect[expect.length - 1] = eot;
        assertArrayEquals(expect, ds.tokens(i));
      }
    }
  }

  @Test
  void rejectsOutOfVocabularyTokensAndBadFiles() throws Exception {
    try (IndexedDatasetWriter w = IndexedDatasetWriter.open(dir.resolve("x"), 100, 99)) {
      assertThrows(IllegalArgumentException.class, () -> w.addDocument(new int[] {100}));
      assertThrows(IllegalArgumentException.class, () -> w.addDocument(new int[] {-1}));
    }
    assertThrows(IllegalArgumentException.class, () -> IndexedDatasetWriter.open(dir.resolve("y"), 100, 100));
    Files.write(dir.resolve("bad.idx"), "NOTANIDX\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.US_ASCII));
    Files.write(dir.resolve("bad.bin"), new byte[0]);
    assertThrows(UncheckedIOException.class, () -> IndexedDataset.open(dir.resolve("bad")));
  }

  @Test
  void dtypeFollowsMegatronsBestFittingDtype() {
    assertEquals(TokenDType.UINT16, TokenDType.forVocab(65_499));
    assertEquals(TokenDType.INT32, TokenDType.forVocab(65_500));
    assertEquals(TokenDType.INT32, TokenDType.forVocab(100_277));
  }

  @Test
  void tokenizedFixtureRoundTripsThroughAShard() throws Exception {
    List<String> zh = Fixtures.chinese(50);
    try (TokenizerAdapter t = Tokenizers.open("tiktoken:cl100k_base")) {
      Path prefix = dir.resolve("zh");
      try (IndexedDatasetWriter w = IndexedDatasetWriter.open(prefix, t)) {
        for (String doc : zh) w.addDocument(t.encode(doc));
      }
      try (IndexedDataset d = IndexedDataset.open(prefix)) {
        assertEquals(zh.size(), d.documentCount());
        for (int i = 0; i < zh.size(); i++) {
          int[] tok = d.tokens(i);
          assertEquals(t.eotId(), tok[tok.length - 1]);
          assertEquals(zh.get(i), t.decode(java.util.Arrays.copyOf(tok, tok.length - 1)));
        }
      }
    }
  }

  /** A shard gets a .mask only once a masked document arrives: earlier tokens are 1, the masked document's eot 0. */
  @Test
  void maskSidecarOneBytePerTokenOnlyForShardsWithMaskedDocuments(@TempDir Path dir) throws Exception {
    IndexedDatasetWriter.Summary plain;
    try (IndexedDatasetWriter w = IndexedDatasetWriter.open(dir.resolve("plain"), 100, 0)) {
      w.addDocument(new int[] {1, 2});
      plain = w.finish();
    }
    assertEquals(null, plain.mask());
    assertFalse(Files.exists(dir.resolve("plain.mask")));
    IndexedDatasetWriter.Summary mixed;
    try (IndexedDatasetWriter w = IndexedDatasetWriter.open(dir.resolve("mixed"), 100, 0)) {
      w.addDocument(new int[] {1, 2});
      w.addDocument(new int[] {3, 4, 5}, new boolean[] {false, true, true});
      w.addDocument(new int[] {6});
      assertThrows(IllegalArgumentException.class, () -> w.addDocument(new int[] {7}, new boolean[] {true, true}));
      mixed = w.finish();
    }
    assertArrayEquals(new byte[] {1, 1, 1, 0, 1, 1, 0, 1, 1}, Files.readAllBytes(dir.resolve("mixed.mask")));
    assertEquals(9, mixed.tokens());
    assertEquals(HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve("mixed.mask")))),
        mixed.maskSha256());
  }
}
