package dev.sieve.filter;

import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.ConfigSection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code filter:} config section: which coarse rules run, in which order, with which
 * thresholds. Every default is the rule class's documented constant, from the paper it cites.
 *
 * <pre>
 * filter:
 *   rules: [blocklist, language, gopher_quality, gopher_repetition, c4, fineweb, zh_quality]
 *   blocklist: {domains_file: null, words_file: null, min_word_hits: 1}
 *   classifier: {model: null, threshold: 0.5, pareto_alpha: 0}
 *   language: {allowed: [], min_score: 0.65, reject_declared_mismatch: true}
 *   gopher_quality: {min_words: 50, max_words: 100000, min_avg_word_length: 3, ...}
 *   gopher_repetition: {max_dup_line_frac: 0.3, ...}
 *   c4: {min_sentences: 5, min_words_per_line: 3}
 *   fineweb: {min_line_punct_ratio: 0.12, ...}
 *   zh_quality: {min_cjk_chars: 30, ...}
 * </pre>
 */
public final class FilterSettings implements ConfigSection {
  /** Rule names in the default order (cheap and decisive first). */
  public static final List<String> DEFAULT_RULES = List.of("blocklist", "language", "gopher_quality", "gopher_repetition", "c4", "fineweb",
      "zh_quality");

  public List<String> rules = new ArrayList<>(DEFAULT_RULES);
  public Language language = new Language();
  public GopherQuality gopherQuality = new GopherQuality();
  public GopherRepetition gopherRepetition = new GopherRepetition();
  public C4 c4 = new C4();
  public FineWeb fineweb = new FineWeb();
  public ZhQuality zhQuality = new ZhQuality();
  public Blocklist blocklist = new Blocklist();
  public Classifier classifier = new Classifier();

  /**
   * The fine stage ({@link QualityClassifier}): runs on documents the coarse rules kept, when a
   * model is set. Keep by threshold, or, with {@code pareto_alpha > 0}, by GPT-3's Pareto
   * sampling (α = 9 in the paper).
   */
  public static final class Classifier implements java.io.Serializable {
    /** Model file from {@code sieve filter train-classifier}; null = no fine stage. */
    public String model;
    public double threshold = 0.5;
    public double paretoAlpha = 0;
  }

  /** {@link BlocklistRule} settings: list files on the driver's filesystem (read once per run). */
  public static final class Blocklist implements java.io.Serializable {
    /** One domain per line; subdomains are blocked too. */
    public String domainsFile;
    /** One word or phrase per line (for example a bad-words list). */
    public String wordsFile;
    public int minWordHits = BlocklistRule.DEFAULT_MIN_WORD_HITS;
  }

  /** {@link LanguageRule} settings. */
  public static final class Language implements java.io.Serializable {
    public List<String> allowed = new ArrayList<>();
    public double minScore = LanguageRule.DEFAULT_MIN_SCORE;
    public boolean rejectDeclaredMismatch = true;
  }

  /** {@link GopherQualityRule} settings. */
  public static final class GopherQuality implements java.io.Serializable {
    public int minWords = GopherQualityRule.DEFAULT_MIN_WORDS;
    public int maxWords = GopherQualityRule.DEFAULT_MAX_WORDS;
    public double minAvgWordLength = GopherQualityRule.DEFAULT_MIN_AVG_WORD_LENGTH;
    public double maxAvgWordLength = GopherQualityRule.DEFAULT_MAX_AVG_WORD_LENGTH;
    public double maxSymbolWordRatio = GopherQualityRule.DEFAULT_MAX_SYMBOL_WORD_RATIO;
    public double maxBulletLinesRatio = GopherQualityRule.DEFAULT_MAX_BULLET_LINES_RATIO;
    public double maxEllipsisLinesRatio = GopherQualityRule.DEFAULT_MAX_ELLIPSIS_LINES_RATIO;
    public double minAlphaWordsRatio = GopherQualityRule.DEFAULT_MIN_ALPHA_WORDS_RATIO;
    public int minStopWords = GopherQualityRule.DEFAULT_MIN_STOP_WORDS;
  }

