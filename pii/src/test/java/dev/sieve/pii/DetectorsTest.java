package dev.sieve.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.PiiKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-detector positives and traps with known answers. */
class DetectorsTest {
  private static List<String> found(PiiDetector d, String text, String lang) {
    PiiInput in = new PiiInput(text, lang, null);
    return PiiScrubber.resolve(d.find(in)).stream().map(s -> text.substring(s.start(), s.end())).toList();
  }

  private static List<String> found(PiiDetector d, String text) {
    return found(d, text, null);
  }

  /** Every trap stays untouched by the whole default chain, whatever the language hint. */
  private static void untouched(String text) {
    for (String lang : new String[] {null, "en", "zh", "de", "fr", "es", "ru"}) {
      PiiScrubber.Result r = PiiScrubber.defaults().scrub(text, lang, null);
      assertEquals(text, r.text(), "lang " + lang + " changed: " + r.counts());
    }
  }

  @Test
  void email() {
    EmailDetector d = new EmailDetector();
    assertEquals(List.of("jo.hansen@gmail.com"), found(d, "Write to jo.hansen@gmail.com."));
    assertEquals(List.of("li_wei88@163.com"), found(d, "请发邮件到li_wei88@163.com联系王先生。"));
    assertEquals(List.of("a+tag@sub.example.co.uk", "x@y.de"), found(d, "<a+tag@sub.example.co.uk>, (x@y.de)"));
    assertEquals(List.of(), found(d, "icon@2x.png user@localhost a..b@x.com @home me@ x@-bad.com"));
  }

  @Test
  void ipAddresses() {
    IpAddressDetector d = new IpAddressDetector();
    assertEquals(List.of("8.8.8.8", "93.184.216.34"), found(d, "DNS 8.8.8.8, host 93.184.216.34."));
    assertEquals(List.of("2a00:1450:4001:82b::200e", "2606:4700::6810:85e5"), found(d, "via 2a00:1450:4001:82b::200e and [2606:4700::6810:85e5]:443"));
    assertEquals(List.of("::ffff:8.8.4.4"), found(d, "mapped ::ffff:8.8.4.4 here"));
    // Private, loopback, link-local, documentation, unspecified, broadcast, multicast.
    assertEquals(List.of(), found(d, "10.0.0.1 172.16.5.4 172.31.255.1 192.168.1.1 127.0.0.1 169.254.10.20 192.0.2.7 198.51.100.9 "
        + "203.0.113.5 0.0.0.0 255.255.255.255 224.0.0.251 100.64.1.1"));
    assertEquals(List.of(), found(d, "::1 :: fe80::1ff:fe23:4567:890a fd12:3456:789a::1 2001:db8::1 2001:0db8:85a3::8a2e:370:7334 ff02::1 ::ffff:192.168.0.1"));
    // Version strings, longer dotted numbers, times, MACs, C++ scopes.
    assertEquals(List.of(), found(d, "v1.2.3.4 1.2.3.4.5 10.0.19041.1 build 4.3.2.1-beta 1.2.3 12:30:45 00:1a:2b:3c:4d:5e std::vector a::b 1.02.3.4"));
    assertEquals(List.of("10.0.0.1"), found(new IpAddressDetector(false), "10.0.0.1"));
  }

  @Test
  void phones() {
    PhoneDetector d = new PhoneDetector();
    assertEquals(List.of("(212) 555-0187"), found(d, "Call (212) 555-0187 today.", "en"));
    assertEquals(List.of("030 23456789"), found(d, "Rufen Sie 030 23456789 an.", "de"));
    assertEquals(List.of("+33 6 12 34 56 78"), found(d, "Appelez le +33 6 12 34 56 78.", "fr"));
    assertEquals(List.of("+7 495 123-45-67"), found(d, "Звоните +7 495 123-45-67.", "ru"));
    assertEquals(List.of("13812345678"), found(d, "电话：13812345678【广告】", "zh"));
    assertEquals(List.of("138 1234 5678"), found(d, "电话 138 1234 5678。", null));
    assertEquals(List.of("+86 13912345678"), found(d, "call +86 13912345678", "en"));
    assertEquals(List.of("+ 38 048 738 08 08"), found(d, "Телефон:\n+ 38 048 738 08 08\n", "ru"));
    // Without any hint only international numbers are found.
    assertEquals(List.of(), found(d, "Call (212) 555-0187 today."));
    assertEquals(List.of("+1 212-555-0187"), found(d, "Call +1 212-555-0187 today."));
  }

