package dev.sieve.filter;

import static dev.sieve.filter.RuleTestTexts.EN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link LanguageRule} with known verdicts. */
class LanguageRuleTest {
  @Test
  void knownVerdicts() {
    LanguageRule r = new LanguageRule(Set.of("en", "zh"), 0.3, true);
    assertEquals("language_not_allowed", r.apply(new DocText(EN, "de", 0.9, null)).rule());
    assertEquals(Verdict.reject("language_low_score", 0.2, 0.3), r.apply(new DocText(EN, "en", 0.2, null)));
    assertEquals("language_mismatch", r.apply(new DocText(EN, "en", 0.9, "zh")).rule());
    assertEquals(Verdict.keep(), r.apply(new DocText(EN, "en", 0.9, "en-US")));
    assertEquals(Verdict.keep(), new LanguageRule(Set.of(), 0.3, false).apply(new DocText(EN, "en", 0.9, "zh")), "mismatch allowed when told");
  }

  @Test
  void badSettingNamesItsKey() {
    RuleTestTexts.assertBadSetting("filter:\n  language:\n    min_score: 1.5\n", "filter.language.min_score");
  }
}
