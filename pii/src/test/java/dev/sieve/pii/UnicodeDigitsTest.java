package dev.sieve.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 3: PII written in full-width digits, digits of other scripts and full-width
 * separators is found like its ASCII form, and the replacement covers exactly the original
 * characters.
 */
class UnicodeDigitsTest {
  private static final PiiScrubber CHAIN = PiiScrubber.defaults();

  private static List<String> found(PiiDetector d, String text, String lang) {
    return PiiScrubber.resolve(d.find(new PiiInput(text, lang, null))).stream().map(s -> text.substring(s.start(), s.end())).toList();
  }

  /** The issue's document: every value once in full-width digits, once in ASCII. */
  @Test
  void issue14FullWidthDocumentKnownAnswer() {
    String text = "张先生的手机１３９０００１２３４５，备用１８６ ２２３３ ４４５５，办公13900012345。"
        + "身份证号１１０１０５１９４９１２３１００２Ｘ，另一份11010519491231002X。"
        + "信用卡４１１１ １１１１ １１１１ １１１１，旧卡4111 1111 1111 1111。";
    PiiScrubber.Result r = CHAIN.scrub(text, "zh", null);
    assertEquals(Map.of("phone", 3, "id_number", 2, "credit_card", 2), r.counts());
    assertEquals("张先生的手机<PHONE>，备用<PHONE>，办公<PHONE>。身份证号<ID_NUMBER>，另一份<ID_NUMBER>。"
        + "信用卡<CREDIT_CARD>，旧卡<CREDIT_CARD>。", r.text());
    // The same without a language hint (Han characters alone turn the Chinese mobile pattern on).
    assertEquals(Map.of("phone", 3, "id_number", 2, "credit_card", 2), CHAIN.scrub(text, null, null).counts());
  }

  @Test
  void ideographicSpaceAndFullWidthSeparators() {
    PhoneDetector d = new PhoneDetector();
    assertEquals(List.of("１８６\u3000２２３３\u3000４４５５"), found(d, "备用１８６\u3000２２３３\u3000４４５５。", "zh"));
    assertEquals(List.of("１８６－２２３３－４４５５"), found(d, "备用１８６－２２３３－４４５５。", "zh"));
    assertEquals(List.of("＋８６ １３９０００１２３４５"), found(d, "国际＋８６ １３９０００１２３４５。", "zh"));
    // Beijing landline with full-width parentheses and dash.
    assertEquals(List.of("（０１０）６２７５－１２３４"), found(d, "电话（０１０）６２７５－１２３４。", "zh"));
  }

  /**
   * Arabic-Indic digits: libphonenumber reads them itself (google/libphonenumber#954,
   * catamphetamine/libphonenumber-js#141 "+٤٤..."), but our digit-group prefilter used to skip the
   * document before libphonenumber saw it.
   */
  @Test
  void arabicIndicPhone() {
    PhoneDetector d = new PhoneDetector();
    assertEquals(List.of("+١ ٢١٢-٥٥٥-٠١٨٧"), found(d, "اتصل على +١ ٢١٢-٥٥٥-٠١٨٧ اليوم", null));
    assertEquals(List.of("(२१२) ५५५-०१८७"), found(d, "Call (२१२) ५५५-०१८७ today.", "en"));
  }

  /**
   * Mixed-script card numbers: pydantic/pydantic#13534 ('４1111111111114': the Luhn check read the
   * full-width digit, the brand check compared ASCII literals) and apache/commons-validator#380
   * (full-width and Arabic-Indic digits in Luhn). Here every check reads digits of any script the
   * same, so a valid number is found and an invalid one is not.
   */
  @Test
  void mixedScriptCards() {
    CreditCardDetector d = new CreditCardDetector();
    assertEquals(List.of("４111111111111111"), found(d, "card ４111111111111111 ok", null));
    assertEquals(List.of("٤١١١ ١١١١ ١١١١ ١١١١"), found(d, "بطاقة ٤١١١ ١١١١ ١١١١ ١١١١", null));
    assertEquals(List.of("４１１１－１１１１－１１１１－１１１１"), found(d, "卡号４１１１－１１１１－１１１１－１１１１", "zh"));
    // pydantic's 14-digit value: Luhn-valid but no Visa length, in either script.
    assertEquals(List.of(), found(d, "card ４1111111111114 / 41111111111114", null));
    assertEquals(List.of(), found(d, "卡号４１１１ １１１１ １１１１ １１１２", "zh"));
    assertTrue(CreditCardDetector.luhn("４１１１１１１１１１１１１１１１"));
    assertTrue(CreditCardDetector.knownIssuer("４111111111111111"));
  }