  @Test
  void phoneRegionFromTld() {
    PhoneDetector d = new PhoneDetector();
    String text = "Тел. 048 738 08 08";
    assertTrue(d.find(new PiiInput(text, "ru", null)).isEmpty());
    assertEquals(1, d.find(new PiiInput(text, "ru", "08.od.ua")).size());
  }

  @Test
  void creditCards() {
    CreditCardDetector d = new CreditCardDetector();
    assertEquals(List.of("4111 1111 1111 1111"), found(d, "card 4111 1111 1111 1111, exp 12/27"));
    assertEquals(List.of("5500-0000-0000-0004"), found(d, "MC 5500-0000-0000-0004."));
    assertEquals(List.of("378282246310005"), found(d, "Amex 378282246310005"));
    assertEquals(List.of("3714 496353 98431"), found(d, "Amex 3714 496353 98431"));
    assertEquals(List.of("6212345678901232"), found(d, "银联卡6212345678901232已挂失"));
    // Luhn failure, unknown issuer, mixed separators, part of a longer run.
    assertEquals(List.of(), found(d, "4111 1111 1111 1112 / 9111111111111111 (order 1234567890123456) 4111-1111 1111 1111 "
        + "4111 1111 1111 1111 2222 0000 4111 1111 1111 1111"));
  }

  @Test
  void nationalIds() {
    NationalIdDetector d = new NationalIdDetector();
    assertEquals(List.of("11010519491231002X"), found(d, "身份证号11010519491231002X。", "zh"));
    assertEquals(List.of("078-05-1120"), found(d, "SSN 078-05-1120 on file", "en"));
    assertEquals(List.of("12345678Z", "X1234567L"), found(d, "DNI 12345678Z, NIE X1234567L", "es"));
    assertEquals(List.of("1 85 05 78 006 084 91"), found(d, "NIR 1 85 05 78 006 084 91.", "fr"));
    assertEquals(List.of("185057800608491"), found(d, "NIR 185057800608491", "fr"));
    assertEquals(List.of("86095742719"), found(d, "Steuer-ID 86095742719", "de"));
    assertEquals(List.of("112-233-445 95"), found(d, "СНИЛС 112-233-445 95", "ru"));
    // 18 digits with a wrong check digit, a bad birth date or a bad province; SSNs from never-issued ranges.
    assertEquals(List.of(), found(d, "110105194912310022 110105194913310021 990105194912310021 000-12-3456 666-12-3456 "
        + "912-34-5678 123-00-4567 123-45-0000 12345678A 1 85 05 78 006 084 92 86095742718 112-233-445 96"));
    // German tax id shapes are not looked for in Chinese text (11-digit mobiles).
    assertEquals(List.of(), found(d, "电话86095742719", "zh"));
  }

  @Test
  void iban() {
    IbanDetector d = new IbanDetector();
    assertEquals(List.of("DE89 3704 0044 0532 0130 00"), found(d, "IBAN DE89 3704 0044 0532 0130 00 EUR"));
    assertEquals(List.of("GB82WEST12345698765432"), found(d, "GB82WEST12345698765432"));
    assertEquals(List.of("GB82 WEST 1234 5698 7654 32"), found(d, "pay to GB82 WEST 1234 5698 7654 32."));
    assertEquals(List.of(), found(d, "DE89 3704 0044 0532 0130 01 XX12 3456 7890 1234 GB82WEST1234569876543"));
    assertEquals(PiiKind.ID_NUMBER, d.kind());
  }

