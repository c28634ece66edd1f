package dev.sieve.pii;

import dev.sieve.core.PiiKind;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * International bank account numbers (ISO 13616): a country code of the IBAN registry, two
 * check digits and the country's fixed-length BBAN, written contiguously or in groups of four
 * separated by single spaces, with the ISO 7064 MOD 97-10 check ({@code n mod 97 == 1}).
 * Tagged as {@link PiiKind#ID_NUMBER}: an account number identifies its holder the way an id does,
 * and the tag set of {@code silver/clean} is fixed (DESIGN.md).
 */
public final class IbanDetector implements PiiDetector {
  private static final long serialVersionUID = 1L;
  private static final Pattern START = Pattern.compile("(?<![0-9A-Za-z])([A-Z]{2})[0-9]{2}");
  /** IBAN length by country (SWIFT IBAN registry). */
  static final Map<String, Integer> LENGTHS = Map.ofEntries(
      Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20), Map.entry("AZ", 28),
      Map.entry("BA", 20), Map.entry("BE", 16), Map.entry("BG", 22), Map.entry("BH", 22), Map.entry("BR", 29),
      Map.entry("CH", 21), Map.entry("CR", 22), Map.entry("CY", 28), Map.entry("CZ", 24), Map.entry("DE", 22),
      Map.entry("DK", 18), Map.entry("DO", 28), Map.entry("EE", 20), Map.entry("EG", 29), Map.entry("ES", 24),
      Map.entry("FI", 18), Map.entry("FO", 18), Map.entry("FR", 27), Map.entry("GB", 22), Map.entry("GE", 22),
      Map.entry("GI", 23), Map.entry("GL", 18), Map.entry("GR", 27), Map.entry("GT", 28), Map.entry("HR", 21),
      Map.entry("HU", 28), Map.entry("IE", 22), Map.entry("IL", 23), Map.entry("IS", 26), Map.entry("IT", 27),
      Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20), Map.entry("LB", 28), Map.entry("LI", 21),
      Map.entry("LT", 20), Map.entry("LU", 20), Map.entry("LV", 21), Map.entry("MC", 27), Map.entry("MD", 24),
      Map.entry("ME", 22), Map.entry("MK", 19), Map.entry("MR", 27), Map.entry("MT", 31), Map.entry("MU", 30),
      Map.entry("NL", 18), Map.entry("NO", 15), Map.entry("PK", 24), Map.entry("PL", 28), Map.entry("PS", 29),
      Map.entry("PT", 25), Map.entry("QA", 29), Map.entry("RO", 24), Map.entry("RS", 22), Map.entry("RU", 33),
      Map.entry("SA", 24), Map.entry("SE", 24), Map.entry("SI", 19), Map.entry("SK", 24), Map.entry("SM", 27),
      Map.entry("TN", 24), Map.entry("TR", 26), Map.entry("UA", 29), Map.entry("VG", 24), Map.entry("XK", 20));

  @Override
  public PiiKind kind() {
    return PiiKind.ID_NUMBER;
  }

  @Override
  public void find(PiiInput doc, List<PiiSpan> out) {
    List<int[]> windows = doc.windows(8, 12);
    if (windows.isEmpty()) return;
    String t = doc.folded();
    Chars.findIn(START, t, windows, m -> check(doc, t, m, out));
  }

  private static void check(PiiInput doc, String t, Matcher m, List<PiiSpan> out) {
    {
      Integer len = LENGTHS.get(m.group(1));
      if (len == null) return;
      StringBuilder iban = new StringBuilder(len);
      int i = m.start();
      int end = -1;
      boolean spaced = false;
      while (i < t.length() && iban.length() < len) {
        char c = t.charAt(i);
        if (Chars.isDigit(c) || (c >= 'A' && c <= 'Z')) {
          iban.append(c);
          i++;
          if (iban.length() == len) end = i;
        } else if (c == ' ' && iban.length() % 4 == 0 && (spaced || iban.length() == 4) && i + 1 < t.length()) {
          spaced = true;
          i++;
        } else {
          break;
        }
      }
      if (end < 0 || Chars.alnumAt(t, end)) return;
      if (mod97(iban) == 1) out.add(doc.span(m.start(), end, PiiKind.ID_NUMBER));
    }
  }

  /** The IBAN check: the number with its first four characters moved to the end, letters as 10..35, mod 97. */
  static int mod97(CharSequence number) {
    String iban = FoldedText.fold(number.toString());
    int r = 0;
    for (int k = 0; k < iban.length(); k++) {
      char c = iban.charAt((k + 4) % iban.length());
      int v = Chars.isDigit(c) ? c - '0' : c - 'A' + 10;
      r = v < 10 ? (r * 10 + v) % 97 : (r * 100 + v) % 97;
    }
    return r;
  }
}
