package dev.sieve.pii;

import dev.sieve.core.PiiKind;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * National identity and tax numbers, each with its own check:
 * <ul>
 *   <li>Chinese resident identity number (GB 11643-1999): 18 characters, a region code whose
 *       first two digits name a province-level division, a valid birth date (1900 to today),
 *       and the ISO 7064 MOD 11-2 check character ({@code 0-9} or {@code X});</li>
 *   <li>US Social Security number, written {@code AAA-GG-SSSS}: area not 000, 666 or 900-999,
 *       group not 00, serial not 0000 (SSA's never-issued ranges);</li>
 *   <li>Spanish DNI ({@code 12345678Z}) and NIE ({@code X1234567L}): the mod-23 control letter;</li>
 *   <li>French NIR (social security number, 15 digits, grouped {@code 1 85 05 78 006 084 36} or
 *       not): sex digit 1/2, month 01-12 (or 20-42, 50-99 for unknown months), key
 *       {@code 97 - (n mod 97)} with Corsica's 2A/2B counted as 19/18;</li>
 *   <li>German tax id (Steuerliche Identifikationsnummer, 11 digits, first not 0): among the
 *       first ten digits exactly one repeats (twice or three times), and the ISO 7064 MOD 11,10
 *       check digit. Skipped in Chinese text, where 11-digit numbers are mobile phones;</li>
 *   <li>Russian SNILS, written {@code 123-456-789 01}: the weighted mod-101 check sum (only
 *       defined above 001-001-998).</li>
 * </ul>
 */
public final class NationalIdDetector implements PiiDetector {
  private static final long serialVersionUID = 1L;
  private static final String L = "(?<![0-9A-Za-z])";
  private static final String R = "(?![0-9A-Za-z])";
  private static final Pattern CN_ID = Pattern.compile(L + "[1-9][0-9]{16}[0-9Xx]" + R);
  private static final Pattern SSN = Pattern.compile("(?<![0-9A-Za-z-])[0-9]{3}-[0-9]{2}-[0-9]{4}(?![0-9A-Za-z]|-[0-9])");
  private static final Pattern DNI = Pattern.compile(L + "(?:[0-9]{8}|[XYZ][0-9]{7})-?[A-Z]" + R);
  private static final Pattern NIR = Pattern.compile(
      L + "[12]( ?)[0-9]{2}\\1[0-9]{2}\\1(?:[0-9]{2}|2[AB])\\1[0-9]{3}\\1[0-9]{3}\\1[0-9]{2}" + R);
  private static final Pattern DE_TAX = Pattern.compile(L + "[1-9][0-9](?:[0-9]{9}|(?: [0-9]{3}){3})" + R);
  private static final Pattern SNILS = Pattern.compile("(?<![0-9A-Za-z-])[0-9]{3}-[0-9]{3}-[0-9]{3}[ -][0-9]{2}(?![0-9A-Za-z]|-[0-9])");
  private static final int[] CN_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final String CN_CHECK = "10X98765432";
  /** First two digits of GB/T 2260 province-level codes (mainland, Taiwan, Hong Kong, Macau). */
  private static final Set<Integer> CN_PROVINCES = Set.of(11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
      41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82);
  private static final String DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

  @Override
  public PiiKind kind() {
    return PiiKind.ID_NUMBER;
  }

  @Override
  public void find(PiiInput doc, List<PiiSpan> out) {
    List<int[]> windows = doc.windows(7, 4);
    if (windows.isEmpty()) return;
    String t = doc.folded();
    add(doc, CN_ID, t, windows, out, NationalIdDetector::chineseId);
    add(doc, SSN, t, windows, out, NationalIdDetector::ssn);
    add(doc, DNI, t, windows, out, NationalIdDetector::dni);
    add(doc, NIR, t, windows, out, NationalIdDetector::nir);
    if (!"zh".equals(doc.language()) && !(doc.language() == null && doc.hasHan())) add(doc, DE_TAX, t, windows, out, NationalIdDetector::germanTaxId);
    add(doc, SNILS, t, windows, out, NationalIdDetector::snils);
  }

  private static void add(PiiInput doc, Pattern p, String t, List<int[]> windows, List<PiiSpan> out, java.util.function.Predicate<String> check) {
    Chars.findIn(p, t, windows, m -> {
      if (check.test(m.group())) out.add(doc.span(m.start(), m.end(), PiiKind.ID_NUMBER));
    });
  }

  /** GB 11643 resident identity number (18 characters, upper- or lower-case X). */
  public static boolean chineseId(String s) {
    s = FoldedText.fold(s);
    if (s.length() != 18 || !CN_PROVINCES.contains(Integer.parseInt(s.substring(0, 2)))) return false;
    int y = Integer.parseInt(s.substring(6, 10)), mo = Integer.parseInt(s.substring(10, 12)), d = Integer.parseInt(s.substring(12, 14));
    if (y < 1900) return false;
    try {
      if (LocalDate.of(y, mo, d).isAfter(LocalDate.now())) return false;
    } catch (DateTimeException e) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (s.charAt(i) - '0') * CN_WEIGHTS[i];
    return Character.toUpperCase(s.charAt(17)) == CN_CHECK.charAt(sum % 11);
  }

  /** US SSN in {@code AAA-GG-SSSS} form outside the never-issued ranges. */
  public static boolean ssn(String s) {
    s = FoldedText.fold(s);
    int area = Integer.parseInt(s.substring(0, 3)), group = Integer.parseInt(s.substring(4, 6)), serial = Integer.parseInt(s.substring(7));
    return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
  }

  /** Spanish DNI or NIE with its control letter. */
  public static boolean dni(String s) {
    String c = FoldedText.fold(s).replace("-", "");
    String digits = switch (c.charAt(0)) {
      case 'X' -> "0" + c.substring(1, 8);
      case 'Y' -> "1" + c.substring(1, 8);
      case 'Z' -> "2" + c.substring(1, 8);
      default -> c.substring(0, 8);
    };
    return DNI_LETTERS.charAt(Integer.parseInt(digits) % 23) == c.charAt(8);
  }

  /** French NIR with its two-digit key. */
  public static boolean nir(String s) {
    String c = FoldedText.fold(s).replace(" ", "");
    if (c.length() != 15) return false;
    int month = Integer.parseInt(c.substring(3, 5));
    if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) || month >= 50)) return false;
    String body;
    if (c.charAt(5) == '2' && (c.charAt(6) == 'A' || c.charAt(6) == 'B')) {
      body = c.substring(0, 5) + (c.charAt(6) == 'A' ? "19" : "18") + c.substring(7, 13);
    } else {
      body = c.substring(0, 13);
    }
    if (!body.chars().allMatch(Character::isDigit)) return false;
    long key = 97 - Long.parseLong(body) % 97;
    return key == Integer.parseInt(c.substring(13));
  }

  /** German tax id: digit distribution rule and ISO 7064 MOD 11,10 check digit. */
  public static boolean germanTaxId(String s) {
    String d = FoldedText.fold(s).replace(" ", "");
    if (d.length() != 11 || d.charAt(0) == '0') return false;
    int[] counts = new int[10];
    for (int i = 0; i < 10; i++) counts[d.charAt(i) - '0']++;
    int repeated = 0;
    for (int c : counts) {
      if (c > 3) return false;
      if (c >= 2) repeated++;
    }
    if (repeated != 1) return false;
    int product = 10;
    for (int i = 0; i < 10; i++) {
      int sum = (d.charAt(i) - '0' + product) % 10;
      if (sum == 0) sum = 10;
      product = (sum * 2) % 11;
    }
    int check = 11 - product;
    if (check == 10) check = 0;
    return check == d.charAt(10) - '0';
  }

  /** Russian SNILS with its check sum. */
  public static boolean snils(String s) {
    String d = Chars.digitsOf(s);
    if (d.length() != 11) return false;
    long number = Long.parseLong(d.substring(0, 9));
    if (number <= 1_001_998) return false;
    int sum = 0;
    for (int i = 0; i < 9; i++) sum += (d.charAt(i) - '0') * (9 - i);
    int check = sum % 101;
    if (check == 100) check = 0;
    return check == Integer.parseInt(d.substring(9));
  }
}
