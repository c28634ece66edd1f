package dev.sieve.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * lid.176 against sentences with a known answer ({@code langid/labelled-sentences.tsv}: written
 * for this project, plus the Universal Declaration of Human Rights in its official translations):
 * the nine languages of issue 16 and the close neighbours of Russian (uk, bg) and Spanish (gl, pt,
 * ca), short and long.
 */
class LanguageIdentifierAccuracyTest {
  private static final Set<String> NINE = Set.of("en", "zh", "ja", "ko", "ru", "de", "fr", "es", "ar");

  record Labelled(String language, String text) {}

  static List<Labelled> sentences() throws IOException {
    List<Labelled> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        LanguageIdentifierAccuracyTest.class.getResourceAsStream("/dev/sieve/ingest/langid/labelled-sentences.tsv"), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) continue;
        int tab = line.indexOf('\t');
        out.add(new Labelled(line.substring(0, tab), line.substring(tab + 1)));
      }
    }
    return out;
  }

  @Test
  void nineLanguagesAndTheirNeighbours() throws IOException {
    LanguageIdentifier id = new LanguageIdentifier();
    Map<String, int[]> perLanguage = new TreeMap<>();
    List<String> misses = new ArrayList<>();
    int right9 = 0, all9 = 0;
    for (Labelled s : sentences()) {
      LanguageIdentifier.Result r = id.identify(s.text());
      int[] c = perLanguage.computeIfAbsent(s.language(), k -> new int[2]);
      c[1]++;
      boolean ok = r.language().equals(s.language());
      if (ok) c[0]++;
      else misses.add(s.language() + " → " + r.language() + " " + String.format("%.2f", r.score()) + ": " + s.text());
      if (NINE.contains(s.language())) {
        all9++;
        if (ok) right9++;
      }
      assertTrue(r.score() >= 0 && r.score() <= 1, "score in [0, 1]: " + r);
    }
    StringBuilder table = new StringBuilder();
    perLanguage.forEach((lang, c) -> table.append(String.format("%s %d/%d %.3f%n", lang, c[0], c[1], c[0] / (double) c[1])));
    String report = table + "overall (nine) " + right9 + "/" + all9 + "\nmisses:\n" + String.join("\n", misses);
    System.out.println(report);
    assertEquals(NINE.size() + 5, perLanguage.size());
    for (String lang : NINE) assertTrue(perLanguage.get(lang)[1] >= 100, "at least 100 sentences for " + lang);
    assertTrue(right9 / (double) all9 >= 0.99, "overall accuracy ≥ 0.99\n" + report);
    perLanguage.forEach((lang, c) -> {
      // The neighbours are here to show the nine are not taken for them; their own bar is lower:
      // lid.176 reads 13 % of the (pre-2003 orthography) Galician declaration as pt or es.
      double bar = NINE.contains(lang) ? 0.97 : 0.85;
      assertTrue(c[0] / (double) c[1] >= bar, lang + " accuracy ≥ " + bar + "\n" + report);
    });
  }

  @Test
  void fourThreadsAgreeWithOne() throws Exception {
    LanguageIdentifier id = new LanguageIdentifier();
    List<Labelled> all = sentences();
    List<String> expected = new ArrayList<>();
    for (Labelled s : all) expected.add(id.identify(s.text()).toString());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> {
          List<String> got = new ArrayList<>();
          for (Labelled s : all) got.add(id.identify(s.text()).toString());
          return got;
        }));
      }
      for (Future<List<String>> f : runs) assertEquals(expected, f.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void newlinesDoNotCutTheSample() {
    LanguageIdentifier id = new LanguageIdentifier();
    LanguageIdentifier.Result r = id.identify("Title\n\nDer schnelle braune Fuchs springt über den faulen Hund,\nwährend der Bauer zuschaut und die Kinder lachen.");
    assertEquals("de", r.language());
  }

  @Test
  void labelsBecomeIsoCodes() {
    assertEquals("zh", LanguageIdentifier.toIso("__label__zh"));
    assertEquals("zh", LanguageIdentifier.toIso("__label__wuu"));
    assertEquals("zh", LanguageIdentifier.toIso("__label__yue"));
    assertEquals("ar", LanguageIdentifier.toIso("__label__arz"));
    assertEquals("gsw", LanguageIdentifier.toIso("__label__als"));
    assertEquals("ceb", LanguageIdentifier.toIso("__label__ceb"));
    assertEquals("war", LanguageIdentifier.toIso("__label__war"));
    assertEquals("en", LanguageIdentifier.toIso("__label__en"));
  }
}
