package dev.sieve.generate.pii;

import dev.sieve.core.PiiKind;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Fake but well-formed personal data, the way each kind appears in text of a language: e-mail
 * addresses, phone numbers with real country and area codes, IPv4/IPv6 addresses, national ids
 * with valid check digits (Chinese resident id GB 11643, US SSN ranges, Spanish DNI, French NIR,
 * German tax id ISO 7064 MOD 11,10, Russian SNILS), Luhn-valid card numbers and API-key-shaped
 * secrets (AWS, GitHub, Slack). Valid checksums matter: a detector that validates them must find
 * every planted value.
 */
public final class FakePii {
  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String[] SYLLABLES = {"an", "bel", "cor", "dan", "el", "fa", "gor", "hen", "is", "jo", "ka", "li",
      "mar", "nor", "ol", "pe", "qi", "ra", "sen", "ta", "ul", "vin", "wei", "xu", "yan", "zo"};
  private static final List<String> MAIL_DOMAINS = List.of("gmail.com", "outlook.com", "yahoo.com", "proton.me", "icloud.com", "fastmail.com");
  private static final List<String> MAIL_DOMAINS_ZH = List.of("163.com", "qq.com", "126.com", "sina.com", "foxmail.com");
  private static final List<String> MAIL_DOMAINS_DE = List.of("web.de", "gmx.de", "t-online.de");
  private static final List<String> MAIL_DOMAINS_FR = List.of("orange.fr", "free.fr", "laposte.net");
  private static final List<String> MAIL_DOMAINS_ES = List.of("telefonica.es", "hotmail.es", "yahoo.es");
  private static final List<String> MAIL_DOMAINS_RU = List.of("yandex.ru", "mail.ru", "rambler.ru");
  private static final int[] US_AREA = {201, 202, 206, 212, 213, 303, 305, 312, 404, 415, 503, 512, 617, 646, 702, 713, 718, 773, 818, 917};
  private static final String[] CN_MOBILE = {"134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "186", "187", "188", "189"};
  private static final String[] CN_REGION = {"110101", "110105", "310104", "310115", "440103", "440305", "330106", "320102", "510104", "420106"};
  private static final int[] CN_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final String CN_CHECK = "10X98765432";
  private static final String DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

  private FakePii() {}

  /** The template slot (and language-pack key) that carries {@code kind}: {@code ip}, {@code card}, else {@link PiiKind#key()}. */
  public static String slot(PiiKind kind) {
    return switch (kind) {
      case IP_ADDRESS -> "ip";
      case CREDIT_CARD -> "card";
      default -> kind.key();
    };
  }

  /** A value of {@code kind} as it would appear in text of {@code lang}. */
  public static String value(PiiKind kind, String lang, SplittableRandom r) {
    return switch (kind) {
      case EMAIL -> email(lang, r);
      case PHONE -> phone(lang, r);
      case IP_ADDRESS -> r.nextInt(5) == 0 ? ipv6(r) : ipv4(r);
      case ID_NUMBER -> idNumber(lang, r);
      case CREDIT_CARD -> card(lang, r);
      case SECRET -> secret(r);
    };
  }

  static String email(String lang, SplittableRandom r) {
    String local = syllables(r, 2 + r.nextInt(2));
    switch (r.nextInt(4)) {
      case 0 -> local = local + "." + syllables(r, 2);
      case 1 -> local = local + (10 + r.nextInt(89));
      case 2 -> local = local.charAt(0) + "_" + syllables(r, 2);
      default -> { }
    }
    List<String> domains = switch (lang) {
      case "zh" -> MAIL_DOMAINS_ZH;
      case "de" -> MAIL_DOMAINS_DE;
      case "fr" -> MAIL_DOMAINS_FR;
      case "es" -> MAIL_DOMAINS_ES;
      case "ru" -> MAIL_DOMAINS_RU;
      default -> MAIL_DOMAINS;
    };
    return local + "@" + domains.get(r.nextInt(domains.size()));
  }

  static String phone(String lang, SplittableRandom r) {
    return switch (lang) {
      case "zh" -> {
        String n = CN_MOBILE[r.nextInt(CN_MOBILE.length)] + digits(r, 8);
        yield switch (r.nextInt(3)) {
          case 0 -> n;
          case 1 -> "+86 " + n;
          default -> n.substring(0, 3) + " " + n.substring(3, 7) + " " + n.substring(7);
        };
      }
      case "de" -> {
        String[] areas = {"30", "40", "69", "89", "221", "711"};
        String a = areas[r.nextInt(areas.length)];
        String sub = (char) ('2' + r.nextInt(7)) + digits(r, 10 - a.length() - 1);
        yield r.nextBoolean() ? "+49 " + a + " " + sub : "0" + a + " " + sub;
      }
      case "fr" -> {
        String first = r.nextBoolean() ? "6" : String.valueOf(1 + r.nextInt(5));
        String d = digits(r, 8);
        String grouped = d.substring(0, 2) + " " + d.substring(2, 4) + " " + d.substring(4, 6) + " " + d.substring(6);
        yield r.nextBoolean() ? "+33 " + first + " " + grouped : "0" + first + " " + grouped;
      }
      case "es" -> {
        String d = (r.nextBoolean() ? "6" : "9") + (1 + r.nextInt(8)) + digits(r, 7);
        String grouped = d.substring(0, 3) + " " + d.substring(3, 6) + " " + d.substring(6);
        yield r.nextBoolean() ? "+34 " + grouped : grouped;
      }
      case "ru" -> {
        String[] codes = {"495", "499", "812", "903", "916", "926", "985"};
        String c = codes[r.nextInt(codes.length)];
        String d = (char) ('2' + r.nextInt(7)) + digits(r, 6);
        yield "+7 " + c + " " + d.substring(0, 3) + "-" + d.substring(3, 5) + "-" + d.substring(5);
      }
      default -> {
        int area = US_AREA[r.nextInt(US_AREA.length)];
        int exchange = 200 + r.nextInt(800);
        if (exchange == 555) exchange = 556;
        String line = digits(r, 4);
        yield switch (r.nextInt(3)) {
          case 0 -> "(" + area + ") " + exchange + "-" + line;
          case 1 -> "+1 " + area + "-" + exchange + "-" + line;
          default -> area + "." + exchange + "." + line;
        };
      }
    };
  }

  /**
   * A public IPv4 address: first octets that hold private (10/8, 172.16/12, 192.168/16), shared
   * (100.64/10), loopback, link-local (169.254/16), benchmarking (198.18/15) and documentation
   * (192.0.2/24, 198.51.100/24, 203.0.113/24) ranges are never drawn (RFC 6890): those are not
   * personal data, and a scrubber is right to leave them.
   */
  static String ipv4(SplittableRandom r) {
    int a;
    do {
      a = 1 + r.nextInt(223);
    } while (a == 10 || a == 100 || a == 127 || a == 169 || a == 172 || a == 192 || a == 198 || a == 203);
    return a + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
  }

  /** Global unicast /32 prefixes of real networks (not the 2001:db8::/32 documentation range). */
  private static final String[] V6_PREFIXES = {"2a00:1450", "2606:4700", "2a02:6b8", "2400:cb00", "2001:41d0", "2a03:2880"};

  static String ipv6(SplittableRandom r) {
    StringBuilder sb = new StringBuilder(V6_PREFIXES[r.nextInt(V6_PREFIXES.length)]);
    for (int i = 0; i < 6; i++) sb.append(':').append(Integer.toHexString(r.nextInt(0x10000)));
    return sb.toString();
  }

  static String idNumber(String lang, SplittableRandom r) {
    return switch (lang) {
      case "zh" -> chineseResidentId(r);
      case "es" -> dni(r);
      case "fr" -> nir(r);
      case "de" -> germanTaxId(r);
      case "ru" -> snils(r);
      default -> ssn(r);
    };
  }

  /** 18-digit resident id: region, birth date, sequence, ISO 7064 MOD 11-2 check character. */
  static String chineseResidentId(SplittableRandom r) {
    String body = CN_REGION[r.nextInt(CN_REGION.length)]
        + (1950 + r.nextInt(55))
        + String.format(Locale.ROOT, "%02d%02d", 1 + r.nextInt(12), 1 + r.nextInt(28))
        + digits(r, 3);
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (body.charAt(i) - '0') * CN_WEIGHTS[i];
    return body + CN_CHECK.charAt(sum % 11);
  }

  static String ssn(SplittableRandom r) {
    int area;
    do {
      area = 1 + r.nextInt(899);
    } while (area == 666);
    return String.format(Locale.ROOT, "%03d-%02d-%04d", area, 1 + r.nextInt(99), 1 + r.nextInt(9999));
  }

  static String dni(SplittableRandom r) {
    int n = r.nextInt(100_000_000);
    return String.format(Locale.ROOT, "%08d", n) + DNI_LETTERS.charAt(n % 23);
  }

  /** French social security number (NIR): 13 digits and a key 97 - (n mod 97). */
  static String nir(SplittableRandom r) {
    String n = (1 + r.nextInt(2)) + String.format(Locale.ROOT, "%02d%02d", r.nextInt(100), 1 + r.nextInt(12))
        + String.format(Locale.ROOT, "%02d", 1 + r.nextInt(95)) + digits(r, 3) + digits(r, 3);
    long key = 97 - (Long.parseLong(n) % 97);
    return n.charAt(0) + " " + n.substring(1, 3) + " " + n.substring(3, 5) + " " + n.substring(5, 7) + " "
        + n.substring(7, 10) + " " + n.substring(10, 13) + " " + String.format(Locale.ROOT, "%02d", key);
  }

  /** German tax id: 10 digits (one digit twice, first not 0) and an ISO 7064 MOD 11,10 check digit. */
  static String germanTaxId(SplittableRandom r) {
    int[] d;
    do {
      int[] perm = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
      for (int i = 9; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = perm[i]; perm[i] = perm[j]; perm[j] = t;
      }
      d = new int[10];
      System.arraycopy(perm, 0, d, 0, 9);
      d[9] = d[r.nextInt(9)];
      for (int i = 9; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = d[i]; d[i] = d[j]; d[j] = t;
      }
    } while (d[0] == 0);
    int product = 10;
    StringBuilder sb = new StringBuilder();
    for (int x : d) {
      sb.append(x);
      int sum = (x + product) % 10;
      if (sum == 0) sum = 10;
      product = (sum * 2) % 11;
    }
    int check = 11 - product;
    if (check == 10) check = 0;
    return sb.append(check).toString();
  }

  /** Russian SNILS: 9 digits and a two-digit weighted check sum, written 123-456-789 01. */
  static String snils(SplittableRandom r) {
    String n = String.format(Locale.ROOT, "%09d", 1_001_999 + r.nextInt(998_000_000));
    int sum = 0;
    for (int i = 0; i < 9; i++) sum += (n.charAt(i) - '0') * (9 - i);
    int check = sum % 101;
    if (check == 100) check = 0;
    return n.substring(0, 3) + "-" + n.substring(3, 6) + "-" + n.substring(6) + " " + String.format(Locale.ROOT, "%02d", check);
  }

  static String card(String lang, SplittableRandom r) {
    String prefix;
    int length = 16;
    int brand = r.nextInt(4);
    if ("zh".equals(lang) && brand == 3) {
      prefix = "62" + digits(r, 4);
    } else if (brand == 2) {
      prefix = r.nextBoolean() ? "34" : "37";
      length = 15;
    } else if (brand == 1) {
      prefix = "5" + (1 + r.nextInt(5));
    } else {
      prefix = "4";
    }
    String body = prefix + digits(r, length - prefix.length() - 1);
    String number = body + luhnDigit(body);
    int style = r.nextInt(3);
    if (style == 0) return number;
    String sep = style == 1 ? " " : "-";
    if (length == 15) return number.substring(0, 4) + sep + number.substring(4, 10) + sep + number.substring(10);
    return number.substring(0, 4) + sep + number.substring(4, 8) + sep + number.substring(8, 12) + sep + number.substring(12);
  }

  /** The Luhn check digit that makes {@code body + digit} valid. */
  public static int luhnDigit(String body) {
    int sum = 0;
    boolean dbl = true;
    for (int i = body.length() - 1; i >= 0; i--) {
      int d = body.charAt(i) - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      dbl = !dbl;
    }
    return (10 - sum % 10) % 10;
  }

  static String secret(SplittableRandom r) {
    return switch (r.nextInt(3)) {
      case 0 -> "AKIA" + chars(r, BASE32, 16);
      case 1 -> "ghp_" + chars(r, ALNUM, 36);
      default -> "xoxb-" + digits(r, 11) + "-" + digits(r, 13) + "-" + chars(r, ALNUM, 24);
    };
  }

  private static String syllables(SplittableRandom r, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) sb.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
    return sb.toString();
  }

  private static String digits(SplittableRandom r, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) sb.append((char) ('0' + r.nextInt(10)));
    return sb.toString();
  }

  private static String chars(SplittableRandom r, String alphabet, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    return sb.toString();
  }

  static String lowerWord(SplittableRandom r, int n) {
    return chars(r, LOWER, n);
  }
}
