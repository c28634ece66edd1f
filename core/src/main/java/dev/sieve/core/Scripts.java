package dev.sieve.core;

/** Writing-system tests shared by every stage that must not assume spaces between words. */
public final class Scripts {
  private Scripts() {}

  /** True for Han, Hiragana and Katakana: characters that are words (or parts of words) of their own. */
  public static boolean isCjk(int codePoint) {
    Character.UnicodeScript s = Character.UnicodeScript.of(codePoint);
    return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA || s == Character.UnicodeScript.KATAKANA;
  }
}
