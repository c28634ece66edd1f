package dev.sieve.filter;

import java.util.List;
import java.util.Set;

/**
 * Gopher's quality filter (Rae et al. 2021, "Scaling Language Models: Methods, Analysis &amp;
 * Insights from Training Gopher", appendix A.1.1), as datatrove implements it: word count
 * between 50 and 100,000; mean word length between 3 and 10 characters; at most 0.1 hash or
 * ellipsis symbols per word; at most 90 % of lines starting with a bullet; at most 30 % of lines
 * ending with an ellipsis; at least 80 % of words containing a letter; at least two of the
 * English stop words "the, be, to, of, and, that, have, with".
 *
 * <p>For CJK text words are characters (see {@link DocText}); the minimum length, mean word length
 * and stop-word checks, which are about English words, do not apply (Chinese length is
 * {@link ChineseQualityRule}'s minimum of Chinese characters). The stop-word check applies to
 * English only.
 */
public final class GopherQualityRule implements FilterRule {
  public static final int DEFAULT_MIN_WORDS = 50;
  public static final int DEFAULT_MAX_WORDS = 100_000;
  public static final double DEFAULT_MIN_AVG_WORD_LENGTH = 3;
  public static final double DEFAULT_MAX_AVG_WORD_LENGTH = 10;
  public static final double DEFAULT_MAX_SYMBOL_WORD_RATIO = 0.1;
  public static final double DEFAULT_MAX_BULLET_LINES_RATIO = 0.9;
  public static final double DEFAULT_MAX_ELLIPSIS_LINES_RATIO = 0.3;
  public static final double DEFAULT_MIN_ALPHA_WORDS_RATIO = 0.8;
  public static final int DEFAULT_MIN_STOP_WORDS = 2;
  /** Gopher's stop words. */
  public static final Set<String> STOP_WORDS = Set.of("the", "be", "to", "of", "and", "that", "have", "with");
  /** {@link #STOP_WORDS} as a list (what {@link DocText} compares words with, case-insensitively). */
  static final List<String> STOP_WORD_LIST = List.copyOf(STOP_WORDS);
  private static final String BULLETS = "•‣⁃◦▪▫●○■□►▶-*·–—";

  private final int minWords;
  private final int maxWords;
  private final double minAvgWordLength;
  private final double maxAvgWordLength;
  private final double maxSymbolWordRatio;
  private final double maxBulletLinesRatio;
  private final double maxEllipsisLinesRatio;
  private final double minAlphaWordsRatio;
  private final int minStopWords;

  public GopherQualityRule() {
    this(DEFAULT_MIN_WORDS, DEFAULT_MAX_WORDS, DEFAULT_MIN_AVG_WORD_LENGTH, DEFAULT_MAX_AVG_WORD_LENGTH, DEFAULT_MAX_SYMBOL_WORD_RATIO,
        DEFAULT_MAX_BULLET_LINES_RATIO, DEFAULT_MAX_ELLIPSIS_LINES_RATIO, DEFAULT_MIN_ALPHA_WORDS_RATIO, DEFAULT_MIN_STOP_WORDS);
  }

  public GopherQualityRule(int minWords, int maxWords, double minAvgWordLength, double maxAvgWordLength, double maxSymbolWordRatio,
                           double maxBulletLinesRatio, double maxEllipsisLinesRatio, double minAlphaWordsRatio, int minStopWords) {
    if (minWords < 0 || maxWords < minWords) throw new IllegalArgumentException("bad word range " + minWords + ".." + maxWords);
    this.minWords = minWords;
    this.maxWords = maxWords;
    this.minAvgWordLength = minAvgWordLength;
    this.maxAvgWordLength = maxAvgWordLength;
    this.maxSymbolWordRatio = maxSymbolWordRatio;
    this.maxBulletLinesRatio = maxBulletLinesRatio;
    this.maxEllipsisLinesRatio = maxEllipsisLinesRatio;
    this.minAlphaWordsRatio = minAlphaWordsRatio;
    this.minStopWords = minStopWords;
  }

  @Override
  public String name() {
    return "gopher_quality";
  }

  @Override
  public Verdict apply(DocText doc) {
    int n = doc.wordCount();
    if (n == 0) return Verdict.reject("gopher_short_doc", 0, minWords);
    boolean cjk = doc.isCjk();
    if (!cjk && n < minWords) return Verdict.reject("gopher_short_doc", n, minWords);
    if (n > maxWords) return Verdict.reject("gopher_long_doc", n, maxWords);
    if (!cjk) {
      double avg = doc.wordCodePoints() / (double) n;
      if (avg < minAvgWordLength) return Verdict.reject("gopher_below_avg_word_length", avg, minAvgWordLength);
      if (avg > maxAvgWordLength) return Verdict.reject("gopher_above_avg_word_length", avg, maxAvgWordLength);
    }
    String text = doc.text();
    double symbols = count(text, "#") + count(text, "...") + count(text, "…");
    double symbolRatio = symbols / n;
    if (symbolRatio > maxSymbolWordRatio) return Verdict.reject("gopher_symbol_word_ratio", symbolRatio, maxSymbolWordRatio);
    int lines = doc.lineCount();
    if (lines > 0) {
      int bullets = 0, ellipsis = 0;
      for (int i = 0; i < lines; i++) {
        int s = doc.lineStart(i), e = doc.lineEnd(i);
        if (BULLETS.indexOf(text.charAt(s)) >= 0) bullets++;
        if (text.charAt(e - 1) == '…' || e - s >= 3 && text.startsWith("...", e - 3)) ellipsis++;
      }
      double b = bullets / (double) lines;
      if (b > maxBulletLinesRatio) return Verdict.reject("gopher_bullet_lines_ratio", b, maxBulletLinesRatio);
      double e = ellipsis / (double) lines;
      if (e > maxEllipsisLinesRatio) return Verdict.reject("gopher_ellipsis_lines_ratio", e, maxEllipsisLinesRatio);
    }
    double alphaRatio = doc.alphaWords() / (double) n;
    if (alphaRatio < minAlphaWordsRatio) return Verdict.reject("gopher_alpha_words_ratio", alphaRatio, minAlphaWordsRatio);
    if (doc.language().equals("en") && doc.stopWords() < minStopWords) return Verdict.reject("gopher_stop_words", doc.stopWords(), minStopWords);
    return Verdict.keep();
  }

  static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) n++;
    return n;
  }
}
