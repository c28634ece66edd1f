package dev.sieve.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.generate.GeneratedCorpus;
import dev.sieve.generate.GenerateSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fastText quality classifier: trained, evaluated on a held-out split, reloaded with the same scores. */
class QualityClassifierTest {
  @Test
  void separatesGeneratedCleanFromPlantedLowQuality(@TempDir Path dir) throws Exception {
    GenerateSettings g = new GenerateSettings();
    g.docs = 3000;
    g.seed = 99;
    g.lowQualityRate = 0.3;
    GeneratedCorpus corpus = GeneratedCorpus.cached(g);
    Map<String, JsonNode> truth = corpus.truth().docsByKey();
    List<String> good = new ArrayList<>(), bad = new ArrayList<>();
    for (GeneratedCorpus.Doc d : corpus.jsonl()) (truth.get(d.key()).get("quality").asText().equals("good") ? good : bad).add(d.text());
    QualityClassifier.Trained t = QualityClassifier.train(good, bad, dir.resolve("model"), 7);
    QualityClassifier.Evaluation e = t.evaluation();
    System.out.printf("classifier on generated text: %d train, %d held out, P=%.3f R=%.3f F1=%.3f%n", e.trainSize(), e.heldOut(),
        e.precision(), e.recall(), e.f1());
    assertTrue(e.f1() >= 0.9, e.toString());

    List<Double> before = new ArrayList<>();
    for (int i = 0; i < 20; i++) before.add(t.classifier().score(i % 2 == 0 ? good.get(i) : bad.get(i)));
    Path model = t.classifier().path();
    t.classifier().close();
    try (QualityClassifier again = QualityClassifier.load(model)) {
      for (int i = 0; i < 20; i++) assertEquals(before.get(i), again.score(i % 2 == 0 ? good.get(i) : bad.get(i)), 0.0);
      assertTrue(again.score(good.get(0)) > again.score("BUY NOW!!! cheap pills, 90% OFF, click here!!!"));
    }
  }

  @Test
  void chineseAbstractsAgainstCrawl(@TempDir Path dir) throws Exception {
    Path fx = Path.of(System.getProperty("sieve.fixtures", "../../shared/fixtures")).resolve("zh");
    assumeTrue(Files.isRegularFile(fx.resolve("csl-abstracts-dev.tsv")) && Files.isRegularFile(fx.resolve("CLUECorpusSmall_sampled.txt")),
        "CSL / CLUECorpus fixtures absent: skipped");
    List<String> positives = new ArrayList<>();
    for (String line : Files.readAllLines(fx.resolve("csl-abstracts-dev.tsv"), StandardCharsets.UTF_8)) {
      String[] cols = line.split("\t");
      if (cols.length >= 2) positives.add(cols[1]);
    }
    List<String> negatives = Files.readAllLines(fx.resolve("CLUECorpusSmall_sampled.txt"), StandardCharsets.UTF_8).subList(0, 1000);
    QualityClassifier.Trained t = QualityClassifier.train(positives, negatives, dir, 11);
    QualityClassifier.Evaluation e = t.evaluation();
    System.out.printf("classifier CSL abstracts vs CLUECorpus: %d train, %d held out, P=%.3f R=%.3f F1=%.3f%n", e.trainSize(), e.heldOut(),
        e.precision(), e.recall(), e.f1());
    assertTrue(e.f1() >= 0.9, e.toString());
    t.classifier().close();
  }

  @Test
  void tokensAreTheRulesWordsLowerCased() {
    assertEquals("the cat sat. on the mat", QualityClassifier.tokens("The  Cat sat.\nOn the MAT"));
    // Chinese: characters (fastText's word bigrams are then character bigrams), Latin runs and numbers whole.
    assertEquals("我 们 在 2021 年 用 了 gpt 4", QualityClassifier.tokens("我们在2021年用了GPT-4。"));
    DocText doc = new DocText("我们在2021年用了GPT-4。", "zh", 0.9, "zh");
    assertEquals(QualityClassifier.tokens(doc.text()), QualityClassifier.tokens(doc), "scoring reuses the words, same as training");
    assertEquals(QualityClassifier.MAX_TOKENS, QualityClassifier.tokens("word ".repeat(1500)).split(" ").length);
  }

  @Test
  void paretoSamplingIsSeededByDocId() {
    assertEquals(QualityClassifier.paretoKeep(0.3, "doc-1", 9), QualityClassifier.paretoKeep(0.3, "doc-1", 9));
    int keptHigh = 0, keptLow = 0;
    for (int i = 0; i < 2000; i++) {
      if (QualityClassifier.paretoKeep(0.95, "d" + i, 9)) keptHigh++;
      if (QualityClassifier.paretoKeep(0.05, "d" + i, 9)) keptLow++;
    }
    // P(Lomax(9) > 1 - s) = (2 - s)^-9: 0.645 at s = 0.95, 0.0024 at s = 0.05.
    assertTrue(keptHigh > 1200 && keptHigh < 1380, "about 64 % of high scores kept: " + keptHigh);
    assertTrue(keptLow < 20, "low scores almost all dropped: " + keptLow);
    assertFalse(QualityClassifier.paretoKeep(0.0, "d1", 9) && QualityClassifier.paretoKeep(0.0, "d2", 9) && QualityClassifier.paretoKeep(0.0, "d3", 9));
  }
}
