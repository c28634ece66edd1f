package dev.sieve.generate.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NearDuplicatesTest {
  private static String text(String lang, long seed) {
    LanguagePack pack = LanguagePack.load(lang);
    ProseWriter w = new ProseWriter(pack, "science", new PhrasePicker(new SplittableRandom(seed)));
    return w.paragraph(12) + "\n" + w.paragraph(12);
  }

  private static List<String> vocabulary(String lang) {
    ProseWriter w = new ProseWriter(LanguagePack.load(lang), "history", new PhrasePicker(new SplittableRandom(1)));
    return Shingles.texts(Shingles.tokens(String.join(" ", w.vocabulary())));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.95, 0.85, 0.7, 0.5})
  void reachesTargetInEnglishAndChinese(double target) {
    for (String lang : List.of("en", "zh")) {
      String original = text(lang, 3);
      NearDuplicates.Variant v = NearDuplicates.make(original, target, vocabulary(lang), new SplittableRandom(9));
      assertEquals(target, v.jaccard(), 0.03, lang + " " + target);
      assertEquals(v.jaccard(), Shingles.jaccard(original, v.text()), 1e-12);
      assertEquals(original.split("\n").length, v.text().split("\n").length);
      assertNotEquals(original, v.text());
    }
  }

  @Test
  void rejectsBadTarget() {
    assertThrows(IllegalArgumentException.class, () -> NearDuplicates.make("a b c", 1.0, List.of("x"), new SplittableRandom(1)));
  }
}
