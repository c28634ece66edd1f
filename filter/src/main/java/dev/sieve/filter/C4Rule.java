package dev.sieve.filter;

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
  /** Needles that make C4 drop a line: "javascript" and the policy phrases. */
  private static final String[] LINE_DROPS = {"javascript", "terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"};
  /** For each ASCII character, the {@link #LINE_DROPS} that start with it (either case). */
  private static final String[][] DROPS_BY_FIRST = new String[128][];
  static {
    for (String n : LINE_DROPS) {
      for (char f : new char[] {n.charAt(0), Character.toUpperCase(n.charAt(0))}) {
        String[] old = DROPS_BY_FIRST[f] == null ? new String[0] : DROPS_BY_FIRST[f];
        String[] grown = java.util.Arrays.copyOf(old, old.length + 1);
        grown[old.length] = n;
        DROPS_BY_FIRST[f] = grown;
      }
    }
  }
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
    String text = doc.text();
    if (containsIgnoreCase(text, 0, text.length(), "lorem ipsum")) return Verdict.reject("c4_lorem_ipsum", 1, 0);
    if (text.indexOf('{') >= 0) return Verdict.reject("c4_curly_bracket", 1, 0);
    // C4's line and sentence heuristics are about English pages; Chinese corpora come as long
    // single-line documents, often cut mid-sentence, that they would throw away wholesale.
    if (doc.isCjk()) return Verdict.keep();
    int sentences = 0;
    int lines = doc.lineCount();
    for (int li = 0; li < lines; li++) {
      int s = doc.lineStart(li), e = doc.lineEnd(li);
      if (FineWebRule.TERMINAL_PUNCTUATION.indexOf(text.charAt(e - 1)) < 0) continue;
      if (containsLineDrop(text, s, e)) continue;
      if (words(text, s, e) < minWordsPerLine) continue;
      for (int i = s; i < e; i++) if (SENTENCE_END.indexOf(text.charAt(i)) >= 0) sentences++;
    }
    if (sentences < minSentences) return Verdict.reject("c4_too_few_sentences", sentences, minSentences);
    return Verdict.keep();
  }

  /** Whitespace-separated tokens of a stripped line (as {@code line.split("\\s+").length}). */
  private static int words(String t, int s, int e) {
    int n = 1;
    for (int i = s + 1; i < e; i++) if (DocText.isAsciiSpace(t.charAt(i - 1)) && !DocText.isAsciiSpace(t.charAt(i))) n++;
    return n;
  }

  /** Whether {@code t[s, e)} contains one of {@link #LINE_DROPS}, in any case: one scan for all of them. */
  static boolean containsLineDrop(String t, int s, int e) {
    for (int i = s; i < e; i++) {
      char c = t.charAt(i);
      if (c >= 128) continue;
      String[] needles = DROPS_BY_FIRST[c];
      if (needles == null) continue;
      for (String n : needles) {
        if (i + n.length() <= e && t.regionMatches(true, i + 1, n, 1, n.length() - 1)) return true;
      }
    }
    return false;
  }

  /** Whether {@code t[s, e)} contains the lower-case ASCII {@code needle}, in any case. */
  static boolean containsIgnoreCase(String t, int s, int e, String needle) {
    char first = needle.charAt(0);
    char upper = Character.toUpperCase(first);
    int last = e - needle.length();
    for (int i = s; i <= last; i++) {
      char c = t.charAt(i);
      if ((c == first || c == upper) && t.regionMatches(true, i + 1, needle, 1, needle.length() - 1)) return true;
    }
    return false;
  }
}
