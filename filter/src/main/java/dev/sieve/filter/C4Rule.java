package dev.sieve.filter;

import java.util.List;
import java.util.Locale;

/**
 * C4's page-level heuristics (Raffel et al. 2020, "Exploring the Limits of Transfer Learning with a
 * Unified Text-to-Text Transformer", section 2.2), as datatrove's {@code C4QualityFilter}: a page
 * containing "lorem ipsum" or a curly bracket is dropped, and so is a page with fewer than 5
 * sentences once the lines C4 removes are gone (lines without terminal punctuation, lines with
 * fewer than 3 words, lines mentioning javascript, cookie and privacy-policy boilerplate). The
 * line removal is measured, not applied: this rule only decides. The sentence count is not used
 * for CJK text (see {@link ChineseQualityRule}).
 */
public final class C4Rule implements FilterRule {
  public static final int DEFAULT_MIN_SENTENCES = 5;
  public static final int DEFAULT_MIN_WORDS_PER_LINE = 3;
  private static final String[] POLICY = {"terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"};
  private static final String SENTENCE_END = ".!?。！？";

  private final int minSentences;
  private final int minWordsPerLine;

  public C4Rule() {
    this(DEFAULT_MIN_SENTENCES, DEFAULT_MIN_WORDS_PER_LINE);
  }

  public C4Rule(int minSentences, int minWordsPerLine) {
    this.minSentences = minSentences;
    this.minWordsPerLine = minWordsPerLine;
  }

  @Override
  public String name() {
    return "c4";
  }

  @Override
  public Verdict apply(DocText doc) {
    String lower = doc.text().toLowerCase(Locale.ROOT);
    if (lower.contains("lorem ipsum")) return Verdict.reject("c4_lorem_ipsum", 1, 0);
    if (lower.indexOf('{') >= 0) return Verdict.reject("c4_curly_bracket", 1, 0);
    // C4's line and sentence heuristics are about English pages; Chinese corpora come as long
    // single-line documents, often cut mid-sentence, that they would throw away wholesale.
    if (doc.isCjk()) return Verdict.keep();
    int sentences = 0;
    List<String> lines = doc.lines();
    for (String line : lines) {
      String l = line.toLowerCase(Locale.ROOT);
      if (FineWebRule.TERMINAL_PUNCTUATION.indexOf(l.charAt(l.length() - 1)) < 0) continue;
      if (l.contains("javascript")) continue;
      boolean policy = false;
      for (String p : POLICY) policy |= l.contains(p);
      if (policy) continue;
      int words = line.split("\\s+").length;
      if (words < minWordsPerLine) continue;
      for (int i = 0; i < l.length(); i++) if (SENTENCE_END.indexOf(l.charAt(i)) >= 0) sentences++;
    }
    if (sentences < minSentences) return Verdict.reject("c4_too_few_sentences", sentences, minSentences);
    return Verdict.keep();
  }
}
