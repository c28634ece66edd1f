package dev.sieve.decontaminate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scanner against a small benchmark set with known answers: items planted verbatim, with
 * edits of case, punctuation, whitespace and full-width characters, and in Chinese, are found
 * with their spans in the original text; texts that share only common phrases are not.
 */
class DecontaminatorTest {
  static final String GSM = "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. "
      + "How many clips did Natalia sell altogether in April and May?";
  static final String MMLU_Q = "Which of the following statements about the enzyme catalase is correct when it acts on hydrogen peroxide in the liver?";
  static final String CEVAL = "下列关于中华人民共和国宪法修改程序的说法中，哪一项是正确的选项";
  static final String SHORT = "The quick brown fox jumps over lazy dogs"; // 8 words: indexed whole

  static BenchmarkIndex index() {
    return BenchmarkIndex.builder(13, 13, 8)
        .benchmark("gsm8k").add("gsm-1", List.of(GSM, "72"))
        .benchmark("mmlu").add("mmlu-7", List.of(MMLU_Q, "It is a protein", "It is a lipid"))
        .add("mmlu-8", List.of(SHORT))
        .benchmark("ceval").add("ceval-3", List.of(CEVAL, "A"))
        .build();
  }

  final Decontaminator d = new Decontaminator(index());

  static String around(String planted) {
    return "Yesterday I was reading a forum thread about homework help. Someone posted: " + planted
        + " Then several people replied with their answers and a long discussion followed.";
  }

  @Test
  void verbatimItemIsFoundWithItsSpan() {
    String doc = around(GSM);
    Decontaminator.Scan s = d.scan(doc);
    assertTrue(s.contaminated());
    assertEquals(1, s.hits().size());
    Decontaminator.Hit h = s.hits().get(0);
    assertEquals("gsm8k", h.benchmark());
    assertEquals("gsm-1", h.itemId());
    int words = GSM.split("\\s+").length; // 30 words, no punctuation-only tokens
    assertEquals(words - 13 + 1, h.ngrams());
    int at = doc.indexOf(GSM);
    assertEquals(at, h.spanStart());
    // The span ends after the last word ("May"), the question mark is not part of a unit.
    assertEquals(at + GSM.length() - 1, h.spanEnd());
    assertEquals("gsm8k", s.mainBenchmark(List.of("gsm8k", "mmlu", "ceval")));
  }

  @Test
  void caseAndPunctuationAndWhitespaceEditsAreFound() {
    String edited = GSM.toUpperCase().replace(",", "").replace(" in May", "  in\n\tMay;").replace("?", "!!");
    assertEquals("gsm-1", d.scan(around(edited)).hits().get(0).itemId());
    String quotes = MMLU_Q.replace("enzyme catalase", "enzyme, \"catalase\"").replace("the liver", "the - liver");
    assertEquals("mmlu-7", d.scan(around(quotes)).hits().get(0).itemId());
  }

  @Test
  void fullWidthCharactersAreFound() {
    StringBuilder fw = new StringBuilder();
    for (char c : GSM.toCharArray()) {
      if (c >= '!' && c <= '~') fw.append((char) (c + 0xFEE0));
      else if (c == ' ') fw.append('\u3000');
      else fw.append(c);
    }
    String doc = around(fw.toString());
    Decontaminator.Scan s = d.scan(doc);
    assertEquals(List.of("gsm-1"), s.hits().stream().map(Decontaminator.Hit::itemId).toList());
    assertEquals(doc.indexOf(fw.toString()), s.hits().get(0).spanStart());
  }

