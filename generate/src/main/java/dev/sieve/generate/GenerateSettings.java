package dev.sieve.generate;

import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.ConfigSection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code generate:} config section: the shape of the synthetic corpus. {@code --docs} and
 * {@code --seed} on the command line override {@code docs} and {@code seed}.
 */
public final class GenerateSettings implements ConfigSection {
  public static final long DEFAULT_DOCS = 1000;
  public static final long DEFAULT_SEED = 42;
  /** Records per output file (per format); Common Crawl's WARC files hold tens of thousands. */
  public static final long DEFAULT_DOCS_PER_FILE = 10_000;
  /** Share of documents that are exact copies of an earlier document (web crawls: a few percent). */
  public static final double DEFAULT_EXACT_DUPLICATE_RATE = 0.03;
  /** Share of documents that are near-duplicates of an earlier document. */
  public static final double DEFAULT_NEAR_DUPLICATE_RATE = 0.06;
  /** Target Jaccard similarities of near-duplicates (5-token shingles), spread evenly. */
  public static final List<Double> DEFAULT_NEAR_DUPLICATE_LEVELS = List.of(0.95, 0.85, 0.7, 0.5);
  /** Share of low-quality documents, spread evenly over the {@link Quality} kinds. */
  public static final double DEFAULT_LOW_QUALITY_RATE = 0.14;
  /** Share of good documents that get one to three planted PII values. */
  public static final double DEFAULT_PII_RATE = 0.15;
  /** Non-HTML responses (images, PDFs) added to WARC files per HTML page, for ingest to skip and count. */
  public static final double DEFAULT_NON_HTML_RATE = 0.02;
  /** Language mix (ISO 639-1 → weight): English and Chinese first, four more European languages. */
  public static final Map<String, Double> DEFAULT_LANGUAGES = defaultLanguages();

  public long docs = DEFAULT_DOCS;
  public long seed = DEFAULT_SEED;
  public long docsPerFile = DEFAULT_DOCS_PER_FILE;
  public double exactDuplicateRate = DEFAULT_EXACT_DUPLICATE_RATE;
  public double nearDuplicateRate = DEFAULT_NEAR_DUPLICATE_RATE;
  public List<Double> nearDuplicateLevels = new ArrayList<>(DEFAULT_NEAR_DUPLICATE_LEVELS);
  public double lowQualityRate = DEFAULT_LOW_QUALITY_RATE;
  public double piiRate = DEFAULT_PII_RATE;
  public double nonHtmlRate = DEFAULT_NON_HTML_RATE;
  public Map<String, Double> languages = new LinkedHashMap<>(DEFAULT_LANGUAGES);

  private static Map<String, Double> defaultLanguages() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("en", 0.40);
    m.put("zh", 0.30);
    m.put("de", 0.08);
    m.put("fr", 0.08);
    m.put("es", 0.07);
    m.put("ru", 0.07);
    return java.util.Collections.unmodifiableMap(m);
  }

  @Override
  public void validate(String prefix) {
    ConfigSection.checkAtLeast(prefix + ".docs", docs, 1);
    ConfigSection.checkAtLeast(prefix + ".docs_per_file", docsPerFile, 1);
    ConfigSection.checkRange(prefix + ".exact_duplicate_rate", exactDuplicateRate, 0, 1);
    ConfigSection.checkRange(prefix + ".near_duplicate_rate", nearDuplicateRate, 0, 1);
    ConfigSection.checkRange(prefix + ".low_quality_rate", lowQualityRate, 0, 1);
    ConfigSection.checkRange(prefix + ".pii_rate", piiRate, 0, 1);
    ConfigSection.checkRange(prefix + ".non_html_rate", nonHtmlRate, 0, 1);
    if (exactDuplicateRate + nearDuplicateRate + lowQualityRate > 1) {
      throw new ConfigException("bad value for '" + prefix + ".low_quality_rate': duplicate and low-quality rates add up to more than 1");
    }
    if (nearDuplicateLevels == null || nearDuplicateLevels.isEmpty()) {
      throw new ConfigException("bad value for '" + prefix + ".near_duplicate_levels': give at least one level");
    }
    for (Double l : nearDuplicateLevels) {
      if (l == null || !(l > 0 && l < 1)) {
        throw new ConfigException("bad value for '" + prefix + ".near_duplicate_levels': " + l + " (each must be between 0 and 1, exclusive)");
      }
    }
    if (languages == null || languages.isEmpty()) {
      throw new ConfigException("bad value for '" + prefix + ".languages': give at least one language");
    }
    for (Map.Entry<String, Double> e : languages.entrySet()) {
      if (!CorpusGenerator.SUPPORTED_LANGUAGES.contains(e.getKey())) {
        throw new ConfigException("bad key '" + prefix + ".languages." + e.getKey() + "' (supported: "
            + String.join(", ", CorpusGenerator.SUPPORTED_LANGUAGES) + ")");
      }
      if (e.getValue() == null || e.getValue() < 0) {
        throw new ConfigException("bad value for '" + prefix + ".languages." + e.getKey() + "': " + e.getValue() + " (a weight >= 0)");
      }
    }
    if (languages.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
      throw new ConfigException("bad value for '" + prefix + ".languages': weights add up to 0");
    }
  }
}
