package dev.sieve.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlocklistRuleTest {
  @Test
  void domainsAndWordsFromFilesNamedInYaml(@TempDir Path dir) throws Exception {
    Path domains = dir.resolve("domains.txt");
    Files.writeString(domains, "# blocked sites\nexample.com   # and its subdomains\n\nspam.cn\n");
    Path words = dir.resolve("words.txt");
    Files.writeString(words, "badword\n赌博\nfree money\n");
    FilterSettings s = SieveConfig.parse("filter:\n  rules: [blocklist]\n  blocklist:\n    domains_file: " + domains
        + "\n    words_file: " + words + "\n").section("filter", FilterSettings.class);
    RuleChain chain = RuleChain.fromSettings(s);
    String text = "A perfectly ordinary sentence about gardens.";
    assertEquals("blocklist_domain", chain.apply(new DocText(text, "en").withUrl("https://www.example.com/page")).rule());
    assertEquals("blocklist_domain", chain.apply(new DocText(text, "en").withUrl("http://spam.cn/")).rule());
    assertEquals(Verdict.keep(), chain.apply(new DocText(text, "en").withUrl("https://notexample.com/")));
    // Without a URL, bronze's domain column (the registered domain ingest derived) is what is matched.
    assertEquals("blocklist_domain", chain.apply(new DocText(text, "en").withUrl(null).withDomain("example.com")).rule());
    assertEquals(Verdict.keep(), chain.apply(new DocText(text, "en").withDomain("example.org")));
    assertEquals("blocklist_domain", chain.apply(Judge.docText(dev.sieve.core.Doc.builder().docId("d").source("jsonl").text(text)
        .language("en").languageScore(0.9).domain("spam.cn").build())).rule());
    // Hosts java.net.URI reads as registry-based (an underscore) or URLs it refuses still have a domain.
    assertEquals("blocklist_domain", chain.apply(new DocText(text, "en").withUrl("https://my_shop.example.com/a")).rule());
    assertEquals("blocklist_domain", chain.apply(new DocText(text, "en").withUrl("http://user@WWW.Example.com.:8080/a b|c")).rule());
    assertEquals(Verdict.reject("blocklist_words", 1, 1), chain.apply(new DocText("This has a BadWord in it.", "en")));
    assertEquals(Verdict.reject("blocklist_words", 2, 1), chain.apply(new DocText("Get free money, free   money!", "en").withUrl(null)));
    assertEquals(Verdict.keep(), chain.apply(new DocText("Badwords glued together are other words.", "en")));
    assertEquals(Verdict.reject("blocklist_words", 1, 1), chain.apply(new DocText("这里讲的是网络赌博的危害。", "zh")));
  }

  @Test
  void shippedListsByDefaultWithADensityThreshold() {
    WordList shipped = new WordList(WordList.shipped());
    assertTrue(shipped.size() > 2500, "28 LDNOOBW lists: " + shipped.size());
    RuleChain chain = RuleChain.fromSettings(SieveConfig.parse("filter:\n  rules: [blocklist]\n").section("filter", FilterSettings.class));
    String article = "The museum opened a new wing on Saturday. ".repeat(20); // 160 words
    // One passing mention in a long page stays (C4 would have dropped it); a page dense with list words goes.
    assertEquals(Verdict.keep(), chain.apply(new DocText(article + "A painting of a nude figure hangs in the hall.", "en")));
    Verdict v = chain.apply(new DocText("Free porn and xxx videos, nude hentai, erotic escort pages. " + article, "en"));
    assertEquals("blocklist_ldnoobw", v.rule());
    assertEquals(6.0 / 170, v.value(), 1e-9);
    assertEquals(BlocklistRule.DEFAULT_LIST_MIN_RATIO, v.threshold());
    // Chinese: substrings, each character a word; the single-character entry 乳 in dairy news stays under the density.
    String zh = "本地乳业公司今天公布了新的生产计划，将在明年扩建工厂并增加就业岗位，专家认为这对当地经济有积极作用。".repeat(3);
    assertEquals(Verdict.keep(), chain.apply(new DocText(zh, "zh")));
    assertEquals("blocklist_ldnoobw", chain.apply(new DocText("色情网站色情视频" + zh, "zh")).rule());
    // Each list against its own language: the Turkish entry "am" is German for "at the".
    assertEquals(Verdict.keep(), chain.apply(new DocText("Wir treffen uns am Montag am Bahnhof und am Abend am See.", "de")));
    // Off, or at another density, by config.
    RuleChain off = RuleChain.fromSettings(SieveConfig.parse("filter:\n  rules: [blocklist]\n  blocklist: {default_words: false}\n")
        .section("filter", FilterSettings.class));
    assertEquals(Verdict.keep(), off.apply(new DocText("Free porn and xxx videos, nude hentai, erotic escort pages.", "en")));
    RuleChain c4 = RuleChain.fromSettings(SieveConfig.parse("filter:\n  rules: [blocklist]\n  blocklist: {default_words_min_ratio: 0}\n")
        .section("filter", FilterSettings.class));
    assertEquals("blocklist_ldnoobw", c4.apply(new DocText(article + "A painting of a nude figure hangs in the hall.", "en")).rule());
  }

  @Test
  void badSettingNamesItsKey() {
    RuleTestTexts.assertBadSetting("filter:\n  blocklist:\n    min_word_hits: 0\n", "filter.blocklist.min_word_hits");
  }

  @Test
  void missingListFileIsAConfigErrorNamingTheKey(@TempDir Path dir) {
    FilterSettings s = SieveConfig.parse("filter:\n  blocklist:\n    words_file: " + dir.resolve("nope.txt") + "\n")
        .section("filter", FilterSettings.class);
    ConfigException e = assertThrows(ConfigException.class, () -> RuleChain.fromSettings(s));
    assertTrue(e.getMessage().startsWith("bad value for 'filter.blocklist.words_file': file not found"), e.getMessage());
  }
}
