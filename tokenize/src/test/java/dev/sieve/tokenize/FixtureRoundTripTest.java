package dev.sieve.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * decode(encode(x)) == x on real English, Chinese and Russian text for every tokenizer kind, a
 * byte-level BPE trained on part of that text (4,000 tokens), and characters per token of the
 * trained BPE against cl100k_base on held-out text (printed, with loose sanity bounds).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FixtureRoundTripTest {
  private static final int BPE_VOCAB = 4_000;

  @TempDir static Path dir;
  private Map<String, List<String>> train;
  private Map<String, List<String>> heldOut;
  private BpeModel model;
  private Path tokenizerJson;

  @BeforeAll
  void trainBpe() {
    List<String> en = Fixtures.english();
    List<String> zh = Fixtures.chinese(1_000);
    List<String> ru = Fixtures.russian();
    assertFalse(en.isEmpty(), "English documents in the fixtures");
    assertFalse(ru.isEmpty(), "Russian documents in the fixtures");
    train = new LinkedHashMap<>();
    heldOut = new LinkedHashMap<>();
    split("en", en);
    split("zh", zh);
    split("ru", ru);
    heldOut.put("zh-abstracts", Fixtures.chineseAbstracts(200));
    List<String> all = new ArrayList<>();
    train.values().forEach(all::addAll);
    long t0 = System.nanoTime();
    Map<String, Long> counts = BpeTrainer.countChunks(all);
    System.out.printf("counted %d distinct chunks in %.2f s%n", counts.size(), (System.nanoTime() - t0) / 1e9);
    t0 = System.nanoTime();
    model = new BpeTrainer(BPE_VOCAB, List.of("<|endoftext|>")).train(counts);
    System.out.printf("trained byte-level BPE: %d merges, vocab %d on %d documents in %.2f s%n", model.mergeCount(), model.vocabSize(),
        all.size(), (System.nanoTime() - t0) / 1e9);
    tokenizerJson = dir.resolve("bpe/tokenizer.json");
    model.writeTokenizerJson(tokenizerJson);
  }

  private void split(String lang, List<String> docs) {
    int half = docs.size() / 2;
    train.put(lang, docs.subList(0, half));
    heldOut.put(lang, docs.subList(half, docs.size()));
  }

  private static void assertRoundTrips(TokenizerAdapter t, Map<String, List<String>> texts) {
    for (Map.Entry<String, List<String>> e : texts.entrySet()) {
      for (String doc : e.getValue()) {
        int[] ids = t.encode(doc);
        for (int id : ids) assertTrue(id >= 0 && id < t.vocabSize(), t.name() + " id " + id);
        assertEquals(doc, t.decode(ids), t.name() + " " + e.getKey());
      }
    }
  }

  @Test
  void chunksCoverTheText() {
    for (List<String> docs : heldOut.values()) {
      for (String d : docs) assertEquals(d, String.join("", BpeTrainer.chunks(d)));
    }
  }

  @Test
  void tiktokenRoundTrips() {
    for (String enc : Tokenizers.TIKTOKEN_ENCODINGS) {
      try (TokenizerAdapter t = Tokenizers.open("tiktoken:" + enc)) {
        assertRoundTrips(t, train);
        assertRoundTrips(t, heldOut);
      }
    }
  }

  @Test
  void trainedBpeRoundTripsThroughHuggingFaceAndMatchesTheJavaEncoder() {
    try (TokenizerAdapter t = Tokenizers.open("hf:" + tokenizerJson)) {
      assertEquals(BPE_VOCAB, t.vocabSize());
      assertEquals(BPE_VOCAB - 1, t.eotId());
      assertRoundTrips(t, train);
      assertRoundTrips(t, heldOut);
      // The HF pre-tokenizer (Split + ByteLevel) cuts exactly like BpeTrainer.chunks.
      for (List<String> docs : heldOut.values()) {
        for (String d : docs) assertArrayEquals(model.encode(d), t.encode(d));
      }
    }
  }

  @Test
  void charactersPerTokenAgainstCl100k() {
    try (TokenizerAdapter bpe = Tokenizers.open("hf:" + tokenizerJson);
        TokenizerAdapter cl = Tokenizers.open("tiktoken:cl100k_base");
        TokenizerAdapter o200 = Tokenizers.open("tiktoken:o200k_base")) {
      for (Map.Entry<String, List<String>> e : heldOut.entrySet()) {
        double b = charsPerToken(bpe, e.getValue());
        double c = charsPerToken(cl, e.getValue());
        double o = charsPerToken(o200, e.getValue());
        System.out.printf("chars/token held-out %-12s trained BPE (%d) %.2f | cl100k %.2f | o200k %.2f%n", e.getKey(), BPE_VOCAB, b, c, o);
        assertTrue(b > 1.0, "BPE compresses " + e.getKey());
      }
      // A 4k vocabulary that gives Han runs their own chunks beats cl100k on Chinese, even held out.
      assertTrue(charsPerToken(bpe, heldOut.get("zh")) > charsPerToken(cl, heldOut.get("zh")));
    }
  }

  private static double charsPerToken(TokenizerAdapter t, List<String> docs) {
    long chars = 0, tokens = 0;
    for (String d : docs) {
      chars += d.codePointCount(0, d.length());
      tokens += t.encode(d).length;
    }
    return (double) chars / tokens;
  }

  @Test
  void throughputForInformation() {
    List<String> docs = new ArrayList<>();
    heldOut.values().forEach(docs::addAll);
    long bytes = 0;
    for (String d : docs) bytes += d.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    for (String spec : List.of("tiktoken:cl100k_base", "tiktoken:o200k_base", "hf:" + tokenizerJson)) {
      try (TokenizerAdapter t = Tokenizers.open(spec)) {
        for (String d : docs.subList(0, Math.min(100, docs.size()))) t.encode(d); // warm up
        long t0 = System.nanoTime();
        long tokens = 0;
        for (String d : docs) tokens += t.encode(d).length;
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("throughput %-22s %,.0f tokens/s, %.1f MB/s (%d docs, %.1f MB; information only)%n",
            spec.startsWith("hf:") ? "hf:trained-bpe" : spec, tokens / s, bytes / s / 1e6, docs.size(), bytes / 1e6);
      }
    }
    long t0 = System.nanoTime();
    long tokens = 0;
    for (String d : docs) tokens += model.encode(d).length;
    System.out.printf("throughput %-22s %,.0f tokens/s (pure-Java reference encoder)%n", "BpeModel.encode", tokens / ((System.nanoTime() - t0) / 1e9));
  }
}
