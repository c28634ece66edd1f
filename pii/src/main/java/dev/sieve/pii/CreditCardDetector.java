package dev.sieve.pii;

import dev.sieve.core.PiiKind;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Payment card numbers (PANs): 13-19 digits written contiguously or in the usual groups
 * (4-4-4-4[-3], 4-6-5, 4-6-4) with one kind of separator (space or dash), a valid Luhn check
 * digit (ISO/IEC 7812-1) and an issuer prefix and length of a known scheme: Visa, Mastercard
 * (51-55, 2221-2720), American Express, Discover, UnionPay, JCB, Diners Club, Mir, Maestro.
 * The number must stand alone: no letter or digit, and no "digit plus separator" on either
 * side, so it is not the middle of a longer run of numbers.
 */
public final class CreditCardDetector implements PiiDetector {
  private static final long serialVersionUID = 1L;
  private static final String LEFT = "(?<![0-9A-Za-z])(?<![0-9][ -])";
  private static final String RIGHT = "(?![0-9A-Za-z])(?![ -][0-9])";
  private static final Pattern[] SHAPES = {
      Pattern.compile(LEFT + "[0-9]{13,19}" + RIGHT),
      Pattern.compile(LEFT + "[0-9]{4}([ -])[0-9]{4}\\1[0-9]{4}\\1[0-9]{1,4}(?:\\1[0-9]{1,3})?" + RIGHT),
      Pattern.compile(LEFT + "[0-9]{4}([ -])[0-9]{6}\\1[0-9]{4,5}" + RIGHT)};

  @Override
  public PiiKind kind() {
    return PiiKind.CREDIT_CARD;
  }

  @Override
  public void find(PiiInput doc, List<PiiSpan> out) {
    List<int[]> windows = doc.windows(13, 2);
    if (windows.isEmpty()) return;
    String t = doc.folded();
    for (Pattern p : SHAPES) {
      Chars.findIn(p, t, windows, m -> {
        String digits = Chars.digitsOf(t.subSequence(m.start(), m.end()));
        if (luhn(digits) && knownIssuer(digits)) out.add(doc.span(m.start(), m.end(), PiiKind.CREDIT_CARD));
      });
    }
  }

  /** Whether the digit string passes the Luhn (mod 10) check. */
  public static boolean luhn(CharSequence number) {
    String digits = FoldedText.fold(number.toString());
    int sum = 0;
    boolean dbl = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }

  /** Whether the prefix (IIN) and length belong to a known card scheme. */
  static boolean knownIssuer(String d) {
    d = FoldedText.fold(d);
    int len = d.length();
    int p2 = Integer.parseInt(d.substring(0, 2));
    int p3 = Integer.parseInt(d.substring(0, 3));
    int p4 = Integer.parseInt(d.substring(0, 4));
    boolean len16to19 = len >= 16 && len <= 19;
    if (d.charAt(0) == '4') return len == 13 || len == 16 || len == 19; // Visa
    if (p2 >= 51 && p2 <= 55) return len == 16; // Mastercard
    if (p4 >= 2221 && p4 <= 2720) return len == 16; // Mastercard 2-series
    if (p4 >= 2200 && p4 <= 2204) return len16to19; // Mir
    if (p2 == 34 || p2 == 37) return len == 15; // American Express
    if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65) return len16to19; // Discover
    if (p2 == 62) return len16to19; // UnionPay
    if (p4 >= 3528 && p4 <= 3589) return len16to19; // JCB
    if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) return len >= 14 && len <= 19; // Diners Club
    if (p4 == 5018 || p4 == 5020 || p4 == 5038 || p4 == 5893 || p4 == 6304 || p4 == 6759 || (p4 >= 6761 && p4 <= 6763)) {
      return len >= 13 && len <= 19; // Maestro
    }
    return false;
  }
}
