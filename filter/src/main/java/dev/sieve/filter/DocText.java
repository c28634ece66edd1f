package dev.sieve.filter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * A document's text with the views rules measure, each computed once and only when asked for:
 * lines, paragraphs, words. Words are whitespace-separated tokens (as Gopher counts them) for
 * languages written with spaces, and dictionary-segmented words (Lucene's SmartChineseAnalyzer,
 * punctuation dropped) for Chinese and Japanese text, so no rule assumes spaces between words.
 */
public final class DocText {
  private static final Analyzer CHINESE = new SmartChineseAnalyzer();

  private final String text;
  private final String language;
  private final double languageScore;
  private final String declaredLanguage;
  private String host;
  private List<String> lines;
  private List<String> paragraphs;
  private List<String> words;
  private int cjkChars = -1;
  private int letters = -1;

  public DocText(String text, String language) {
    this(text, language, 1.0, null);
  }

  /**
   * @param language the detected language (ISO 639-1)
   * @param languageScore the detector's confidence
   * @param declaredLanguage what the source says the language is ({@code <html lang>}, a JSONL
   *     {@code lang} field, WuDao being a Chinese corpus), or null
   */
  public DocText(String text, String language, double languageScore, String declaredLanguage) {
    this.text = text == null ? "" : text;
    this.language = language == null ? "" : language;
    this.languageScore = languageScore;
    this.declaredLanguage = declaredLanguage;
  }

  public String text() { return text; }
  public String language() { return language; }
  public double languageScore() { return languageScore; }
  public String declaredLanguage() { return declaredLanguage; }

  /** Host of the document's URL (for domain rules), or null. */
  public String host() { return host; }

  /** Sets the URL the document came from (its host is what domain rules look at); returns this. */
  public DocText withUrl(String url) {
    if (url != null) {
      String u = url.strip();
      try {
        this.host = java.net.URI.create(u).getHost();
      } catch (IllegalArgumentException e) {
        this.host = null;
      }
      // java.net.URI gives no host for registry-based authorities (a "_" in a host name) or
      // off-spec URLs: read the authority leniently, so domain rules still see it.
      if (this.host == null) this.host = lenientHost(u);
    }
    return this;
  }

  /** The host of {@code scheme://[userinfo@]host[:port]/...}, lower-cased, or null. */
  static String lenientHost(String url) {
    int s = url.indexOf("://");
    if (s < 0) return null;
    int end = url.length();
    for (char c : new char[] {'/', '?', '#', '\\'}) {
      int i = url.indexOf(c, s + 3);
      if (i >= 0 && i < end) end = i;
    }
    String authority = url.substring(s + 3, end);
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    if (authority.startsWith("[")) return null; // IPv6 literal: not a domain
    int colon = authority.indexOf(':');
    if (colon >= 0) authority = authority.substring(0, colon);
    while (authority.endsWith(".")) authority = authority.substring(0, authority.length() - 1);
    return authority.isEmpty() ? null : authority.toLowerCase(java.util.Locale.ROOT);
  }

  /** Non-blank lines, stripped. */
  public List<String> lines() {
    if (lines == null) {
      List<String> out = new ArrayList<>();
      for (String l : text.split("\n")) {
        String s = l.strip();
        if (!s.isEmpty()) out.add(s);
      }
      lines = out;
    }
    return lines;
  }

  /** Paragraphs: text between empty lines (a text without empty lines is one paragraph per line, as extracted HTML is). */
  public List<String> paragraphs() {
    if (paragraphs == null) {
      List<String> out = new ArrayList<>();
      String[] parts = text.contains("\n\n") ? text.split("\n\\s*\n") : text.split("\n");
      for (String p : parts) {
        String s = p.strip();
        if (!s.isEmpty()) out.add(s);
      }
      paragraphs = out;
    }
    return paragraphs;
  }

  /** True when the text is mostly Chinese or Japanese characters (or tagged zh/ja). */
  public boolean isCjk() {
    return language.equals("zh") || language.equals("ja") || letters() > 0 && cjkChars() >= letters() * 0.3;
  }

  /** Words: whitespace tokens, or segmented words for CJK text. */
  public List<String> words() {
    if (words == null) words = isCjk() ? segment(text) : Arrays.asList(text.split("\\s+"));
    if (!words.isEmpty() && words.get(0).isEmpty()) words = words.subList(1, words.size());
    return words;
  }

  /** Han, Hiragana and Katakana characters. */
  public int cjkChars() {
    if (cjkChars < 0) countChars();
    return cjkChars;
  }

  /** Letters of any script (CJK characters included). */
  public int letters() {
    if (letters < 0) countChars();
    return letters;
  }

  private void countChars() {
    int cjk = 0, l = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isLetter(c)) continue;
      l++;
      if (isCjk(c)) cjk++;
    }
    cjkChars = cjk;
    letters = l;
  }

  static boolean isCjk(char c) {
    return dev.sieve.core.Scripts.isCjk(c);
  }

  static List<String> segment(String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = CHINESE.tokenStream("text", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) out.add(term.toString());
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
