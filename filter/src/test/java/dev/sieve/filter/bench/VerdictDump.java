package dev.sieve.filter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.filter.DocText;
import dev.sieve.filter.FilterSettings;
import dev.sieve.filter.RuleChain;
import dev.sieve.filter.Verdict;
import dev.sieve.ingest.LanguageIdentifier;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the coarse chain's verdict for every document of the real fixtures (CLUECorpus, CSL
 * abstracts, WuDao records and demo), one line each ({@code set, index, verdict, value}), so two
 * builds' outcomes can be compared with {@code diff}. Args: fixtures folder, output file.
 */
public final class VerdictDump {
  private VerdictDump() {}

  public static void main(String[] args) throws Exception {
    Path fx = Path.of(args[0]);
    ObjectMapper json = new ObjectMapper();
    RuleChain chain = RuleChain.fromSettings(new FilterSettings());
    LanguageIdentifier lid = new LanguageIdentifier();
    try (PrintStream out = new PrintStream(Files.newOutputStream(Path.of(args[1])), true, StandardCharsets.UTF_8)) {
      List<String> clue = Files.readAllLines(fx.resolve("zh/CLUECorpusSmall_sampled.txt"), StandardCharsets.UTF_8);
      dump(out, "clue", clue, null, chain, lid);
      List<String> csl = new ArrayList<>();
      for (String line : Files.readAllLines(fx.resolve("zh/csl-abstracts-dev.tsv"), StandardCharsets.UTF_8)) {
        String[] cols = line.split("\t");
        if (cols.length >= 2) csl.add(cols[1]);
      }
      dump(out, "csl", csl, null, chain, lid);
      List<String> demo = new ArrayList<>();
      for (String line : Files.readAllLines(fx.resolve("zh/wudao-demo.jsonl"), StandardCharsets.UTF_8)) demo.add(json.readTree(line).get("text").asText());
      dump(out, "wudao-demo", demo, null, chain, lid);
      List<String> jr = new ArrayList<>();
      for (JsonNode n : json.readTree(fx.resolve("zh/wudao-records-jinrong.json").toFile()).get("RECORDS")) jr.add(n.get("content").asText());
      dump(out, "wudao-jinrong", jr, "zh", chain, lid);
    }
  }

  private static void dump(PrintStream out, String set, List<String> texts, String declared, RuleChain chain, LanguageIdentifier lid) {
    for (int i = 0; i < texts.size(); i++) {
      String t = texts.get(i);
      LanguageIdentifier.Result l = lid.identify(t);
      Verdict v = chain.apply(new DocText(t, l.language(), l.score(), declared));
      out.printf("%s\t%d\t%s\t%s%n", set, i, v.kept() ? "keep" : v.rule(), v.kept() ? "" : String.format("%.4f", v.value()));
    }
  }
}
