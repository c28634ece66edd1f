package dev.sieve.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sieve.ingest.LanguageIdentifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The coarse chain on 2,500 real Chinese web documents (../shared/fixtures/zh/CLUECorpusSmall_sampled.txt). */
class ClueCorpusTest {
  @Test
  void perRuleCounts() throws Exception {
    Path f = Path.of(System.getProperty("sieve.fixtures", "../../shared/fixtures")).resolve("zh/CLUECorpusSmall_sampled.txt");
    assumeTrue(Files.isRegularFile(f), "fixture " + f + " absent: skipped");
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    RuleChain chain = RuleChain.fromSettings(new FilterSettings());
    LanguageIdentifier lid = new LanguageIdentifier();
    Map<String, Integer> counts = new TreeMap<>();
    String[] verdicts = new String[lines.size()];
    int kept = 0;
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      LanguageIdentifier.Result l = lid.identify(text);
      Verdict v = chain.apply(new DocText(text, l.language(), l.score(), null));
      verdicts[i] = v.kept() ? "keep" : v.rule();
      if (v.kept()) kept++;
      else counts.merge(v.rule(), 1, Integer::sum);
      if (System.getenv("SIEVE_DUMP") != null) System.out.println(i + "\t" + (v.kept() ? "KEEP" : v.rule()) + "\t" + text.substring(0, Math.min(90, text.length())));
    }
    System.out.println("CLUECorpusSmall_sampled: kept " + kept + " of " + lines.size() + "; rejected by rule " + counts);
    assertEquals(lines.size(), kept + counts.values().stream().mapToInt(Integer::intValue).sum());
    assertTrue(kept > 0);
    // News and encyclopedia lines are kept (lines by content, 0-based).
    assertEquals("keep", verdicts[8], "encyclopedia: Universal Disk Format");
    assertEquals("keep", verdicts[10], "encyclopedia: a French commune");
    assertEquals("keep", verdicts[12], "sports news: Southampton and Cech");
    assertEquals("keep", verdicts[15], "local news: a traffic accident");
    assertEquals("keep", verdicts[49], "court news: a bribery trial");
    // Finance spam (trading "analysis" ending in a WeChat handle) and product promotions are rejected.
    assertEquals("zh_contact_solicitation", verdicts[3], "crude-oil trading promo with a WeChat handle");
    assertEquals("zh_contact_solicitation", verdicts[168], "crude-oil trading promo with an obfuscated WeChat number");
    assertEquals("zh_spam_density", verdicts[2324], "wool hat promotion: 包邮, 手慢无, 领取");
  }
}
