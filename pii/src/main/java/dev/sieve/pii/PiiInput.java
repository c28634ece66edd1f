package dev.sieve.pii;

import dev.sieve.core.PiiKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One document as the detectors see it: the text plus optional hints (ISO 639-1 language such
 * as {@code zh}, and the host or domain it came from, whose country-code TLD hints a phone
 * region). Also caches cheap facts about the text that let detectors skip work
 * (prefilters), computed once per document on first use.
 *
 * <p>Detectors read {@link #folded()}, the text with full-width and other-script digits and
 * compatibility forms of ASCII punctuation folded to ASCII ({@link FoldedText}), so a number
 * written {@code １３９０００１２３４５} or an address {@code ｌｉ＠ｅｘａｍｐｌｅ．ｃｏｍ} is
 * found like its ASCII form; they report spans through {@link #span}, which maps folded offsets
 * back to the original text.
 */
public final class PiiInput {
  private final String text;
  private final String language;
  private final String domain;
  private FoldedText folded;
  private List<int[]> groups;
  private int hasHan = -1;

  public PiiInput(String text, String language, String domain) {
    this.text = text == null ? "" : text;
    this.language = language == null || language.isBlank() ? null : language.toLowerCase(Locale.ROOT);
    this.domain = domain == null || domain.isBlank() ? null : domain.toLowerCase(Locale.ROOT);
  }

  /** The original text (spans are offsets into it). */
  public String text() {
    return text;
  }

  /**
   * The text the detectors scan: {@link #text()} with digits of every script and full-width
   * forms folded to ASCII (the same string when nothing folds). Offsets into it become offsets
   * into {@link #text()} through {@link #span}.
   */
  public String folded() {
    return fold().text;
  }

  private FoldedText fold() {
    if (folded == null) folded = FoldedText.of(text);
    return folded;
  }

  /** The span of the original text that covers {@code [start, end)} of {@link #folded()}. */
  public PiiSpan span(int start, int end, PiiKind kind) {
    FoldedText f = fold();
    return new PiiSpan(f.originalOffset(start), f.originalOffset(end), kind);
  }

  /** Lower-case language code, or null when unknown. */
  public String language() {
    return language;
  }

  /** Lower-case host or domain, or null when unknown. */
  public String domain() {
    return domain;
  }

  /** The country-code top-level domain of {@link #domain()} (two letters), or null. */
  public String countryTld() {
    if (domain == null) return null;
    String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    int dot = d.lastIndexOf('.');
    String tld = dot < 0 ? d : d.substring(dot + 1);
    if (tld.length() != 2 || !Character.isLetter(tld.charAt(0)) || !Character.isLetter(tld.charAt(1))) return null;
    return tld;
  }

  /**
   * The most digits in one number-like group of the text (see {@link #numberGroups()}). Phone
   * numbers, card numbers and national ids all need 7 or more, so a document whose longest
   * group is shorter skips those detectors.
   */
  public int longestDigitGroup() {
    int best = 0;
    for (int[] g : numberGroups()) best = Math.max(best, g[2]);
    return best;
  }

  /**
   * Number-like groups of {@link #folded()} (offsets into it): runs of digits joined by at most three separator characters (space,
   * no-break space, dash, dot, slash, parentheses) between them, as {start, end, digits}. The
   * detectors of digit-based kinds only look at windows around groups with enough digits.
   */
  public List<int[]> numberGroups() {
    if (groups == null) {
      List<int[]> out = new ArrayList<>();
      String text = folded();
      int start = -1, end = -1, digits = 0, gap = 0;
      for (int i = 0, n = text.length(); i <= n; i++) {
        char c = i < n ? text.charAt(i) : '\0';
        if (c >= '0' && c <= '9') {
          if (start < 0) start = i;
          digits++;
          end = i + 1;
          gap = 0;
        } else if (start >= 0 && gap < 3 && (c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')' || c == '\u00a0')) {
          gap++;
        } else if (start >= 0) {
          out.add(new int[] {start, end, digits});
          start = -1;
          digits = 0;
          gap = 0;
        }
      }
      groups = out;
    }
    return groups;
  }

  /**
   * Merged windows {@code [start, end)} around the number groups with at least
   * {@code minDigits} digits, widened by {@code pad} characters on each side (clipped to the
   * text), as offsets into {@link #folded()}.
   */
  public List<int[]> windows(int minDigits, int pad) {
    List<int[]> out = new ArrayList<>();
    String text = folded();
    for (int[] g : numberGroups()) {
      if (g[2] < minDigits) continue;
      int s = Math.max(0, g[0] - pad), e = Math.min(text.length(), g[1] + pad);
      if (!out.isEmpty() && out.get(out.size() - 1)[1] >= s) out.get(out.size() - 1)[1] = e;
      else out.add(new int[] {s, e});
    }
    return out;
  }

  /** Whether the text holds any Han (Chinese) character. */
  public boolean hasHan() {
    if (hasHan < 0) {
      hasHan = 0;
      for (int i = 0, n = text.length(); i < n; i++) {
        char c = text.charAt(i);
        if (c >= '\u3400' && Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN) {
          hasHan = 1;
          break;
        }
      }
    }
    return hasHan == 1;
  }

  @Override
  public String toString() {
    return "PiiInput[chars=" + text.length() + ", language=" + language + ", domain=" + domain + "]";
  }
}
