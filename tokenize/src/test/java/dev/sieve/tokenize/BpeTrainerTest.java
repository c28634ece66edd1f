package dev.sieve.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
  @Test
  void chunksSplitHanRunsWordsDigitsAndSpaces() {
    assertEquals(List.of("Hello", " world", ",", " 中文", "abc", " 123", "45", "。", "Привет"),
        BpeTrainer.chunks("Hello world, 中文abc 12345。Привет"));
    assertEquals(List.of("don", "'t", " stop"), BpeTrainer.chunks("don't stop"));
    assertEquals(List.of("a", " ", " b", "\n\n", "c", "  "), BpeTrainer.chunks("a  b\n\nc  "));
    // Han next to kana or Latin is cut at the script change; CJK punctuation is its own chunk.
    assertEquals(List.of("我是学生", "です", "，", "GPT", "-", "4", "模型"), BpeTrainer.chunks("我是学生です，GPT-4模型"));
    // Combining marks stay with their letters; an ideographic space is whitespace.
    assertEquals(List.of("cafe\u0301", "\u3000", "x"), BpeTrainer.chunks("cafe\u0301\u3000x"));
    // A supplementary-plane Han character (U+20BB7) joins the Han run.
    assertEquals(List.of(" 𠮷野家"), BpeTrainer.chunks(" 𠮷野家"));
    assertEquals(List.of(), BpeTrainer.chunks(""));
  }

  @Test
  void learnsTheKnownMergesInOrder() {
    // The Hugging Face course's example corpus: "ug" (20), then "un" (16), then "h"+"ug" (15).
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("hug", 10L);
    counts.put("pug", 5L);
    counts.put("pun", 12L);
    counts.put("bun", 4L);
    counts.put("hugs", 5L);
    BpeModel m = new BpeTrainer(256 + 3 + 1, List.of("<|endoftext|>")).train(counts);
    assertEquals(3, m.mergeCount());
    assertEquals("ug", m.tokenString(256));
    assertEquals("un", m.tokenString(257));
    assertEquals("hug", m.tokenString(258));
    assertEquals(259, m.specialId("<|endoftext|>"));
    assertEquals(260, m.vocabSize());
    assertArrayEquals(new int[] {258, 's'}, m.encode("hugs"));
    assertArrayEquals(new int[] {'b', 257}, m.encode("bun"));
    // Training stops early when no pair reaches min_frequency.
    assertEquals(3, new BpeTrainer(1000, List.of("<|endoftext|>"), 13).train(counts).mergeCount()); // next best: "p un" 12
    assertEquals(2, new BpeTrainer(1000, List.of("<|endoftext|>"), 16).train(counts).mergeCount()); // "h ug" 15 < 16
  }

  @Test
  void mergingACommonByteStringTwiceReusesItsId() {
    // "aaa" chunks: the first merge is (a, a); later (aa, a) makes "aaa". Every token string is unique.
    Map<String, Long> counts = Map.of("aaaa", 10L, "aaa", 7L, "ba", 3L);
    BpeModel m = new BpeTrainer(300, List.of("<|endoftext|>")).train(counts);
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < m.vocabSize(); i++) assertTrue(seen.add(m.tokenString(i)), "duplicate " + m.tokenString(i));
    assertEquals("aaaa", m.decode(m.encode("aaaa")));
    assertEquals(1, m.encode("aaaa").length);
  }

  @Test
  void rejectsATooSmallVocabulary() {
    assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(256, List.of("<|endoftext|>")));
    assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(300, List.of("<s>", "<s>")));
  }

  @Test
  void huggingFaceLoadsTheTrainedTokenizerAndAgreesWithTheJavaEncoder(@TempDir Path dir) {
    List<String> texts = List.of("hello world, hello there 12345 hello", "中文分词很有意思。中文很好，中文", "Привет, мир! Привет, Привет",
        "tabs\tand\nnew lines\r\n  indented  ", "emoji 😀😀 and ü ö ä", "literal <|endoftext|> inside");
    BpeModel m = new BpeTrainer(320, List.of("<|endoftext|>", "<pad>")).train(BpeTrainer.countChunks(texts));
    Path f = dir.resolve("tokenizer.json");
    m.writeTokenizerJson(f);
    try (HfTokenizer hf = HfTokenizer.load(f)) {
      assertEquals(m.vocabSize(), hf.vocabSize());
      assertEquals(m.specialId("<|endoftext|>"), hf.eotId());
      for (String t : texts) {
        int[] ids = hf.encode(t);
        assertEquals(t, hf.decode(ids));
        assertArrayEquals(m.encode(t), ids, t);
      }
      // Special tokens inside text are text (issue 14; SpecialTokensAsTextTest covers every kind).
      int[] lit = hf.encode("a<|endoftext|>b");
      assertEquals(false, java.util.Arrays.stream(lit).anyMatch(i -> i == hf.eotId()));
    }
    // </s> is the fallback end-of-text token.
    BpeModel s = new BpeTrainer(300, List.of("<s>", "</s>")).train(BpeTrainer.countChunks(texts));
    Path f2 = dir.resolve("s/tokenizer.json");
    s.writeTokenizerJson(f2);
    try (TokenizerAdapter hf = Tokenizers.open("hf:" + f2)) {
      assertEquals(s.specialId("</s>"), hf.eotId());
    }
    try (TokenizerAdapter hf = Tokenizers.open("hf:" + f2, "<s>")) {
      assertEquals(s.specialId("<s>"), hf.eotId());
    }
    assertThrows(IllegalArgumentException.class, () -> HfTokenizer.load(f2, "<|endoftext|>"));
  }
}
