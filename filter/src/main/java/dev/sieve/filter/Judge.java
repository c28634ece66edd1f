package dev.sieve.filter;

import dev.sieve.core.Conversation;
import dev.sieve.core.Doc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The filter's decision for one document, without Spark: the coarse {@link RuleChain} first, then,
 * for a document it keeps and when a classifier is configured, the quality classifier, either as a
 * threshold ({@code score ≥ threshold}, rule {@value #RULE_CLASSIFIER}) or, with {@code
 * pareto_alpha > 0}, as GPT-3's Pareto sampling ({@link QualityClassifier#paretoKeep}, seeded by
 * {@code doc_id} so reruns agree; rule {@value #RULE_PARETO}, the threshold column holding alpha).
 *
 * <p>The Spark job only adapts rows to {@link Doc}s and {@link Judgement}s to rows.
 */
public final class Judge {
  /** {@link Judgement#stage()} of a document a coarse rule rejected. */
  public static final String STAGE_COARSE = "coarse";
  /** {@link Judgement#stage()} of a document the quality classifier rejected. */
  public static final String STAGE_QUALITY = "quality";
  /** Rule name of a rejection by classifier threshold. */
  public static final String RULE_CLASSIFIER = "quality_classifier";
  /** Rule name of a rejection by Pareto sampling of the classifier score. */
  public static final String RULE_PARETO = "quality_pareto";
  /** The source name of WuDao documents, a Chinese corpus: their declared language is {@code zh}. */
  public static final String WUDAO = "wudao";
  /** Metadata keys that hold a declared language, in order of preference: {@code <html lang>}, a JSONL {@code lang} field. */
  public static final List<String> DECLARED_LANGUAGE_KEYS = List.of("html_lang", "lang");

  /**
   * A quality score in [0, 1] for a document (higher is better), from its {@link DocText} (the
   * words the coarse rules found, so nothing is tokenised twice); {@link
   * QualityClassifier#score(DocText)} is one.
   */
  @FunctionalInterface
  public interface Scorer {
    double score(DocText doc);
  }

  private final RuleChain chain;
  private final RuleChain conversationChain;
  private final FilterSettings.Classifier classifier;
  private final Scorer scorer;

  /**
   * @param chain the coarse rules
   * @param classifier the {@code classifier} settings ({@code threshold}, {@code pareto_alpha})
   * @param scorer the loaded classifier, or null for no quality stage
   */
  public Judge(RuleChain chain, FilterSettings.Classifier classifier, Scorer scorer) {
    this(chain, chain, classifier, scorer);
  }

  /**
   * A judge whose conversations ({@link Conversation#isConversation} on the metadata) go through
   * {@code conversationChain} and never through the classifier ({@link FilterSettings}'s
   * {@code conversation_rules}).
   */
  public Judge(RuleChain chain, RuleChain conversationChain, FilterSettings.Classifier classifier, Scorer scorer) {
    if (chain == null || conversationChain == null) throw new IllegalArgumentException("chain must not be null");
    if (classifier == null) throw new IllegalArgumentException("classifier settings must not be null");
    if (!(classifier.paretoAlpha >= 0)) throw new IllegalArgumentException("classifier.pareto_alpha must be >= 0: " + classifier.paretoAlpha);
    this.chain = chain;
    this.conversationChain = conversationChain;
    this.classifier = classifier;
    this.scorer = scorer;
  }

  /** Judges one document. */
  public Judgement judge(Doc doc) {
    DocText text = docText(doc);
    boolean conversation = Conversation.isConversation(doc.metadata());
    Verdict v = (conversation ? conversationChain : chain).apply(text);
    String stage = v.kept() ? null : STAGE_COARSE;
    Double score = null;
    if (v.kept() && scorer != null && !conversation) {
      score = scorer.score(text);
      boolean pareto = classifier.paretoAlpha > 0;
      boolean keep = pareto ? QualityClassifier.paretoKeep(score, doc.docId(), classifier.paretoAlpha) : score >= classifier.threshold;
      if (!keep) {
        v = Verdict.reject(pareto ? RULE_PARETO : RULE_CLASSIFIER, score, pareto ? classifier.paretoAlpha : classifier.threshold);
        stage = STAGE_QUALITY;
      }
    }
    Map<String, Double> signals = new LinkedHashMap<>();
    signals.put("words", (double) text.wordCount());
    signals.put("lines", (double) text.lineCount());
    signals.put("cjk_chars", (double) text.cjkChars());
    return new Judgement(v.kept(), stage, v.rule(), v.kept() ? null : v.value(), v.kept() ? null : v.threshold(), score, signals);
  }

  /**
   * The view rules measure: the document's text, detected language and score, declared language,
   * and the host of its URL (ingest's normaliser), else its {@code domain} (bronze's column).
   */
  public static DocText docText(Doc doc) {
    return new DocText(doc.text(), doc.language(), doc.languageScore(), declaredLanguage(doc.metadata(), doc.source()))
        .withUrl(doc.url()).withDomain(doc.domain());
  }

  /**
   * What the source says the language is, lower-cased: the first non-blank of {@link
   * #DECLARED_LANGUAGE_KEYS} in the metadata, else {@code zh} for {@value #WUDAO}, else null.
   */
  public static String declaredLanguage(Map<String, String> metadata, String source) {
    if (metadata != null) {
      for (String key : DECLARED_LANGUAGE_KEYS) {
        String v = metadata.get(key);
        if (v != null && !v.isBlank()) return v.toLowerCase(Locale.ROOT);
      }
    }
    return WUDAO.equals(source) ? "zh" : null;
  }
}
