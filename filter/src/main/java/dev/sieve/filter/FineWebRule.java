package dev.sieve.filter;

/**
 * FineWeb's own quality filter (Penedo et al. 2024, "The FineWeb Datasets", section 3.3), as
 * datatrove's {@code FineWebQualityFilter}: reject when at most 12 % of lines end with
 * punctuation, when at least 67 % of lines are shorter than 30 characters, when at least 1 % of
 * the characters sit in duplicated lines, or when there are more than 0.3 newlines per word. For
 * CJK text a short line is under 15 characters (a Chinese character carries about two Latin
 * letters' worth of text), and Chinese sentence punctuation counts.
 */
public final class FineWebRule implements FilterRule {
  public static final double DEFAULT_MIN_LINE_PUNCT_RATIO = 0.12;
  public static final double DEFAULT_MAX_SHORT_LINE_RATIO = 0.67;
  public static final int DEFAULT_SHORT_LINE_CHARS = 30;
  public static final int DEFAULT_SHORT_LINE_CHARS_CJK = 15;
  public static final double DEFAULT_MAX_CHAR_DUP_RATIO = 0.01;
  public static final double DEFAULT_MAX_NEWLINE_RATIO = 0.3;
  /** Line-final punctuation, Latin and CJK. */
  /**
   * Line ratios over fewer lines say nothing (a one-line document cut mid-sentence would score 0);
   * such documents are left to the other rules.
   */
  public static final int MIN_LINES = 3;
  public static final String TERMINAL_PUNCTUATION = ".!?\"'”’)»。！？…；：」』）";

  private final double minLinePunctRatio;
  private final double maxShortLineRatio;
  private final double maxCharDupRatio;
  private final double maxNewlineRatio;

  public FineWebRule() {
    this(DEFAULT_MIN_LINE_PUNCT_RATIO, DEFAULT_MAX_SHORT_LINE_RATIO, DEFAULT_MAX_CHAR_DUP_RATIO, DEFAULT_MAX_NEWLINE_RATIO);
  }

  public FineWebRule(double minLinePunctRatio, double maxShortLineRatio, double maxCharDupRatio, double maxNewlineRatio) {
    this.minLinePunctRatio = minLinePunctRatio;
    this.maxShortLineRatio = maxShortLineRatio;
    this.maxCharDupRatio = maxCharDupRatio;
    this.maxNewlineRatio = maxNewlineRatio;
  }

  @Override
  public String name() {
    return "fineweb";
  }

  @Override
  public Verdict apply(DocText doc) {
    int lines = doc.lineCount();
    if (lines == 0) return Verdict.reject("fineweb_empty", 0, 1);
    if (lines < MIN_LINES) return Verdict.keep();
    String text = doc.text();
    int punct = 0, shortLines = 0;
    int shortChars = doc.isCjk() ? DEFAULT_SHORT_LINE_CHARS_CJK : DEFAULT_SHORT_LINE_CHARS;
    for (int i = 0; i < lines; i++) {
      int s = doc.lineStart(i), e = doc.lineEnd(i);
      if (TERMINAL_PUNCTUATION.indexOf(text.charAt(e - 1)) >= 0) punct++;
      if (e - s < shortChars || e - s < 2 * shortChars && text.codePointCount(s, e) < shortChars) shortLines++;
    }
    double punctRatio = punct / (double) lines;
    if (punctRatio <= minLinePunctRatio) return Verdict.reject("fineweb_line_punct_ratio", punctRatio, minLinePunctRatio);
    double shortRatio = shortLines / (double) lines;
    if (shortRatio >= maxShortLineRatio) return Verdict.reject("fineweb_short_line_ratio", shortRatio, maxShortLineRatio);
    double[] dup = doc.duplicateLines();
    long nonNewline = text.length() - doc.newlines();
    long dupChars = Math.round(dup[1] * doc.lineChars());
    double charDup = nonNewline == 0 ? 0 : dupChars / (double) nonNewline;
    if (charDup >= maxCharDupRatio) return Verdict.reject("fineweb_char_dup_ratio", charDup, maxCharDupRatio);
    int words = doc.wordCount();
    double newlineRatio = words == 0 ? 1 : doc.newlines() / (double) words;
    if (newlineRatio > maxNewlineRatio) return Verdict.reject("fineweb_newline_ratio", newlineRatio, maxNewlineRatio);
    return Verdict.keep();
  }
}
