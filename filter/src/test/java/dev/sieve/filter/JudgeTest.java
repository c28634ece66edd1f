package dev.sieve.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Doc;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JudgeTest {
  /** Rejects a text containing "spam" (value 1, threshold 0). */
  static final FilterRule NO_SPAM = new FilterRule() {
    @Override
    public String name() {
      return "no_spam";
    }

    @Override
    public Verdict apply(DocText doc) {
      return doc.text().contains("spam") ? Verdict.reject("no_spam", 1, 0) : Verdict.keep();
    }
  };

  static Doc doc(String id, String text) {
    return Doc.builder().docId(id).source("commoncrawl").text(text).language("en").languageScore(0.9).build();
  }

  static FilterSettings.Classifier classifier(double threshold, double alpha) {
    FilterSettings.Classifier c = new FilterSettings.Classifier();
    c.threshold = threshold;
    c.paretoAlpha = alpha;
    return c;
  }

  static Judge judge(Judge.Scorer scorer, double threshold, double alpha) {
    return new Judge(new RuleChain(List.of(NO_SPAM)), classifier(threshold, alpha), scorer);
  }

  @Test
  void keptWithoutClassifierHasOnlySignals() {
    Judgement j = judge(null, 0.5, 0).judge(doc("a", "one two three\nfour"));
    assertTrue(j.kept());
    assertNull(j.stage());
    assertNull(j.rule());
    assertNull(j.value());
    assertNull(j.threshold());
    assertNull(j.qualityScore());
    assertEquals(List.of("words", "lines", "cjk_chars"), List.copyOf(j.signals().keySet()));
    assertEquals(4.0, j.signals().get("words"));
    assertEquals(2.0, j.signals().get("lines"));
    assertEquals(0.0, j.signals().get("cjk_chars"));
  }

  @Test
  void coarseRejectionSkipsTheClassifier() {
    Judgement j = judge(text -> { throw new AssertionError("classifier ran on a coarse reject"); }, 0.5, 0).judge(doc("a", "buy spam now"));
    assertFalse(j.kept());
    assertEquals(Judge.STAGE_COARSE, j.stage());
    assertEquals("no_spam", j.rule());
    assertEquals(1.0, j.value());
    assertEquals(0.0, j.threshold());
    assertNull(j.qualityScore());
  }

  @Test
  void classifierThresholdKeepsAtOrAboveIt() {
    Judgement low = judge(text -> 0.4, 0.5, 0).judge(doc("a", "fine text"));
    assertFalse(low.kept());
    assertEquals(Judge.STAGE_QUALITY, low.stage());
    assertEquals(Judge.RULE_CLASSIFIER, low.rule());
    assertEquals(0.4, low.value());
    assertEquals(0.5, low.threshold());
    assertEquals(0.4, low.qualityScore());
    Judgement edge = judge(text -> 0.5, 0.5, 0).judge(doc("a", "fine text"));
    assertTrue(edge.kept());
    assertEquals(0.5, edge.qualityScore());
    assertNull(edge.rule());
    assertNull(edge.value());
  }

  @Test
  void paretoSamplingIsSeededByDocIdAndKeepsTheExpectedShare() {
    double alpha = 1.0;
    double score = 0.5;
    Judge j = judge(text -> score, 0.99, alpha); // the threshold plays no part under Pareto sampling
    int kept = 0;
    int n = 4000;
    for (int i = 0; i < n; i++) {
      String id = "doc-" + i;
      Judgement a = j.judge(doc(id, "fine text"));
      assertEquals(QualityClassifier.paretoKeep(score, id, alpha), a.kept(), id);
      assertEquals(a.kept(), judge(text -> score, 0.99, alpha).judge(doc(id, "other text, same id")).kept(), "a rerun agrees for " + id);
      if (a.kept()) {
        kept++;
      } else {
        assertEquals(Judge.STAGE_QUALITY, a.stage());
        assertEquals(Judge.RULE_PARETO, a.rule());
        assertEquals(score, a.value());
        assertEquals(alpha, a.threshold());
      }
    }
    // Lomax(α): P(X > 1 - s) = (2 - s)^-α = 2/3 here.
    assertEquals(Math.pow(2 - score, -alpha), kept / (double) n, 0.03);
  }

  @Test
  void declaredLanguageReadsHtmlLangThenLangThenWudao() {
    assertEquals("zh-cn", Judge.declaredLanguage(Map.of("html_lang", "zh-CN", "lang", "en"), "commoncrawl"));
    assertEquals("en", Judge.declaredLanguage(Map.of("html_lang", "  ", "lang", "EN"), "commoncrawl"));
    assertEquals("de", Judge.declaredLanguage(Map.of("lang", "de"), Judge.WUDAO)); // metadata wins over the corpus
    assertEquals("zh", Judge.declaredLanguage(Map.of(), Judge.WUDAO));
    assertEquals("zh", Judge.declaredLanguage(null, Judge.WUDAO));
    assertNull(Judge.declaredLanguage(Map.of("title", "x"), "commoncrawl"));
    assertNull(Judge.declaredLanguage(null, null));
    Map<String, String> withNull = new HashMap<>();
    withNull.put("html_lang", null);
    assertEquals("fr", Judge.declaredLanguage(Map.of("lang", "fr"), "jsonl"));
    assertNull(Judge.declaredLanguage(withNull, "commoncrawl"));
  }

  @Test
  void theDeclaredLanguageReachesTheRules() {
    Judge j = new Judge(new RuleChain(List.of(new LanguageRule(Set.of(), 0.0, true))), classifier(0.5, 0), null);
    Doc en = doc("a", "hello there").toBuilder().putMetadata("html_lang", "zh").build();
    assertEquals("language_mismatch", j.judge(en).rule());
    assertTrue(j.judge(doc("b", "hello there").toBuilder().putMetadata("html_lang", "en-US").build()).kept());
    Doc wudao = doc("c", "hello there").toBuilder().source(Judge.WUDAO).build();
    assertEquals("language_mismatch", j.judge(wudao).rule());
    assertEquals("zh", Judge.docText(wudao).declaredLanguage());
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Judge(null, classifier(0.5, 0), null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> judge(null, 0.5, -1));
    assertTrue(e.getMessage().contains("pareto_alpha"), e.getMessage());
  }
}
