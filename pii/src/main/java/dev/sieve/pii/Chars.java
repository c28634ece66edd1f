package dev.sieve.pii;

/**
 * Small character tests shared by the detectors. They test ASCII: detectors run on {@link
 * PiiInput#folded()}, where digits of every script and full-width forms are already ASCII.
 */
final class Chars {
  private Chars() {}

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isAsciiAlnum(char c) {
    return isDigit(c) || isAsciiLetter(c);
  }

  static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Whether {@code text} has a Latin letter or a digit at {@code i} (false outside the text). */
  static boolean alnumAt(CharSequence text, int i) {
    return i >= 0 && i < text.length() && isAsciiAlnum(text.charAt(i));
  }

  static boolean digitAt(CharSequence text, int i) {
    return i >= 0 && i < text.length() && isDigit(text.charAt(i));
  }

  /** The digits of {@code s} as ASCII (digits of any script count), separators dropped. */
  static String digitsOf(CharSequence s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> {
      int d = Character.digit(cp, 10);
      if (d >= 0 && Character.getType(cp) == Character.DECIMAL_DIGIT_NUMBER) sb.append((char) ('0' + d));
    });
    return sb.toString();
  }

  /**
   * Runs {@code p} over each window (lookarounds see the text outside the window) and hands
   * every match to {@code onMatch}.
   */
  static void findIn(java.util.regex.Pattern p, String text, java.util.List<int[]> windows, java.util.function.Consumer<java.util.regex.Matcher> onMatch) {
    java.util.regex.Matcher m = p.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
    for (int[] w : windows) {
      m.region(w[0], w[1]);
      while (m.find()) onMatch.accept(m);
    }
  }

  /** Shannon entropy of {@code s} in bits per character. */
  static double entropy(CharSequence s) {
    if (s.length() == 0) return 0;
    java.util.Map<Character, Integer> counts = new java.util.HashMap<>();
    for (int i = 0; i < s.length(); i++) counts.merge(s.charAt(i), 1, Integer::sum);
    double h = 0, n = s.length();
    for (int c : counts.values()) {
      double p = c / n;
      h -= p * (Math.log(p) / Math.log(2));
    }
    return h;
  }
}
