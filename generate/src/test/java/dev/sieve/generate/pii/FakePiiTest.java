package dev.sieve.generate.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FakePiiTest {
  private final SplittableRandom r = new SplittableRandom(11);

  @Test
  void cardsPassLuhn() {
    for (int i = 0; i < 200; i++) {
      String digits = FakePii.card(i % 2 == 0 ? "zh" : "en", r).replaceAll("[ -]", "");
      assertTrue(digits.length() == 15 || digits.length() == 16, digits);
      assertEquals(0, luhnSum(digits) % 10, digits);
    }
    assertEquals(1, FakePii.luhnDigit("411111111111111")); // 4111 1111 1111 1111, the classic test Visa
  }

  private static int luhnSum(String digits) {
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = digits.charAt(digits.length() - 1 - i) - '0';
      if (i % 2 == 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    return sum;
  }

  @Test
  void chineseResidentIdCheckCharacter() {
    int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    for (int i = 0; i < 100; i++) {
      String id = FakePii.chineseResidentId(r);
      assertEquals(18, id.length());
      int sum = 0;
      for (int k = 0; k < 17; k++) sum += (id.charAt(k) - '0') * w[k];
      assertEquals("10X98765432".charAt(sum % 11), id.charAt(17), id);
    }
  }

  @Test
  void nationalIdsHaveValidChecks() {
    for (int i = 0; i < 100; i++) {
      String dni = FakePii.dni(r);
      assertEquals("TRWAGMYFPDXBNJZSQVHLCKE".charAt(Integer.parseInt(dni.substring(0, 8)) % 23), dni.charAt(8));

      String nir = FakePii.nir(r).replace(" ", "");
      assertEquals(15, nir.length());
      assertEquals(97 - Long.parseLong(nir.substring(0, 13)) % 97, Long.parseLong(nir.substring(13)));

      String snils = FakePii.snils(r).replaceAll("[ -]", "");
      int sum = 0;
      for (int k = 0; k < 9; k++) sum += (snils.charAt(k) - '0') * (9 - k);
      assertEquals(sum % 101 == 100 ? 0 : sum % 101, Integer.parseInt(snils.substring(9)));

      String tax = FakePii.germanTaxId(r);
      assertEquals(11, tax.length());
      int product = 10;
      for (int k = 0; k < 10; k++) {
        int s = (tax.charAt(k) - '0' + product) % 10;
        if (s == 0) s = 10;
        product = (s * 2) % 11;
      }
      assertEquals((11 - product) % 10, tax.charAt(10) - '0', tax);

      String ssn = FakePii.ssn(r);
      assertTrue(ssn.matches("(?!000|666)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}"), ssn);
    }
  }

  @Test
  void shapes() {
    for (int i = 0; i < 50; i++) {
      assertTrue(FakePii.email("en", r).matches("[a-z0-9._]+@[a-z.]+\\.[a-z]+"));
      String v4 = FakePii.ipv4(r);
      assertTrue(v4.matches("\\d{1,3}(\\.\\d{1,3}){3}"), v4);
      int first = Integer.parseInt(v4.substring(0, v4.indexOf('.')));
      assertTrue(first >= 1 && first < 224 && !java.util.Set.of(10, 100, 127, 169, 172, 192, 198, 203).contains(first), "public: " + v4);
      String v6 = FakePii.ipv6(r);
      assertTrue(v6.matches("[0-9a-f]{4}:[0-9a-f]{1,4}(:[0-9a-f]{1,4}){6}") && !v6.startsWith("2001:db8"), "global unicast, not documentation: " + v6);
      assertTrue(FakePii.secret(r).matches("AKIA[A-Z2-7]{16}|ghp_[A-Za-z0-9]{36}|xoxb-\\d{11}-\\d{13}-[A-Za-z0-9]{24}"));
      assertTrue(FakePii.phone("zh", r).replaceAll("[ +]", "").matches("(86)?1[3-9]\\d{9}"));
      assertTrue(FakePii.phone("en", r).matches("\\(\\d{3}\\) \\d{3}-\\d{4}|\\+1 \\d{3}-\\d{3}-\\d{4}|\\d{3}\\.\\d{3}\\.\\d{4}"));
    }
  }
}
