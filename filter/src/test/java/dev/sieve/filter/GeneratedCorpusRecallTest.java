package dev.sieve.filter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.generate.GeneratedCorpus;
import dev.sieve.ingest.LanguageIdentifier;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The coarse chain against the generator's ground truth: planted low-quality documents are
 * rejected (recall ≥ 0.95) and clean documents survive (≥ 0.95). JSONL and WuDao documents are
 * read straight from the files; language comes from ingest's identifier, the declared language
 * from {@link Judge#declaredLanguage} (the JSONL {@code lang} field, or WuDao being a Chinese corpus).
 */
class GeneratedCorpusRecallTest {
  @Test
  void lowQualityRejectedCleanKept() throws Exception {
    GeneratedCorpus corpus = GeneratedCorpus.cached(3000, 2024);
    Map<String, JsonNode> truth = corpus.truth().docsByKey();
    Map<String, String[]> docs = new HashMap<>(); // key -> text, declared language
    for (GeneratedCorpus.Doc d : corpus.documents()) {
      String declared = d.format().equals("wudao") ? Judge.declaredLanguage(Map.of(), Judge.WUDAO)
          : Judge.declaredLanguage(Map.of("lang", d.declaredLang()), "jsonl");
      docs.put(d.key(), new String[] {d.text(), declared});
    }
    RuleChain chain = RuleChain.fromSettings(new FilterSettings());
    LanguageIdentifier lid = new LanguageIdentifier();
    Map<String, int[]> byQuality = new TreeMap<>(); // quality -> [total, rejected]
    Map<String, Integer> reasons = new TreeMap<>();
    Map<String, String> keptBad = new TreeMap<>();
    Map<String, String> rejectedGood = new TreeMap<>();
    for (Map.Entry<String, String[]> e : docs.entrySet()) {
      JsonNode t = truth.get(e.getKey());
      String text = e.getValue()[0];
      LanguageIdentifier.Result lang = lid.identify(text);
      Verdict v = chain.apply(new DocText(text, lang.language(), lang.score(), e.getValue()[1]));
      String q = t.get("quality").asText();
      int[] c = byQuality.computeIfAbsent(q, k -> new int[2]);
      c[0]++;
      if (!v.kept()) {
        c[1]++;
        reasons.merge(q + ":" + v.rule(), 1, Integer::sum);
        if (q.equals("good")) rejectedGood.put(e.getKey(), v.rule() + "=" + v.value() + " " + text.substring(0, Math.min(80, text.length())));
      } else if (!q.equals("good")) {
        keptBad.put(e.getKey(), q + " " + text.substring(0, Math.min(80, text.length())));
      }
    }
    int bad = 0, badRejected = 0;
    for (Map.Entry<String, int[]> e : byQuality.entrySet()) {
      if (e.getKey().equals("good")) continue;
      bad += e.getValue()[0];
      badRejected += e.getValue()[1];
    }
    int[] good = byQuality.get("good");
    double recall = badRejected / (double) bad;
    double survival = (good[0] - good[1]) / (double) good[0];
    System.out.printf("filter recall on planted low-quality: %.3f (%d of %d); clean kept: %.3f (%d of %d)%n", recall, badRejected, bad,
        survival, good[0] - good[1], good[0]);
    byQuality.forEach((k, v) -> System.out.println("  " + k + ": " + v[1] + " of " + v[0] + " rejected"));
    System.out.println("  reasons: " + reasons);
    keptBad.values().stream().limit(10).forEach(x -> System.out.println("  kept bad: " + x));
    rejectedGood.values().stream().limit(10).forEach(x -> System.out.println("  rejected good: " + x));
    assertTrue(recall >= 0.95, "recall " + recall);
    assertTrue(survival >= 0.95, "clean kept " + survival);
  }
}
