package dev.sieve.filter;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.generate.text.LanguagePack;
import dev.sieve.generate.text.PhrasePicker;
import dev.sieve.generate.text.ProseWriter;
import java.util.SplittableRandom;

/** Texts the rule tests share (generated prose, English and Chinese without spaces) and the bad-setting check. */
final class RuleTestTexts {
  private RuleTestTexts() {}

  static String prose(String lang, int paragraphs, long seed) {
    ProseWriter w = new ProseWriter(LanguagePack.load(lang), "science", new PhrasePicker(new SplittableRandom(seed)));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < paragraphs; i++) {
      if (i > 0) sb.append('\n');
      sb.append(w.paragraph(4));
    }
    return sb.toString();
  }

  static final String EN = prose("en", 6, 1);
  static final String ZH = prose("zh", 6, 2);

  /** Parsing {@code yaml} fails with a config error that names {@code key}. */
  static void assertBadSetting(String yaml, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> SieveConfig.parse(yaml));
    assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
  }
}
