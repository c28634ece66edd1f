package dev.sieve.generate.text;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.generate.CorpusGenerator;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LanguagePackTest {
  @Test
  void everyPackLoadsAndFillsEveryTemplate() {
    for (String lang : CorpusGenerator.SUPPORTED_LANGUAGES) {
      LanguagePack p = LanguagePack.load(lang);
      for (String topic : LanguagePack.TOPICS) {
        ProseWriter w = new ProseWriter(p, topic, new PhrasePicker(new SplittableRandom(lang.hashCode() + topic.hashCode())));
        for (String t : p.templates) {
          String s = w.finish(w.fill(t));
          assertFalse(s.contains("{") || s.contains("}"), lang + "/" + topic + ": " + s);
        }
        String title = w.title();
        assertFalse(title.contains("{"), title);
      }
    }
  }

  @Test
  void englishProseLooksLikeProse() {
    ProseWriter w = new ProseWriter(LanguagePack.load("en"), "health", new PhrasePicker(new SplittableRandom(5)));
    String text = w.paragraph(30);
    List<String> words = Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z']+")).filter(s -> !s.isEmpty()).toList();
    double meanLength = words.stream().mapToInt(String::length).average().orElse(0);
    Set<String> stop = Set.of("the", "be", "to", "of", "and", "that", "have", "with");
    long stopCount = words.stream().filter(stop::contains).count();
    // Gopher (Rae et al. 2021): mean word length 3..10, at least two of its stop words.
    assertTrue(meanLength >= 3 && meanLength <= 10, "mean word length " + meanLength);
    assertTrue(stopCount >= 10, "stop words " + stopCount);
    assertTrue(Character.isUpperCase(text.charAt(0)));
  }

  @Test
  void chineseHasNoSpacesBetweenWords() {
    ProseWriter w = new ProseWriter(LanguagePack.load("zh"), "finance", new PhrasePicker(new SplittableRandom(5)));
    String text = w.paragraph(10);
    assertFalse(text.contains(" "), text);
    assertTrue(text.chars().filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN).count() > 100);
  }

  @Test
  void pickerDoesNotRepeatUntilListIsUsedUp() {
    PhrasePicker picker = new PhrasePicker(new SplittableRandom(1));
    List<String> list = List.of("a", "b", "c", "d");
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 4; i++) assertTrue(seen.add(picker.pick(list)));
  }
}
