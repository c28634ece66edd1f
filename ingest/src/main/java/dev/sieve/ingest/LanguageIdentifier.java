package dev.sieve.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import opennlp.tools.langdetect.Language;
import opennlp.tools.langdetect.LanguageDetectorME;
import opennlp.tools.langdetect.LanguageDetectorModel;

/**
 * Offline language identification with Apache OpenNLP's language detector (the
 * {@code langdetect-183.bin} model: 103 languages, ISO 639-3), reported as ISO 639-1 codes.
 *
 * <p>Chinese is {@code zh} whatever the script or variety (the model's {@code cmn}, {@code yue},
 * {@code wuu}, ... all map to it), and text that is mostly Han characters without kana is Chinese
 * even when the model hesitates on a short snippet. The model is loaded once per JVM (about
 * 40 MB of heap) and shared; each thread gets its own detector over it.
 */
public final class LanguageIdentifier {
  /**
   * Characters of a document looked at. Language is stable by this length (about 50 words), and
   * the model's cost grows with the sample: at 2,000 characters it was 3/4 of ingest's CPU time.
   */
  public static final int DEFAULT_SAMPLE_CHARS = 300;
  /** Code reported when nothing can be said (no letters). */
  public static final String UNKNOWN = "und";

  private static final Map<String, String> ISO3_TO_1 = iso3To1();

  /** A language and the model's confidence in it, in [0, 1]. */
  public record Result(String language, double score) {}

  private final int sampleChars;

  public LanguageIdentifier() {
    this(DEFAULT_SAMPLE_CHARS);
  }

  public LanguageIdentifier(int sampleChars) {
    this.sampleChars = sampleChars;
  }

  private static volatile LanguageDetectorModel model;
  private static final ThreadLocal<LanguageDetectorME> DETECTORS = ThreadLocal.withInitial(() -> new LanguageDetectorME(model()));

  private static LanguageDetectorModel model() {
    LanguageDetectorModel m = model;
    if (m == null) {
      synchronized (LanguageIdentifier.class) {
        m = model;
        if (m == null) {
          try (InputStream in = LanguageIdentifier.class.getResourceAsStream("/langdetect-183.bin")) {
            if (in == null) throw new IllegalStateException("langdetect-183.bin missing: add org.apache.opennlp:opennlp-models-langdetect");
            m = new LanguageDetectorModel(in);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot load the OpenNLP language model", e);
          }
          model = m;
        }
      }
    }
    return m;
  }

  private static LanguageDetectorME detector() {
    return DETECTORS.get();
  }

  public Result identify(String text) {
    if (text == null || text.isEmpty()) return new Result(UNKNOWN, 0);
    String sample = text.length() > sampleChars ? text.substring(0, sampleChars) : text;
    int letters = 0, han = 0, kana = 0;
    for (int i = 0; i < sample.length(); i++) {
      char c = sample.charAt(i);
      if (!Character.isLetter(c)) continue;
      letters++;
      Character.UnicodeScript sc = Character.UnicodeScript.of(c);
      if (sc == Character.UnicodeScript.HAN) han++;
      else if (sc == Character.UnicodeScript.HIRAGANA || sc == Character.UnicodeScript.KATAKANA) kana++;
    }
    if (letters == 0) return new Result(UNKNOWN, 0);
    if (han > letters * 0.5 && kana < han * 0.05) {
      // Mostly Han and no kana is Chinese, whatever the script or variety; no need to ask the
      // model (which spreads its probability over the Chinese varieties anyway).
      return new Result("zh", han / (double) letters);
    }
    Language best = detector().predictLanguage(sample);
    String code = toIso1(best.getLang());
    double score = best.getConfidence();
    return new Result(code, score);
  }

  /** ISO 639-3 (as the model reports) to ISO 639-1 where one exists; Chinese varieties to {@code zh}. */
  static String toIso1(String iso3) {
    return switch (iso3) {
      case "cmn", "zho", "yue", "wuu", "hak", "nan", "gan", "hsn", "cdo", "lzh" -> "zh";
      case "nob", "nno", "nor" -> "no";
      case "pes", "prs", "fas" -> "fa";
      case "arb", "ara" -> "ar";
      case "zsm", "msa" -> "ms";
      case "ekk", "est" -> "et";
      case "lvs", "lav" -> "lv";
      case "swh", "swa" -> "sw";
      case "uzn", "uzb" -> "uz";
      case "azj", "aze" -> "az";
      case "khk", "mon" -> "mn";
      case "npi", "nep" -> "ne";
      default -> ISO3_TO_1.getOrDefault(iso3, iso3);
    };
  }

  private static Map<String, String> iso3To1() {
    Map<String, String> m = new HashMap<>();
    for (String iso1 : Locale.getISOLanguages()) {
      try {
        m.put(Locale.forLanguageTag(iso1).getISO3Language(), iso1);
      } catch (java.util.MissingResourceException ignored) {
        // no three-letter code known for it
      }
    }
    return m;
  }
}
