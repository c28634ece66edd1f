package dev.sieve.filter;

import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.ConfigSection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code filter:} config section: which coarse rules run, in which order, with which
 * thresholds. Every default is the rule class's documented constant, from the paper it cites; the
 * numbers below are those constants:
 *
 * <pre>
 * filter:
 *   rules: [blocklist, language, gopher_quality, gopher_repetition, c4, fineweb, zh_quality]
 *   conversation_rules: [blocklist, language]   # the rules for instruction conversations (see below)
 *   blocklist: {domains_file: null, words_file: null, min_word_hits: {@value BlocklistRule#DEFAULT_MIN_WORD_HITS},
 *               default_words: true, default_words_min_ratio: {@value BlocklistRule#DEFAULT_LIST_MIN_RATIO}}
 *   classifier: {model: null, threshold: {@value #DEFAULT_CLASSIFIER_THRESHOLD}, pareto_alpha: {@value #DEFAULT_PARETO_ALPHA}}
 *   language: {allowed: [], min_score: {@value LanguageRule#DEFAULT_MIN_SCORE}, reject_declared_mismatch: true}
 *   gopher_quality: {min_words: {@value GopherQualityRule#DEFAULT_MIN_WORDS}, max_words: {@value GopherQualityRule#DEFAULT_MAX_WORDS},
 *     min_avg_word_length: {@value GopherQualityRule#DEFAULT_MIN_AVG_WORD_LENGTH}, max_avg_word_length: {@value GopherQualityRule#DEFAULT_MAX_AVG_WORD_LENGTH},
 *     max_symbol_word_ratio: {@value GopherQualityRule#DEFAULT_MAX_SYMBOL_WORD_RATIO}, max_bullet_lines_ratio: {@value GopherQualityRule#DEFAULT_MAX_BULLET_LINES_RATIO},
 *     max_ellipsis_lines_ratio: {@value GopherQualityRule#DEFAULT_MAX_ELLIPSIS_LINES_RATIO},
 *     min_alpha_words_ratio: {@value GopherQualityRule#DEFAULT_MIN_ALPHA_WORDS_RATIO}, min_stop_words: {@value GopherQualityRule#DEFAULT_MIN_STOP_WORDS}}
 *   gopher_repetition: {max_dup_line_frac: {@value GopherRepetitionRule#DEFAULT_MAX_DUP_LINE_FRAC}, max_dup_para_frac: {@value GopherRepetitionRule#DEFAULT_MAX_DUP_PARA_FRAC},
 *     max_dup_line_char_frac: {@value GopherRepetitionRule#DEFAULT_MAX_DUP_LINE_CHAR_FRAC},
 *     max_dup_para_char_frac: {@value GopherRepetitionRule#DEFAULT_MAX_DUP_PARA_CHAR_FRAC},
 *     max_top_ngram_frac: [0.2, 0.18, 0.16], max_dup_ngram_frac: [0.15, 0.14, 0.13, 0.12, 0.11, 0.1]}
 *   c4: {min_sentences: {@value C4Rule#DEFAULT_MIN_SENTENCES}, min_words_per_line: {@value C4Rule#DEFAULT_MIN_WORDS_PER_LINE}}
 *   fineweb: {min_line_punct_ratio: {@value FineWebRule#DEFAULT_MIN_LINE_PUNCT_RATIO}, max_short_line_ratio: {@value FineWebRule#DEFAULT_MAX_SHORT_LINE_RATIO},
 *     max_char_dup_ratio: {@value FineWebRule#DEFAULT_MAX_CHAR_DUP_RATIO}, max_newline_ratio: {@value FineWebRule#DEFAULT_MAX_NEWLINE_RATIO}}
 *   zh_quality: {min_cjk_chars: {@value ChineseQualityRule#DEFAULT_MIN_CJK_CHARS}, min_cjk_ratio: {@value ChineseQualityRule#DEFAULT_MIN_CJK_RATIO},
 *     max_spam_per1000_chars: {@value ChineseQualityRule#DEFAULT_MAX_SPAM_PER_1000_CHARS},
 *     max_special_char_ratio: {@value ChineseQualityRule#DEFAULT_MAX_SPECIAL_CHAR_RATIO}, max_char_run: {@value ChineseQualityRule#DEFAULT_MAX_CHAR_RUN}}
 * </pre>
 *
 * (The two n-gram lists are {@link GopherRepetitionRule#DEFAULT_MAX_TOP_NGRAM_FRAC} and {@link
 * GopherRepetitionRule#DEFAULT_MAX_DUP_NGRAM_FRAC}; {@code FilterSettingsTest} checks they read as
 * written here.) {@link #validate} rejects a value out of range with a {@link ConfigException}
 * naming its key.
 *
 * <p>Conversations (instruction-tuning records, {@link dev.sieve.core.Conversation}) go through
 * {@code conversation_rules} instead of {@code rules}, and never through the classifier: Gopher's,
 * C4's and FineWeb's thresholds describe web pages (Gopher's 50-word minimum, C4's five sentences,
 * FineWeb's line punctuation) and would reject most chat turns ("What is 2+2?" / "4"), and a
 * classifier trained on reference text against crawl does not score chats. The default keeps the
 * two rules that mean the same for a chat: the blocklist (the same lists and densities) and the
 * language (lid.176's score of the turns' contents, the allowlist).
 */
public final class FilterSettings implements ConfigSection {
  /** Rule names in the default order (cheap and decisive first). */
  public static final List<String> DEFAULT_RULES = List.of("blocklist", "language", "gopher_quality", "gopher_repetition", "c4", "fineweb",
      "zh_quality");

  /** Keep a document whose classifier score reaches this (the classifier's decision boundary: more likely good than not). */
  public static final double DEFAULT_CLASSIFIER_THRESHOLD = 0.5;
  /** 0 = threshold, not Pareto sampling (GPT-3 used α = 9). */
  public static final double DEFAULT_PARETO_ALPHA = 0;

  public List<String> rules = new ArrayList<>(DEFAULT_RULES);
  /** The rules conversations go through (above); any of {@link #DEFAULT_RULES}. */
  public static final List<String> DEFAULT_CONVERSATION_RULES = List.of("blocklist", "language");
  public List<String> conversationRules = new ArrayList<>(DEFAULT_CONVERSATION_RULES);
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
    public double threshold = DEFAULT_CLASSIFIER_THRESHOLD;
    public double paretoAlpha = DEFAULT_PARETO_ALPHA;
  }

  /** {@link BlocklistRule} settings: list files on the driver's filesystem (read once per run). */
  public static final class Blocklist implements java.io.Serializable {
    /** One domain per line; subdomains are blocked too. */
    public String domainsFile;
    /** One word or phrase per line (for example a bad-words list). */
    public String wordsFile;
    public int minWordHits = BlocklistRule.DEFAULT_MIN_WORD_HITS;
    /** Also match the shipped multilingual LDNOOBW lists ({@link WordList#shipped()}), rule {@code blocklist_ldnoobw}. */
    public boolean defaultWords = true;
    /** Hits of the shipped lists per word at which {@code blocklist_ldnoobw} rejects. */
    public double defaultWordsMinRatio = BlocklistRule.DEFAULT_LIST_MIN_RATIO;
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

  private static void checkRules(String key, List<String> names) {
    Set<String> seen = new LinkedHashSet<>();
    for (String r : names) {
      if (!DEFAULT_RULES.contains(r)) {
        throw new ConfigException("bad value for '" + key + "': unknown rule '" + r + "' (known: " + String.join(", ", DEFAULT_RULES) + ")");
      }
      if (!seen.add(r)) throw new ConfigException("bad value for '" + key + "': '" + r + "' listed twice");
    }
  }

  @Override
  public void validate(String prefix) {
    checkRules(prefix + ".rules", rules);
    checkRules(prefix + ".conversation_rules", conversationRules);
    String b = prefix + ".blocklist.", l = prefix + ".language.", c = prefix + ".classifier.", q = prefix + ".gopher_quality.",
        r = prefix + ".gopher_repetition.", f = prefix + ".fineweb.", z = prefix + ".zh_quality.";
    ConfigSection.checkAtLeast(b + "min_word_hits", blocklist.minWordHits, 1);
    ConfigSection.checkRange(b + "default_words_min_ratio", blocklist.defaultWordsMinRatio, 0, 1);
    ConfigSection.checkRange(l + "min_score", language.minScore, 0, 1);
    for (String a : language.allowed) {
      if (a == null || a.isBlank()) throw new ConfigException("bad value for '" + l + "allowed': a blank language code");
    }
    ConfigSection.checkRange(c + "threshold", classifier.threshold, 0, 1);
    ConfigSection.checkRange(c + "pareto_alpha", classifier.paretoAlpha, 0, 1000);
    ConfigSection.checkAtLeast(q + "min_words", gopherQuality.minWords, 0);
    if (gopherQuality.maxWords < gopherQuality.minWords) {
      throw new ConfigException("bad value for '" + q + "max_words': " + gopherQuality.maxWords + " (below min_words)");
    }
    atLeast(q + "min_avg_word_length", gopherQuality.minAvgWordLength, 0);
    if (!(gopherQuality.maxAvgWordLength >= gopherQuality.minAvgWordLength)) {
      throw new ConfigException("bad value for '" + q + "max_avg_word_length': " + gopherQuality.maxAvgWordLength + " (below min_avg_word_length)");
    }
    atLeast(q + "max_symbol_word_ratio", gopherQuality.maxSymbolWordRatio, 0);
    ConfigSection.checkRange(q + "max_bullet_lines_ratio", gopherQuality.maxBulletLinesRatio, 0, 1);
    ConfigSection.checkRange(q + "max_ellipsis_lines_ratio", gopherQuality.maxEllipsisLinesRatio, 0, 1);
    ConfigSection.checkRange(q + "min_alpha_words_ratio", gopherQuality.minAlphaWordsRatio, 0, 1);
    ConfigSection.checkAtLeast(q + "min_stop_words", gopherQuality.minStopWords, 0);
    ConfigSection.checkRange(r + "max_dup_line_frac", gopherRepetition.maxDupLineFrac, 0, 1);
    ConfigSection.checkRange(r + "max_dup_para_frac", gopherRepetition.maxDupParaFrac, 0, 1);
    ConfigSection.checkRange(r + "max_dup_line_char_frac", gopherRepetition.maxDupLineCharFrac, 0, 1);
    ConfigSection.checkRange(r + "max_dup_para_char_frac", gopherRepetition.maxDupParaCharFrac, 0, 1);
    if (gopherRepetition.maxTopNgramFrac.size() != 3) {
      throw new ConfigException("bad value for '" + r + "max_top_ngram_frac': give 3 values (n = 2, 3, 4)");
    }
    for (Double v : gopherRepetition.maxTopNgramFrac) ConfigSection.checkRange(r + "max_top_ngram_frac", v == null ? Double.NaN : v, 0, 1);
    if (gopherRepetition.maxDupNgramFrac.size() != 6) {
      throw new ConfigException("bad value for '" + r + "max_dup_ngram_frac': give 6 values (n = 5..10)");
    }
    for (Double v : gopherRepetition.maxDupNgramFrac) ConfigSection.checkRange(r + "max_dup_ngram_frac", v == null ? Double.NaN : v, 0, 1);
    ConfigSection.checkAtLeast(prefix + ".c4.min_sentences", c4.minSentences, 0);
    ConfigSection.checkAtLeast(prefix + ".c4.min_words_per_line", c4.minWordsPerLine, 0);
    ConfigSection.checkRange(f + "min_line_punct_ratio", fineweb.minLinePunctRatio, 0, 1);
    ConfigSection.checkRange(f + "max_short_line_ratio", fineweb.maxShortLineRatio, 0, 1);
    ConfigSection.checkRange(f + "max_char_dup_ratio", fineweb.maxCharDupRatio, 0, 1);
    atLeast(f + "max_newline_ratio", fineweb.maxNewlineRatio, 0);
    ConfigSection.checkAtLeast(z + "min_cjk_chars", zhQuality.minCjkChars, 0);
    ConfigSection.checkRange(z + "min_cjk_ratio", zhQuality.minCjkRatio, 0, 1);
    atLeast(z + "max_spam_per1000_chars", zhQuality.maxSpamPer1000Chars, 0);
    ConfigSection.checkRange(z + "max_special_char_ratio", zhQuality.maxSpecialCharRatio, 0, 1);
    ConfigSection.checkAtLeast(z + "max_char_run", zhQuality.maxCharRun, 2);
  }

  private static void atLeast(String key, double value, double min) {
    if (!(value >= min) || Double.isInfinite(value)) {
      throw new ConfigException("bad value for '" + key + "': " + value + " (must be a number of at least " + min + ")");
    }
  }
}
