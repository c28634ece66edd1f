package dev.sieve.filter;

import static dev.sieve.filter.RuleTestTexts.EN;
import static dev.sieve.filter.RuleTestTexts.ZH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import org.junit.jupiter.api.Test;

/** The chain built from YAML: defaults, thresholds changed without a rebuild, bad keys and values. */
class FilterSettingsTest {
  @Test
  void goodEnglishAndChinesePassEveryRule() {
    RuleChain chain = RuleChain.fromSettings(new FilterSettings());
    assertEquals(Verdict.keep(), chain.apply(new DocText(EN, "en", 0.99, "en")));
    assertEquals(Verdict.keep(), chain.apply(new DocText(ZH, "zh", 1.0, "zh")));
  }

  @Test
  void thresholdsComeFromYamlWithoutRebuild() {
    String twentyWords = "the cat and the dog sat on the mat with a hat, and that was all of it in the end today.";
    DocText doc = new DocText(twentyWords, "en", 0.9, "en");
    FilterSettings defaults = SieveConfig.defaults().section("filter", FilterSettings.class);
    assertEquals("gopher_short_doc", RuleChain.fromSettings(defaults).apply(doc).rule());
    FilterSettings lenient = SieveConfig.parse("filter:\n  rules: [gopher_quality]\n  gopher_quality:\n    min_words: 10\n")
        .section("filter", FilterSettings.class);
    assertEquals(Verdict.keep(), RuleChain.fromSettings(lenient).apply(doc));
    ConfigException e = assertThrows(ConfigException.class,
        () -> SieveConfig.parse("filter:\n  gopher_quality:\n    min_wordz: 10\n"));
    assertTrue(e.getMessage().startsWith("unknown config key 'filter.gopher_quality.min_wordz'"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> SieveConfig.parse("filter:\n  rules: [gopher, c4]\n"));
    assertTrue(e.getMessage().contains("unknown rule 'gopher'"), e.getMessage());
    RuleTestTexts.assertBadSetting("filter:\n  classifier:\n    threshold: 1.5\n", "filter.classifier.threshold");
  }

  @Test
  void javadocListsAreTheConstants() {
    // FilterSettings' Javadoc writes these two lists out ({@value} cannot show an array).
    assertArrayEquals(new double[] {0.2, 0.18, 0.16}, GopherRepetitionRule.DEFAULT_MAX_TOP_NGRAM_FRAC);
    assertArrayEquals(new double[] {0.15, 0.14, 0.13, 0.12, 0.11, 0.1}, GopherRepetitionRule.DEFAULT_MAX_DUP_NGRAM_FRAC);
  }
}