  @Test
  void chineseIsFoundByCharacters() {
    String doc = "昨天我在论坛上看到一道题：" + CEVAL + "。大家讨论了很久，最后老师给出了答案。";
    Decontaminator.Scan s = d.scan(doc);
    assertEquals(1, s.hits().size());
    assertEquals("ceval", s.hits().get(0).benchmark());
    assertEquals("ceval-3", s.hits().get(0).itemId());
    int at = doc.indexOf(CEVAL);
    assertEquals(at, s.hits().get(0).spanStart());
    assertEquals(at + CEVAL.length(), s.hits().get(0).spanEnd());
    // Full-width comma replaced by an ASCII one and spaces added: still found.
    String edited = CEVAL.replace("，", ", ").replace("宪法", "宪 法");
    assertTrue(d.scan("题目 " + edited + " 完").contaminated());
  }

  @Test
  void partialOverlapOfThirteenWordsIsEnough() {
    String thirteen = "sold half as many clips in May. How many clips did Natalia sell";
    assertEquals("gsm-1", d.scan("Look: " + thirteen + " was asked.").hits().get(0).itemId());
    String twelve = "half as many clips in May. How many clips did Natalia sell";
    assertFalse(d.scan("Look: " + twelve + " was asked.").contaminated());
  }

  @Test
  void commonPhrasesAloneAreNotFound() {
    String doc = "How many clips did you buy in April? Which of the following statements about the weather is correct? "
        + "It is a protein shake, it is a lipid. The quick brown fox. 下列关于中华人民共和国的说法中，哪一项是正确的？ 72 A";
    assertFalse(d.scan(doc).contaminated(), () -> d.scan(doc).hits().toString());
    assertFalse(d.scan("").contaminated());
    assertFalse(d.scan(null).contaminated());
  }

  @Test
  void shortItemsAreMatchedWholeAndTooShortOnesIgnored() {
    // 8 words: below 13, at least min_tokens: matched as a whole.
    Decontaminator.Scan s = d.scan("She said: the quick, brown fox jumps over lazy dogs!");
    assertEquals(List.of("mmlu-8"), s.hits().stream().map(Decontaminator.Hit::itemId).toList());
    // Seven of its eight words: not.
    assertFalse(d.scan("She said: the quick brown fox jumps over lazy cats").contaminated());
    // "It is a protein" (4 words) and "72" are below min_tokens: never indexed.
    assertFalse(d.scan("It is a protein. 72. A").contaminated());
  }

  @Test
  void cutRemovesExactlyTheMatchedSpans() {
    String doc = "Intro line. " + GSM + " Middle part here. " + CEVAL + " End.";
    Decontaminator.Scan s = d.scan(doc);
    assertEquals(2, s.hits().size());
    assertEquals(4, s.spans().length);
    String cut = s.cut(doc);
    assertEquals("Intro line. ? Middle part here.  End.", cut);
    assertFalse(d.scan(cut).contaminated());
    assertEquals(doc.length() - cut.length(), s.spanChars());
    // Ties in n-grams go to the benchmark configured first; here gsm8k has more.
    assertEquals("gsm8k", s.mainBenchmark(List.of("gsm8k", "mmlu", "ceval")));
  }

  @Test
  void unitsKeepOriginalOffsets() {
    Tokens t = new Tokens().tokenize("Ｈｅｌｌｏ, wor'ld 中文ﬁx");
    assertEquals(5, t.size());
    assertEquals(0, t.start(0));
    assertEquals(5, t.end(0));
    assertEquals(7, t.start(1));
    assertEquals(13, t.end(1));
    assertTrue(t.isCjk(2));
    assertEquals(14, t.start(2));
    assertEquals(16, t.start(4));
    assertEquals(18, t.end(4));
  }

  @Test
  void fingerprintFollowsContentAndSettings() {
    String a = index().fingerprint();
    assertEquals(a, index().fingerprint());
    String b = BenchmarkIndex.builder(13, 13, 8).benchmark("gsm8k").add("gsm-1", List.of(GSM, "73")).build().fingerprint();
    assertFalse(a.equals(b));
    String c = BenchmarkIndex.builder(12, 13, 8).benchmark("gsm8k").add("gsm-1", List.of(GSM, "73")).build().fingerprint();
    assertFalse(b.equals(c));
  }
}
