package dev.sieve.filter.bench;

import dev.sieve.core.bench.CpuClock;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.filter.DocText;
import dev.sieve.filter.FilterSettings;
import dev.sieve.filter.QualityClassifier;
import dev.sieve.filter.RuleChain;
import dev.sieve.generate.CorpusGenerator;
import dev.sieve.generate.GeneratedCorpus;
import dev.sieve.generate.GenerateSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/filter}: the coarse rule chain and the fastText classifier, one thread each, over
 * generated English and Chinese documents, against a bare loop that only splits every document
 * into lines and whitespace tokens (the least any rule must do). Medians of 3 passes.
 * Args: corpus folder, document count.
 */
public final class FilterBench {
  private FilterBench() {}

  record Doc(String text, String lang, boolean good) {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long n = Long.parseLong(args[1]);
    if (!Files.exists(dir.resolve("_manifest.json"))) {
      GenerateSettings g = new GenerateSettings();
      g.docs = n;
      g.seed = 3;
      g.languages = new java.util.LinkedHashMap<>(Map.of("en", 0.5, "zh", 0.5));
      new CorpusGenerator(g).generate(dir, null);
    }
    List<Doc> docs = read(dir);
    long bytes = 0;
    for (Doc d : docs) bytes += d.text().getBytes(StandardCharsets.UTF_8).length;
    double mb = bytes / 1e6;
    System.out.printf("documents: %,d (%.1f MB; en %d, zh %d)%n", docs.size(), mb,
        docs.stream().filter(d -> d.lang().equals("en")).count(), docs.stream().filter(d -> d.lang().equals("zh")).count());

    RuleChain chain = RuleChain.fromSettings(new FilterSettings());
    double bare = median(() -> {
      long sink = 0;
      for (Doc d : docs) {
        for (String line : d.text().split("\n")) sink += line.split("\\s+").length;
      }
      return sink;
    });
    double coarse = median(() -> {
      long kept = 0;
      for (Doc d : docs) if (chain.apply(new DocText(d.text(), d.lang(), 0.99, d.lang())).kept()) kept++;
      return kept;
    });
    List<String> good = new ArrayList<>(), bad = new ArrayList<>();
    for (int i = 0; i < docs.size() / 2; i++) (docs.get(i).good() ? good : bad).add(docs.get(i).text());
    Path model = Files.createTempDirectory("sieve-bench-model");
    QualityClassifier.Trained t = QualityClassifier.train(good, bad, model, 1);
    System.out.printf("classifier held-out F1 %.3f%n", t.evaluation().f1());
    QualityClassifier c = t.classifier();
    double classify = median(() -> {
      double sum = 0;
      for (Doc d : docs) sum += c.score(d.text());
      return (long) sum;
    });
    c.close();
    System.out.printf("CPU seconds of one thread, medians of 5: bare split loop: %.2f s (%.1f MB/s); coarse chain: %.2f s (%.2f MB/s, %.0f docs/s); classifier: %.2f s (%.2f MB/s, %.0f docs/s)%n",
        bare, mb / bare, coarse, mb / coarse, docs.size() / coarse, classify, mb / classify, docs.size() / classify);
    System.out.printf("BENCH filter coarse_mb_per_s_per_core=%.2f classifier_mb_per_s_per_core=%.2f bare_mb_per_s_per_core=%.2f "
        + "coarse_docs_per_s=%.0f classifier_docs_per_s=%.0f ratio_coarse_vs_bare=%.3f ratio_classifier_vs_bare=%.3f%n", mb / coarse,
        mb / classify, mb / bare, docs.size() / coarse, docs.size() / classify, bare / coarse, bare / classify);
  }

  interface Pass {
    long run() throws Exception;
  }

  /**
   * Median of 5 passes, in this thread's CPU seconds: on a shared machine the wall time also counts
   * the time other processes held the core, the CPU time only this pass's work.
   */
  private static double median(Pass p) throws Exception {
    double[] t = new double[5];
    for (int i = 0; i < t.length; i++) {
      long t0 = CpuClock.nanos();
      p.run();
      t[i] = (CpuClock.nanos() - t0) / 1e9;
    }
    Arrays.sort(t);
    return t[t.length / 2];
  }

  private static List<Doc> read(Path dir) throws Exception {
    GeneratedCorpus corpus = new GeneratedCorpus(dir);
    Map<String, JsonNode> truth = corpus.truth().docsByKey();
    List<Doc> out = new ArrayList<>();
    for (GeneratedCorpus.Doc d : corpus.documents()) {
      JsonNode t = truth.get(d.key());
      out.add(new Doc(d.text(), t.get("lang").asText(), t.get("quality").asText().equals("good")));
    }
    return out;
  }
}
