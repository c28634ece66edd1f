package dev.sieve.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.generate.text.LanguagePack;
import dev.sieve.generate.text.PhrasePicker;
import dev.sieve.generate.text.ProseWriter;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each rule with known verdicts, English and Chinese (no spaces), and the chain built from YAML. */
class RulesTest {
  private static String prose(String lang, int paragraphs, long seed) {
    ProseWriter w = new ProseWriter(LanguagePack.load(lang), "science", new PhrasePicker(new SplittableRandom(seed)));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < paragraphs; i++) {
      if (i > 0) sb.append('\n');
      sb.append(w.paragraph(4));
    }
    return sb.toString();
  }

  private static final String EN = prose("en", 6, 1);
  private static final String ZH = prose("zh", 6, 2);

  @Test
  void goodEnglishAndChinesePassEveryRule() {
    RuleChain chain = RuleChain.fromSettings(new FilterSettings());
    assertEquals(Verdict.keep(), chain.apply(new DocText(EN, "en", 0.99, "en")));
    DocText zh = new DocText(ZH, "zh", 1.0, "zh");
    assertTrue(zh.words().size() >= 50, "a Chinese article is segmented into words: " + zh.words().size());
    assertEquals(Verdict.keep(), chain.apply(zh));
  }

  @Test
  void gopherQuality() {
    GopherQualityRule r = new GopherQualityRule();
    assertEquals(Verdict.reject("gopher_short_doc", 4, 50), r.apply(new DocText("only four words here", "en")));
    String noStop = String.join(" ", java.util.Collections.nCopies(60, "Bananas apples oranges."));
    assertEquals(Verdict.reject("gopher_stop_words", 0, 2), r.apply(new DocText(noStop, "en")));
    String hashes = EN + " " + "#tag ".repeat(150);
    assertEquals("gopher_symbol_word_ratio", r.apply(new DocText(hashes, "en")).rule());
    String bullets = String.join("\n", java.util.Collections.nCopies(60, "• the item and the thing to buy"));
    assertEquals("gopher_bullet_lines_ratio", r.apply(new DocText(bullets, "en")).rule());
    String numbers = EN + " " + "12 34 56 78 90 ".repeat(60);
    assertEquals("gopher_alpha_words_ratio", r.apply(new DocText(numbers, "en")).rule());
  }

  @Test
  void gopherRepetition() {
    GopherRepetitionRule r = new GopherRepetitionRule();
    String repeated = "One line here.\n" + "The same line again and again.\n".repeat(10);
    Verdict v = r.apply(new DocText(repeated, "en"));
    assertEquals("gopher_dup_para_frac", v.rule());
    assertEquals(9 / 11.0, v.value(), 1e-9);
    String ngrams = EN + " " + "buy cheap watches now ".repeat(40);
    assertTrue(r.apply(new DocText(ngrams, "en")).rule().startsWith("gopher_"), r.apply(new DocText(ngrams, "en")).toString());
    assertEquals(Verdict.keep(), r.apply(new DocText(EN, "en")));
    String zhRepeated = ZH + "\n" + (ZH.substring(0, 60) + "\n").repeat(8);
    assertTrue(!r.apply(new DocText(zhRepeated, "zh")).kept());
  }

  @Test
  void c4AndFineWeb() {
    assertEquals("c4_lorem_ipsum", new C4Rule().apply(new DocText(EN + "\nLorem ipsum dolor sit amet.", "en")).rule());
    assertEquals("c4_curly_bracket", new C4Rule().apply(new DocText(EN + "\nfunction f() { return 1; }", "en")).rule());
    assertEquals(Verdict.reject("c4_too_few_sentences", 2, 5), new C4Rule().apply(new DocText("This is one sentence here. And this is another one.", "en")));
    String menu = String.join("\n", List.of("Home", "About us", "Contact", "Products and services", "Blog", "Careers", "Login"));
    assertEquals("fineweb_line_punct_ratio", new FineWebRule().apply(new DocText(menu, "en")).rule());
    String dupLines = EN + "\nSubscribe to our newsletter today for more.\n".repeat(3);
    assertEquals("fineweb_char_dup_ratio", new FineWebRule().apply(new DocText(dupLines, "en")).rule());
    assertEquals(Verdict.keep(), new FineWebRule().apply(new DocText(ZH, "zh")));
  }

  @Test
  void chineseRules() {
    ChineseQualityRule r = new ChineseQualityRule();
    assertEquals(Verdict.reject("zh_min_cjk_chars", 4, 50), r.apply(new DocText("你好世界", "zh")));
    String spam = ZH.substring(0, 200) + "加微信领取优惠，代开发票，日赚五百，点击这里立即购买，全网最低价！";
    assertEquals("zh_spam_density", r.apply(new DocText(spam, "zh")).rule());
    String run = ZH + "哈哈哈哈哈哈哈哈哈哈哈哈";
    assertEquals(Verdict.reject("zh_char_run", 12, 10), r.apply(new DocText(run, "zh")));
    String latin = ZH.substring(0, 60) + " lorem dolor sit amet consectetur adipiscing elit sed do eiusmod tempor".repeat(3);
    assertEquals("zh_cjk_ratio", r.apply(new DocText(latin, "zh")).rule());
    assertEquals(Verdict.keep(), r.apply(new DocText(EN, "en")), "only applies to zh");
  }

  @Test
  void languageRule() {
    LanguageRule r = new LanguageRule(Set.of("en", "zh"), 0.3, true);
    assertEquals("language_not_allowed", r.apply(new DocText(EN, "de", 0.9, null)).rule());
    assertEquals(Verdict.reject("language_low_score", 0.2, 0.3), r.apply(new DocText(EN, "en", 0.2, null)));
    assertEquals("language_mismatch", r.apply(new DocText(EN, "en", 0.9, "zh")).rule());
    assertEquals(Verdict.keep(), r.apply(new DocText(EN, "en", 0.9, "en-US")));
  }

  @Test
  void thresholdsComeFromYamlWithoutRebuild() {
    String twentyWords = "the cat and the dog sat on the mat with a hat, and that was all of it in the end today.";
    DocText doc = new DocText(twentyWords, "en", 0.9, "en");
    FilterSettings defaults = SieveConfig.defaults().section("filter", FilterSettings.class);
    assertEquals("gopher_short_doc", RuleChain.fromSettings(defaults).apply(doc).rule());
    FilterSettings lenient = SieveConfig.parse("filter:\n  rules: [gopher_quality]\n  gopher_quality:\n    min_words: 10\n")
        .section("filter", FilterSettings.class);
    assertEquals(Verdict.keep(), RuleChain.fromSettings(lenient).apply(doc));
    ConfigException e = assertThrows(ConfigException.class,
        () -> SieveConfig.parse("filter:\n  gopher_quality:\n    min_wordz: 10\n"));
    assertTrue(e.getMessage().startsWith("unknown config key 'filter.gopher_quality.min_wordz'"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> SieveConfig.parse("filter:\n  rules: [gopher, c4]\n"));
    assertTrue(e.getMessage().contains("unknown rule 'gopher'"), e.getMessage());
  }
}
