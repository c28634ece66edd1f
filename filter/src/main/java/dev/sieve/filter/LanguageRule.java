package dev.sieve.filter;

import java.util.Locale;
import java.util.Set;

/**
 * Language checks: the detected language must be allowed (an empty allowlist allows all), its
 * score must reach a minimum ({@link #DEFAULT_MIN_SCORE}), and, when the source declares a language ({@code <html lang>}, a JSONL {@code lang}
 * field, a Chinese corpus), the text must be in it: a page that says it is German but is written
 * in English is the wrong text for either.
 */
public final class LanguageRule implements FilterRule {
  /**
   * FineWeb's threshold on fastText lid.176's probability, the score ingest records: Penedo et al.
   * 2024, "The FineWeb Datasets", and datatrove's {@code LanguageFilter} default {@code
   * language_threshold=0.65}.
   */
  public static final double DEFAULT_MIN_SCORE = 0.65;

  private final Set<String> allowed;
  private final double minScore;
  private final boolean rejectMismatch;

  public LanguageRule(Set<String> allowed, double minScore, boolean rejectMismatch) {
    this.allowed = Set.copyOf(allowed);
    this.minScore = minScore;
    this.rejectMismatch = rejectMismatch;
  }

  @Override
  public String name() {
    return "language";
  }

  @Override
  public Verdict apply(DocText doc) {
    if (!allowed.isEmpty() && !allowed.contains(doc.language())) return Verdict.reject("language_not_allowed", 0, 1);
    if (doc.languageScore() < minScore) return Verdict.reject("language_low_score", doc.languageScore(), minScore);
    String declared = doc.declaredLanguage();
    if (rejectMismatch && declared != null && !declared.isBlank()) {
      String d = declared.strip().toLowerCase(Locale.ROOT);
      int dash = d.indexOf('-');
      if (dash > 0) d = d.substring(0, dash);
      if (!d.equals(doc.language())) return Verdict.reject("language_mismatch", 0, 1);
    }
    return Verdict.keep();
  }
}
