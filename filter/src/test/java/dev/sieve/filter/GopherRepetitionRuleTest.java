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

  /**
   * The pruned n-gram scan (each n only where the shorter gram repeats) gives exactly the measures
   * of a plain scan over every position with n-grams as joined strings, for n in any order.
   */
  @Test
  void prunedNgramMeasuresEqualAPlainScanOfJoinedStrings() {
    java.util.Random rnd = new java.util.Random(7);
    String[] vocab = {"a", "bb", "ccc", "dddd", "the", "of", "watch", "now", "x", "yy"};
    for (int doc = 0; doc < 400; doc++) {
      int words = 1 + rnd.nextInt(doc % 4 == 0 ? 400 : 60);
      int v = 2 + rnd.nextInt(vocab.length - 1); // small vocabularies repeat a lot
      StringBuilder sb = new StringBuilder();
      for (int w = 0; w < words; w++) sb.append(w == 0 ? "" : " ").append(vocab[rnd.nextInt(v)]);
      String text = sb.toString();
      String[] toks = text.split(" ");
      long chars = text.replace(" ", "").length();
      DocText d = new DocText(text, "en");
      GopherRepetitionRule.NgramScratch s = new GopherRepetitionRule.NgramScratch(d);
      int[] order = doc % 3 == 0 ? new int[] {5, 2, 9, 3, 3, 10, 1, 7} : new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10};
      for (int n : order) {
        assertEquals(plainTop(toks, n, chars), s.topNgramCharFrac(n, chars), 1e-12, "top " + n + " of " + text);
        assertEquals(plainDup(toks, n, chars), s.dupNgramCharFrac(n, chars), 1e-12, "dup " + n + " of " + text);
      }
    }
  }

  private static String gram(String[] t, int i, int n) {
    return String.join(" ", java.util.Arrays.asList(t).subList(i, i + n));
  }

  private static double plainTop(String[] t, int n, long chars) {
    java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    String best = null;
    int bestCount = 0;
    for (int i = 0; i + n <= t.length; i++) {
      String g = gram(t, i, n);
      int c = counts.merge(g, 1, Integer::sum);
      if (c > bestCount) {
        bestCount = c;
        best = g;
      }
    }
    return bestCount <= 1 ? 0 : best.replace(" ", "").length() * (long) bestCount / (double) chars;
  }

  private static double plainDup(String[] t, int n, long chars) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    long dup = 0;
    for (int i = 0; i + n <= t.length; ) {
      String g = gram(t, i, n);
      if (seen.contains(g)) {
        dup += g.replace(" ", "").length();
        i += n;
      } else {
        seen.add(g);
        i++;
      }
    }
    return dup / (double) chars;
  }
}
