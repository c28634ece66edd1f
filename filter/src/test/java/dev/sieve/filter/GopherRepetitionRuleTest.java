package dev.sieve.filter;

import static dev.sieve.filter.RuleTestTexts.EN;
import static dev.sieve.filter.RuleTestTexts.ZH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link GopherRepetitionRule} with known verdicts and measured fractions. */
class GopherRepetitionRuleTest {
  private final GopherRepetitionRule r = new GopherRepetitionRule();

  @Test
  void knownVerdicts() {
    String repeated = "One line here.\n" + "The same line again and again.\n".repeat(10);
    Verdict v = r.apply(new DocText(repeated, "en"));
    assertEquals("gopher_dup_para_frac", v.rule());
    assertEquals(9 / 11.0, v.value(), 1e-9);
    String ngrams = EN + " " + "buy cheap watches now ".repeat(40);
    assertTrue(r.apply(new DocText(ngrams, "en")).rule().startsWith("gopher_"), r.apply(new DocText(ngrams, "en")).toString());
    assertEquals(Verdict.keep(), r.apply(new DocText(EN, "en")));
    assertEquals(Verdict.keep(), r.apply(new DocText(ZH, "zh")));
    String zhRepeated = ZH + "\n" + (ZH.substring(0, 60) + "\n").repeat(8);
    assertTrue(!r.apply(new DocText(zhRepeated, "zh")).kept());
  }

  @Test
  void ngramFractionsAsDatatroveCountsThem() {
    // 12 words of 1 character; "a b" is the top 2-gram, 4 times: 8 of 12 characters.
    GopherRepetitionRule.NgramScratch s = new GopherRepetitionRule.NgramScratch(new DocText("a b a b a b a b c d e f", "en"));
    assertEquals(8 / 12.0, s.topNgramCharFrac(2, 12), 1e-12);
    // Duplicated 2-grams, scanning left to right and jumping past each repeat: "a b" at 2, 4 and 6.
    assertEquals(6 / 12.0, s.dupNgramCharFrac(2, 12), 1e-12);
    assertEquals(10 / 12.0, s.topNgramCharFrac(5, 12), 1e-12, "\"a b a b a\" at 0 and 2 (overlapping)");
    assertEquals(0, s.topNgramCharFrac(8, 12), 1e-12, "no 8-gram repeats");
    // Paragraphs between empty lines (ASCII white space between the breaks), compared whole.
    DocText paras = new DocText("first para\nstill first\n \t\nsecond\n\n\nfirst para\nstill first", "en");
    assertEquals(java.util.List.of("first para\nstill first", "second", "first para\nstill first"), paras.paragraphs());
    assertEquals(1 / 3.0, paras.duplicateParagraphs()[0], 1e-12);
  }

  @Test
  void badSettingNamesItsKey() {
    RuleTestTexts.assertBadSetting("filter:\n  gopher_repetition:\n    max_dup_line_frac: -0.1\n", "filter.gopher_repetition.max_dup_line_frac");
    RuleTestTexts.assertBadSetting("filter:\n  gopher_repetition:\n    max_top_ngram_frac: [0.2, 0.18]\n", "filter.gopher_repetition.max_top_ngram_frac");
    assertThrows(IllegalArgumentException.class, () -> new GopherRepetitionRule(0.3, 0.3, 0.2, 0.2, new double[2], new double[6]));
  }
}
