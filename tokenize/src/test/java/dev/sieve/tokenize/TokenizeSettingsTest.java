package dev.sieve.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenizeSettingsTest {
  private static TokenizeSettings parse(String yaml) {
    return SieveConfig.parse(yaml).section("tokenize", TokenizeSettings.class);
  }

  private static void assertBad(String yaml, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
    assertTrue(e.getMessage().contains("'" + key + "'") || e.getMessage().contains(key), e.getMessage());
  }

  @Test
  void defaults() {
    TokenizeSettings s = SieveConfig.defaults().section("tokenize", TokenizeSettings.class);
    assertEquals(TokenizeSettings.DEFAULT_TOKENIZER, s.tokenizer);
    assertEquals("default", s.dataset);
    assertEquals(100_000_000L, s.shardTokens);
    assertEquals(0.005, s.validationFraction);
    assertEquals(1234, s.seed);
    assertEquals("natural", s.mixture.mode);
    assertEquals(0.3, s.mixture.alpha);
    assertEquals(32_000, s.bpe.vocabSize);
    assertEquals(List.of("<|endoftext|>"), s.bpe.specialTokens);
    assertNull(s.mixtureWeights(Map.of("en", 1L)));
  }

  @Test
  void parsesNestedSections() {
    TokenizeSettings s = parse("""
        tokenize:
          tokenizer: bpe
          dataset: zh-en.v1
          shard_tokens: 0
          shard_bytes: 1000000
          validation_fraction: 0.01
          seed: 7
          mixture: {mode: weights, by: source, weights: {commoncrawl: 2, wudao: 1}, max_repeats: 4}
          bpe: {vocab_size: 50000, special_tokens: ["<|endoftext|>", "<pad>"], min_frequency: 3}
        """);
    assertEquals("bpe", s.tokenizer);
    assertEquals(1_000_000, s.shardBytes);
    assertEquals(Map.of("commoncrawl", 2.0, "wudao", 1.0), s.mixture.weights);
    assertEquals(50_000, s.bpe.vocabSize);
    assertEquals(List.of("<|endoftext|>", "<pad>"), s.bpe.specialTokens);
    assertEquals(3, s.bpe.minFrequency);
    assertEquals(4.0, s.mixture.maxRepeats);
    MixtureWeights m = s.mixtureWeights(Map.of("commoncrawl", 100L, "wudao", 100L));
    assertEquals(2.0 / 3, m.shares().get("commoncrawl"), 1e-12);
    assertEquals(0.01, s.validationFraction);
    assertEquals(7, s.seed);
  }

  @Test
  void badValuesNameTheKey() {
    assertBad("tokenize: {tokenizer: 'tiktoken:p50k_base'}", "tokenize.tokenizer");
    assertBad("tokenize: {tokenizer: 'sentencepiece'}", "tokenize.tokenizer");
    assertBad("tokenize: {dataset: 'a/b'}", "tokenize.dataset");
    assertBad("tokenize: {shard_tokens: 0, shard_bytes: 0}", "tokenize.shard_tokens");
    assertBad("tokenize: {shard_bytes: -1}", "tokenize.shard_bytes");
    assertBad("tokenize: {validation_fraction: 0.9}", "tokenize.validation_fraction");
    assertBad("tokenize: {mixture: {mode: uniform}}", "tokenize.mixture.mode");
    assertBad("tokenize: {mixture: {by: domain}}", "tokenize.mixture.by");
    assertBad("tokenize: {mixture: {alpha: 2}}", "tokenize.mixture.alpha");
    assertBad("tokenize: {mixture: {weights: {en: -1}}}", "tokenize.mixture.weights.en");
    assertBad("tokenize: {mixture: {mode: weights}}", "tokenize.mixture.weights");
    assertBad("tokenize: {mixture: {temperature: 0.3}}", "tokenize.mixture.temperature");
    assertBad("tokenize: {bpe: {vocab_size: 100}}", "tokenize.bpe.vocab_size");
    assertBad("tokenize: {bpe: {special_tokens: []}}", "tokenize.bpe.special_tokens");
    assertBad("tokenize: {bpe: {special_tokens: ['<s>', '<s>']}}", "tokenize.bpe.special_tokens");
    assertBad("tokenize: {tokenizer: bpe, bpe: {special_tokens: ['<s>']}}", "tokenize.bpe.special_tokens");
    assertBad("tokenize: {bpe: {min_frequency: 0}}", "tokenize.bpe.min_frequency");
    assertBad("tokenize: {seed: abc}", "tokenize.seed");
  }
}
