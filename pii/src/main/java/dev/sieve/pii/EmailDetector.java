package dev.sieve.pii;

import dev.sieve.core.PiiKind;
import java.util.List;
import java.util.Set;

/**
 * E-mail addresses: {@code local@domain.tld}. A hand-written scan outward from each {@code @}
 * (documents without one cost a single {@code indexOf}) and validation of the parts: local part
 * of RFC 5321 "atext" characters without leading, trailing or doubled dots (at most 64 chars),
 * a domain of at least two labels (letters, digits, inner hyphens, at most 63 chars each) whose
 * last label is alphabetic (or punycode) and not a file extension ({@code logo@2x.png} is an
 * image name, not an address).
 */
public final class EmailDetector implements PiiDetector {
  private static final long serialVersionUID = 1L;
  /** Last labels that are image or code file extensions in practice ({@code icon@2x.png}). */
  static final Set<String> FILE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "css", "js", "tiff");

  @Override
  public PiiKind kind() {
    return PiiKind.EMAIL;
  }

  @Override
  public void find(PiiInput doc, List<PiiSpan> out) {
    String t = doc.folded();
    int at = t.indexOf('@');
    int resumeFrom = 0;
    while (at >= 0) {
      int end = scan(doc, t, at, resumeFrom, out);
      resumeFrom = Math.max(end, at + 1);
      at = t.indexOf('@', resumeFrom);
    }
  }

  /** Tries the address around the {@code @} at {@code at}; returns where the next search may start. */
  private static int scan(PiiInput doc, String t, int at, int minStart, List<PiiSpan> out) {
    int s = at;
    while (s > minStart && s > at - 64 && isLocal(t.charAt(s - 1))) s--;
    if (s == at - 64 && s > minStart && isLocal(t.charAt(s - 1))) return at + 1; // local part longer than 64 chars
    while (s < at && t.charAt(s) == '.') s++;
    if (s == at || t.charAt(at - 1) == '.') return at + 1;
    for (int i = s + 1; i < at; i++) if (t.charAt(i) == '.' && t.charAt(i - 1) == '.') return at + 1;
    int e = at + 1;
    while (e < t.length() && isDomain(t.charAt(e))) e++;
    while (e > at + 1 && (t.charAt(e - 1) == '.' || t.charAt(e - 1) == '-')) e--;
    if (e < t.length() && t.charAt(e) == '@') return e;
    if (!validDomain(t, at + 1, e)) return at + 1;
    out.add(doc.span(s, e, PiiKind.EMAIL));
    return e;
  }

  private static boolean validDomain(String t, int from, int to) {
    if (to - from < 4 || to - from > 253) return false;
    int labels = 0, labelStart = from;
    for (int i = from; i <= to; i++) {
      if (i == to || t.charAt(i) == '.') {
        int len = i - labelStart;
        if (len < 1 || len > 63) return false;
        if (t.charAt(labelStart) == '-' || t.charAt(i - 1) == '-') return false;
        labels++;
        if (i == to) {
          String tld = t.substring(labelStart, to).toLowerCase(java.util.Locale.ROOT);
          if (tld.startsWith("xn--")) return labels >= 2;
          if (tld.length() < 2 || tld.length() > 24) return false;
          for (int k = 0; k < tld.length(); k++) if (!Chars.isAsciiLetter(tld.charAt(k))) return false;
          if (FILE_EXTENSIONS.contains(tld)) return false;
        }
        labelStart = i + 1;
      }
    }
    return labels >= 2;
  }

  private static boolean isLocal(char c) {
    return Chars.isAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  private static boolean isDomain(char c) {
    return Chars.isAsciiAlnum(c) || c == '.' || c == '-';
  }
}