  /** {@link GopherRepetitionRule} settings. */
  public static final class GopherRepetition implements java.io.Serializable {
    public double maxDupLineFrac = GopherRepetitionRule.DEFAULT_MAX_DUP_LINE_FRAC;
    public double maxDupParaFrac = GopherRepetitionRule.DEFAULT_MAX_DUP_PARA_FRAC;
    public double maxDupLineCharFrac = GopherRepetitionRule.DEFAULT_MAX_DUP_LINE_CHAR_FRAC;
    public double maxDupParaCharFrac = GopherRepetitionRule.DEFAULT_MAX_DUP_PARA_CHAR_FRAC;
    public List<Double> maxTopNgramFrac = toList(GopherRepetitionRule.DEFAULT_MAX_TOP_NGRAM_FRAC);
    public List<Double> maxDupNgramFrac = toList(GopherRepetitionRule.DEFAULT_MAX_DUP_NGRAM_FRAC);
  }

  /** {@link C4Rule} settings. */
  public static final class C4 implements java.io.Serializable {
    public int minSentences = C4Rule.DEFAULT_MIN_SENTENCES;
    public int minWordsPerLine = C4Rule.DEFAULT_MIN_WORDS_PER_LINE;
  }

  /** {@link FineWebRule} settings. */
  public static final class FineWeb implements java.io.Serializable {
    public double minLinePunctRatio = FineWebRule.DEFAULT_MIN_LINE_PUNCT_RATIO;
    public double maxShortLineRatio = FineWebRule.DEFAULT_MAX_SHORT_LINE_RATIO;
    public double maxCharDupRatio = FineWebRule.DEFAULT_MAX_CHAR_DUP_RATIO;
    public double maxNewlineRatio = FineWebRule.DEFAULT_MAX_NEWLINE_RATIO;
  }

  /** {@link ChineseQualityRule} settings. */
  public static final class ZhQuality implements java.io.Serializable {
    public int minCjkChars = ChineseQualityRule.DEFAULT_MIN_CJK_CHARS;
    public double minCjkRatio = ChineseQualityRule.DEFAULT_MIN_CJK_RATIO;
    public double maxSpamPer1000Chars = ChineseQualityRule.DEFAULT_MAX_SPAM_PER_1000_CHARS;
    public double maxSpecialCharRatio = ChineseQualityRule.DEFAULT_MAX_SPECIAL_CHAR_RATIO;
    public int maxCharRun = ChineseQualityRule.DEFAULT_MAX_CHAR_RUN;
  }

  private static List<Double> toList(double[] a) {
    List<Double> l = new ArrayList<>();
    for (double d : a) l.add(d);
    return l;
  }

  @Override
  public void validate(String prefix) {
    Set<String> seen = new LinkedHashSet<>();
    for (String r : rules) {
      if (!DEFAULT_RULES.contains(r)) {
        throw new ConfigException("bad value for '" + prefix + ".rules': unknown rule '" + r + "' (known: " + String.join(", ", DEFAULT_RULES) + ")");
      }
      if (!seen.add(r)) throw new ConfigException("bad value for '" + prefix + ".rules': '" + r + "' listed twice");
    }
    ConfigSection.checkRange(prefix + ".language.min_score", language.minScore, 0, 1);
    ConfigSection.checkAtLeast(prefix + ".blocklist.min_word_hits", blocklist.minWordHits, 1);
    ConfigSection.checkRange(prefix + ".classifier.threshold", classifier.threshold, 0, 1);
    ConfigSection.checkRange(prefix + ".classifier.pareto_alpha", classifier.paretoAlpha, 0, 1000);
    ConfigSection.checkAtLeast(prefix + ".gopher_quality.min_words", gopherQuality.minWords, 0);
    if (gopherQuality.maxWords < gopherQuality.minWords) {
      throw new ConfigException("bad value for '" + prefix + ".gopher_quality.max_words': " + gopherQuality.maxWords + " (below min_words)");
    }
    if (gopherRepetition.maxTopNgramFrac.size() != 3) {
      throw new ConfigException("bad value for '" + prefix + ".gopher_repetition.max_top_ngram_frac': give 3 values (n = 2, 3, 4)");
    }
    if (gopherRepetition.maxDupNgramFrac.size() != 6) {
      throw new ConfigException("bad value for '" + prefix + ".gopher_repetition.max_dup_ngram_frac': give 6 values (n = 5..10)");
    }
    ConfigSection.checkRange(prefix + ".fineweb.min_line_punct_ratio", fineweb.minLinePunctRatio, 0, 1);
    ConfigSection.checkRange(prefix + ".fineweb.max_short_line_ratio", fineweb.maxShortLineRatio, 0, 1);
    ConfigSection.checkRange(prefix + ".zh_quality.min_cjk_ratio", zhQuality.minCjkRatio, 0, 1);
  }
}
