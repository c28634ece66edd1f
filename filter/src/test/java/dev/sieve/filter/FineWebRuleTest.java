package dev.sieve.filter;

import static dev.sieve.filter.RuleTestTexts.EN;
import static dev.sieve.filter.RuleTestTexts.ZH;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FineWebRule} with known verdicts. */
class FineWebRuleTest {
  @Test
  void knownVerdicts() {
    String menu = String.join("\n", List.of("Home", "About us", "Contact", "Products and services", "Blog", "Careers", "Login"));
    assertEquals("fineweb_line_punct_ratio", new FineWebRule().apply(new DocText(menu, "en")).rule());
    String dupLines = EN + "\nSubscribe to our newsletter today for more.\n".repeat(3);
    assertEquals("fineweb_char_dup_ratio", new FineWebRule().apply(new DocText(dupLines, "en")).rule());
    assertEquals(Verdict.keep(), new FineWebRule().apply(new DocText(ZH, "zh")));
    assertEquals(Verdict.keep(), new FineWebRule().apply(new DocText(EN, "en")));
    assertEquals(Verdict.reject("fineweb_empty", 0, 1), new FineWebRule().apply(new DocText(" \n\t\n", "en")));
  }

  @Test
  void badSettingNamesItsKey() {
    RuleTestTexts.assertBadSetting("filter:\n  fineweb:\n    max_char_dup_ratio: 2\n", "filter.fineweb.max_char_dup_ratio");
  }
}