  @Test
  void secrets() {
    SecretDetector d = new SecretDetector();
    assertEquals(List.of("AKIAIOSFODNN7EXAMPLE"), found(d, "aws_access_key_id AKIAIOSFODNN7EXAMPLE"));
    assertEquals(List.of("ghp_abcdefghijklmnopqrstuvwxyz0123456789"), found(d, "token ghp_abcdefghijklmnopqrstuvwxyz0123456789."));
    assertEquals(List.of("xoxb-12345678901-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"), found(d, "xoxb-12345678901-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"));
    assertEquals(List.of("AIzaSyA1234567890abcdefghijklmnopqrstuv"), found(d, "key=AIzaSyA1234567890abcdefghijklmnopqrstuv&x"));
    // Assignments: only the value is reported.
    assertEquals(List.of("q8Z!rT2#mW9x"), found(d, "DB_PASSWORD=q8Z!rT2#mW9x"));
    assertEquals(List.of("9fA3kL0pQz7Xv2Bn"), found(d, "\"api_key\": \"9fA3kL0pQz7Xv2Bn\","));
    assertEquals(List.of("s3cr3tV4lu3Xy"), found(d, "client_secret => 's3cr3tV4lu3Xy'"));
    // Low entropy, placeholders, comparisons, too short.
    assertEquals(List.of(), found(d, "password=changeme password: ${DB_PASS} token = <your-token> password == other secret: abc1 "
        + "password=aaaaaaaaaaaa1 tokens: many"));
    String key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1c\nabcDEF==\n-----END RSA PRIVATE KEY-----";
    String text = "before\n" + key + "\nafter";
    assertEquals(List.of(key), found(d, text));
    String open = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQUFBQUFB\n";
    assertEquals(List.of(open.strip()), found(d, open + "\nThat was my key."));
  }

  @Test
  void trapsStayUntouched() {
    untouched("Dates 2024-01-15, 15.01.2024, 01/15/2024 and 2024年1月15日, at 12:30:45 or 23:59.");
    untouched("Versions v1.2.3, 10.0.19041.1, 4.18.0-305.el8, Java 17.0.2.");
    untouched("ISBN 978-3-16-148410-0 and ISBN-13 9783161484100.");
    untouched("Order no. 20240115-000123, invoice 1234567, ticket #982734.");
    untouched("Prices: ¥12,345.67, $1,299.00, 1.299,00 €, 价格￥3999元.");
    untouched("ID 110105194912310022 has a wrong check digit.");
    untouched("Router at 192.168.1.1, gateway 10.0.0.1, docs 203.0.113.5.");
    untouched("Card 4111 1111 1111 1112 fails Luhn.");
    untouched("Population 1,234,567 in 2023; 3.14159265358979 is pi.");
  }

  @Test
  void scrubberReplacesAndCounts() {
    PiiScrubber s = PiiScrubber.defaults();
    PiiScrubber.Result r = s.scrub("Mail jo@gmail.com or call +1 212-555-0187; card 4111111111111111, ip 8.8.8.8, jo@gmail.com", "en", null);
    assertEquals("Mail <EMAIL> or call <PHONE>; card <CREDIT_CARD>, ip <IP_ADDRESS>, <EMAIL>", r.text());
    assertEquals(Map.of("email", 2, "phone", 1, "credit_card", 1, "ip_address", 1), r.counts());
    assertEquals(Map.of(), s.scrub("nothing here", "en", null).counts());
    assertFalse(r.toString().contains("gmail"));
  }

  @Test
  void overlapsResolvedLongestThenEarliestThenMostSpecific() {
    List<PiiSpan> r = PiiScrubber.resolve(List.of(new PiiSpan(0, 11, PiiKind.PHONE), new PiiSpan(0, 11, PiiKind.ID_NUMBER),
        new PiiSpan(5, 20, PiiKind.CREDIT_CARD), new PiiSpan(21, 25, PiiKind.EMAIL), new PiiSpan(22, 26, PiiKind.SECRET)));
    assertEquals(List.of(new PiiSpan(5, 20, PiiKind.CREDIT_CARD), new PiiSpan(21, 25, PiiKind.EMAIL)), r);
    r = PiiScrubber.resolve(List.of(new PiiSpan(0, 11, PiiKind.PHONE), new PiiSpan(0, 11, PiiKind.ID_NUMBER)));
    assertEquals(List.of(new PiiSpan(0, 11, PiiKind.ID_NUMBER)), r);
  }
}