  @Test
  void fullWidthIdsValidators() {
    assertTrue(NationalIdDetector.chineseId("１１０１０５１９４９１２３１００２Ｘ"));
    assertTrue(NationalIdDetector.ssn("０７８－０５－１１２０"));
    assertEquals(List.of("０７８－０５－１１２０"), found(new NationalIdDetector(), "SSN ０７８－０５－１１２０ on file", "en"));
    // A wrong check digit in full-width digits stays a wrong check digit.
    assertEquals(List.of(), found(new NationalIdDetector(), "身份证号１１０１０５１９４９１２３１００２２。", "zh"));
    assertEquals(List.of("ＤＥ８９ ３７０４ ００４４ ０５３２ ０１３０ ００"), found(new IbanDetector(), "IBAN ＤＥ８９ ３７０４ ００４４ ０５３２ ０１３０ ００。", null));
  }

  @Test
  void fullWidthEmailsAndIps() {
    EmailDetector e = new EmailDetector();
    assertEquals(List.of("ｌｉ＠ｅｘａｍｐｌｅ．ｃｏｍ"), found(e, "联系ｌｉ＠ｅｘａｍｐｌｅ．ｃｏｍ。", "zh"));
    assertEquals(List.of("wang＠163.com"), found(e, "邮箱：wang＠163.com（请把＠换成@）", "zh"));
    assertEquals(List.of("a\uFE6Bexample.org"), found(e, "small at a\uFE6Bexample.org", null));
    IpAddressDetector ip = new IpAddressDetector();
    assertEquals(List.of("８．８．８．８", "93.184.216.34"), found(ip, "服务器８．８．８．８和93.184.216.34", "zh"));
    assertEquals(List.of(), found(ip, "路由器１９２．１６８．１．１", "zh"));
  }

  /** Supplementary-plane digits (two UTF-16 units each) map back to the exact original span. */
  @Test
  void supplementaryDigitsKeepOffsets() {
    String bold = "𝟏𝟑𝟗𝟎𝟎𝟎𝟏𝟐𝟑𝟒𝟓"; // MATHEMATICAL BOLD DIGITs
    String text = "手机" + bold + "，邮箱li@example.com，卡４１１１ １１１１ １１１１ １１１１。";
    PiiScrubber.Result r = CHAIN.scrub(text, "zh", null);
    assertEquals("手机<PHONE>，邮箱<EMAIL>，卡<CREDIT_CARD>。", r.text());
    List<PiiSpan> spans = CHAIN.detect(new PiiInput(text, "zh", null));
    assertEquals(bold, text.substring(spans.get(0).start(), spans.get(0).end()));
  }

  @Test
  void trapsInFullWidthStayUntouched() {
    for (String t : List.of("日期２０２４年１月１５日，时间１２：３０：４５。", "版本ｖ１．２．３．４，价格￥３９９９元。",
        "订单号２０２４０１１５－０００１２３，发票１２３４５６７。", "面积１２３４５６７ m² 与 x¹²³⁴⁵⁶⁷⁸⁹ 上标。",
        "Router at １９２．１６８．１．１, docs ２０３．０．１１３．５.")) {
      for (String lang : new String[] {null, "zh", "en"}) assertEquals(t, CHAIN.scrub(t, lang, null).text(), t + " / " + lang);
    }
  }

  @Test
  void foldedViewFastPathAndMapping() {
    String ascii = "Mail jo@gmail.com, call +1 212-555-0187.";
    assertSame(ascii, FoldedText.of(ascii).text);
    String han = "中文分词很有意思。中文很好";
    assertSame(han, FoldedText.of(han).text);
    assertEquals("tel 139-0001 (2345) a@b.cn", FoldedText.fold("tel １３９‐０００１ （２３４５）\u3000ａ＠ｂ．ｃｎ"));
    assertEquals("x²③", FoldedText.fold("x²③")); // superscript and circled digits are not folded
    FoldedText f = FoldedText.of("a𝟏b");
    assertEquals("a1b", f.text);
    assertEquals(0, f.originalOffset(0));
    assertEquals(1, f.originalOffset(1));
    assertEquals(3, f.originalOffset(2));
    assertEquals(4, f.originalOffset(3));
  }
}
