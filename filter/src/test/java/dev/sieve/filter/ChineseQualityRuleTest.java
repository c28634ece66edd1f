package dev.sieve.filter;

import static dev.sieve.filter.RuleTestTexts.EN;
import static dev.sieve.filter.RuleTestTexts.ZH;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link ChineseQualityRule} with known verdicts (text without spaces). */
class ChineseQualityRuleTest {
  private final ChineseQualityRule r = new ChineseQualityRule();

  @Test
  void knownVerdicts() {
    assertEquals(Verdict.reject("zh_min_cjk_chars", 4, 50), r.apply(new DocText("你好世界", "zh")));
    String spam = ZH.substring(0, 200) + "加微信领取优惠，代开发票，日赚五百，点击这里立即购买，全网最低价！";
    assertEquals("zh_spam_density", r.apply(new DocText(spam, "zh")).rule());
    String run = ZH + "哈哈哈哈哈哈哈哈哈哈哈哈";
    assertEquals(Verdict.reject("zh_char_run", 12, 10), r.apply(new DocText(run, "zh")));
    String latin = ZH.substring(0, 60) + " lorem dolor sit amet consectetur adipiscing elit sed do eiusmod tempor".repeat(3);
    assertEquals("zh_cjk_ratio", r.apply(new DocText(latin, "zh")).rule());
    assertEquals(Verdict.reject("zh_contact_solicitation", 1, 0), r.apply(new DocText(ZH + "添加微信:ZDLJ028", "zh")));
    assertEquals(Verdict.keep(), r.apply(new DocText(ZH, "zh")));
    assertEquals(Verdict.keep(), r.apply(new DocText(EN, "en")), "only applies to zh");
  }

  @Test
  void badSettingNamesItsKey() {
    RuleTestTexts.assertBadSetting("filter:\n  zh_quality:\n    min_cjk_ratio: 1.2\n", "filter.zh_quality.min_cjk_ratio");
    RuleTestTexts.assertBadSetting("filter:\n  zh_quality:\n    max_char_run: 1\n", "filter.zh_quality.max_char_run");
  }
}
