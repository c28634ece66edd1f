package dev.sieve.filter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.generate.CorpusGenerator;
import dev.sieve.generate.GenerateSettings;
import dev.sieve.ingest.LanguageIdentifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coarse chain against the generator's ground truth: planted low-quality documents are
 * rejected (recall ≥ 0.95) and clean documents survive (≥ 0.95). JSONL and WuDao documents are
 * read straight from the files; language comes from ingest's identifier, the declared language
 * from {@link Judge#declaredLanguage} (the JSONL {@code lang} field, or WuDao being a Chinese corpus).
 */
class GeneratedCorpusRecallTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void lowQualityRejectedCleanKept(@TempDir Path dir) throws Exception {
    GenerateSettings s = new GenerateSettings();
    s.docs = 3000;
    s.seed = 2024;
    new CorpusGenerator(s).generate(dir, null);
    Map<String, JsonNode> truth = new HashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
        Files.newInputStream(dir.resolve("_ground-truth.jsonl.gz"))), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        JsonNode n = JSON.readTree(line);
        if (n.get("type").asText().equals("doc")) truth.put(n.get("key").asText(), n);
      }
    }
    Map<String, String[]> docs = new HashMap<>(); // key -> text, declared language
    try (Stream<Path> files = Files.list(dir.resolve("jsonl"))) {
      for (Path f : files.toList()) {
        for (String line : Files.readAllLines(f)) {
          JsonNode n = JSON.readTree(line);
          docs.put(n.get("url").asText(), new String[] {n.get("text").asText(), Judge.declaredLanguage(Map.of("lang", n.get("lang").asText()), "jsonl")});
        }
      }
    }
    try (Stream<Path> files = Files.list(dir.resolve("wudao"))) {
      for (Path f : files.toList()) {
        try (JsonParser p = JSON.getFactory().createParser(f.toFile())) {
          p.nextToken();
          while (p.nextToken() == JsonToken.START_OBJECT) {
            JsonNode n = JSON.readTree(p);
            docs.put(n.get("uniqueKey").asText(), new String[] {n.get("content").asText(), Judge.declaredLanguage(Map.of(), Judge.WUDAO)});
          }
        }
      }
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
