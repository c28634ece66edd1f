package dev.sieve.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TokenizersTest {
  @Test
  void tiktokenKnownIds() {
    try (TokenizerAdapter t = Tokenizers.open("tiktoken:cl100k_base")) {
      assertEquals("tiktoken:cl100k_base", t.name());
      assertEquals("jtokkit-1.1.0/cl100k_base", t.version());
      assertEquals(100257, t.eotId());
      assertEquals(100277, t.vocabSize());
      assertArrayEquals(new int[] {15339, 1917}, t.encode("hello world"));
      // Literal special-token text in a document stays text.
      int[] lit = t.encode("<|endoftext|>");
      assertEquals("<|endoftext|>", t.decode(lit));
      assertEquals(false, java.util.Arrays.stream(lit).anyMatch(i -> i == 100257));
      assertEquals("a<|endoftext|>", t.decode(new int[] {64, 100257}));
    }
    try (TokenizerAdapter t = Tokenizers.open("tiktoken:o200k_base")) {
      assertEquals(199999, t.eotId());
      assertEquals(200019, t.vocabSize());
      assertArrayEquals(new int[] {24912, 2375}, t.encode("hello world"));
    }
  }

  @Test
  void specs() {
    assertNull(Tokenizers.checkSpec("tiktoken:cl100k_base"));
    assertNull(Tokenizers.checkSpec("hf:/x/tokenizer.json"));
    assertNotNull(Tokenizers.checkSpec("tiktoken:p50k_base"));
    assertNotNull(Tokenizers.checkSpec("hf:"));
    assertNotNull(Tokenizers.checkSpec("sentencepiece:/x.model"));
    assertNotNull(Tokenizers.checkSpec(null));
    assertThrows(IllegalArgumentException.class, () -> Tokenizers.open("cl100k_base"));
    assertThrows(IllegalArgumentException.class, () -> Tokenizers.open("hf:/no/such/tokenizer.json"));
  }
}
