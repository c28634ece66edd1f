package dev.sieve.filter;

import static dev.sieve.filter.RuleTestTexts.EN;
import static dev.sieve.filter.RuleTestTexts.ZH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import org.junit.jupiter.api.Test;

/** {@link GopherQualityRule} with known verdicts. */
class GopherQualityRuleTest {
  private final GopherQualityRule r = new GopherQualityRule();

  @Test
  void knownVerdicts() {
    assertEquals(Verdict.reject("gopher_short_doc", 4, 50), r.apply(new DocText("only four words here", "en")));
    String noStop = String.join(" ", Collections.nCopies(60, "Bananas apples oranges."));
    assertEquals(Verdict.reject("gopher_stop_words", 0, 2), r.apply(new DocText(noStop, "en")));
    String hashes = EN + " " + "#tag ".repeat(150);
    assertEquals("gopher_symbol_word_ratio", r.apply(new DocText(hashes, "en")).rule());
    String bullets = String.join("\n", Collections.nCopies(60, "• the item and the thing to buy"));
    assertEquals("gopher_bullet_lines_ratio", r.apply(new DocText(bullets, "en")).rule());
    String numbers = EN + " " + "12 34 56 78 90 ".repeat(60);
    assertEquals("gopher_alpha_words_ratio", r.apply(new DocText(numbers, "en")).rule());
    assertEquals(Verdict.keep(), r.apply(new DocText(EN, "en")));
  }

  @Test
  void wordsAreWhitespaceTokensOrCjkCharacters() {
    DocText en = new DocText("  The cat\u00a0sat\ton the   mat.\n", "en");
    assertEquals(java.util.List.of("The", "cat\u00a0sat", "on", "the", "mat."), en.words(), "ASCII white space separates, as Gopher's split");
    assertEquals(2, en.stopWords());
    DocText zh = new DocText("我们在2021年用了GPT-4，很好。", "zh");
    assertEquals(java.util.List.of("我", "们", "在", "2021", "年", "用", "了", "GPT", "4", "很", "好"), zh.words());
    DocText article = new DocText(ZH, "zh", 1.0, "zh");
    assertTrue(article.wordCount() >= 50, "a Chinese article has words without spaces: " + article.wordCount());
    assertEquals(Verdict.keep(), r.apply(article));
  }

  @Test
  void badSettingNamesItsKey() {
    RuleTestTexts.assertBadSetting("filter:\n  gopher_quality:\n    min_alpha_words_ratio: 1.5\n", "filter.gopher_quality.min_alpha_words_ratio");
    RuleTestTexts.assertBadSetting("filter:\n  gopher_quality:\n    min_words: 60\n    max_words: 10\n", "filter.gopher_quality.max_words");
  }
}
