package dev.sieve.filter;

import static dev.sieve.filter.RuleTestTexts.EN;
import static dev.sieve.filter.RuleTestTexts.ZH;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link C4Rule} with known verdicts. */
class C4RuleTest {
  @Test
  void knownVerdicts() {
    assertEquals("c4_lorem_ipsum", new C4Rule().apply(new DocText(EN + "\nLorem ipsum dolor sit amet.", "en")).rule());
    assertEquals("c4_lorem_ipsum", new C4Rule().apply(new DocText(EN + "\nLOREM IPSUM dolor sit amet.", "en")).rule(), "any case");
    assertEquals("c4_curly_bracket", new C4Rule().apply(new DocText(EN + "\nfunction f() { return 1; }", "en")).rule());
    assertEquals(Verdict.reject("c4_too_few_sentences", 2, 5), new C4Rule().apply(new DocText("This is one sentence here. And this is another one.", "en")));
    // Lines about JavaScript or cookies, and lines of fewer than 3 words, hold no sentences for C4.
    String boilerplate = "Please enable JavaScript to view this page. It is needed. Really! Truly. Yes.\nThis site uses cookies. Many. Of. Them. Ok.\nShort one.\n";
    assertEquals(Verdict.reject("c4_too_few_sentences", 0, 5), new C4Rule().apply(new DocText(boilerplate, "en")));
    assertEquals(Verdict.keep(), new C4Rule().apply(new DocText(EN, "en")));
    assertEquals(Verdict.keep(), new C4Rule().apply(new DocText(ZH, "zh")), "no sentence count for Chinese");
  }

  @Test
  void badSettingNamesItsKey() {
    RuleTestTexts.assertBadSetting("filter:\n  c4:\n    min_sentences: -1\n", "filter.c4.min_sentences");
  }
}
