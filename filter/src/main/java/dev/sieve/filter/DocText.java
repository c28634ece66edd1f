package dev.sieve.filter;

import dev.sieve.core.Scripts;
import java.util.List;

/**
 * A document's text and the statistics every rule measures, computed in one pass over the
 * characters the first time a rule asks (a document the language rule rejects is never scanned)
 * and shared by every rule and by the classifier: letters, CJK characters, newlines, lines,
 * paragraphs and words, each kept as {@code [start, end)} offsets into the text (no substring is
 * made unless a caller asks for {@link #lines()}, {@link #paragraphs()} or {@link #words()}), and
 * 64-bit hashes of lines, paragraphs and words for the repetition rules.
 *
 * <p>Words are whitespace-separated tokens (as Gopher counts them: runs of characters between
 * ASCII white space) for languages written with spaces. For CJK text ({@link #isCjk()}) no
 * dictionary segmentation is done: every Han, Hiragana or Katakana character is a word of its own
 * and every run of other letters or digits is one word (punctuation and symbols separate words and
 * are not words), the character-level measure FineWeb-2 and Data-Juicer use for languages written
 * without spaces.
 */
public final class DocText {
  /** Share of a text's letters that must be CJK for it to count as CJK text (when not tagged zh/ja). */
  public static final double CJK_LETTER_SHARE = 0.3;

  private final String text;
  private final String language;
  private final double languageScore;
  private final String declaredLanguage;
  private String host;

  private TextLines lines; // made on first use
  private TextWords words; // made on first use

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

  /** Host of the document's URL, or its domain (for domain rules), lower-case; or null. */
  public String host() { return host; }

  /**
   * Sets the URL the document came from: its host, as ingest's URL normaliser ({@code
   * dev.sieve.ingest.Urls#host}) reads it, is what domain rules look at; returns this.
   */
  public DocText withUrl(String url) {
    if (url != null) this.host = dev.sieve.ingest.Urls.host(url);
    return this;
  }

  /**
   * Sets the document's domain (bronze's {@code domain} column, the registered domain ingest
   * derived from the URL) as what domain rules look at, unless a URL already gave a host; returns this.
   */
  public DocText withDomain(String domain) {
    if (host == null && domain != null && !domain.isBlank()) this.host = domain.strip().toLowerCase(java.util.Locale.ROOT);
    return this;
  }

  private TextLines lineStats() {
    if (lines == null) lines = new TextLines(text);
    return lines;
  }

  private TextWords wordStats() {
    if (words == null) words = new TextWords(text, isCjk());
    return words;
  }

  static boolean isAsciiSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
  }

  /** True when the text is mostly Chinese or Japanese characters (or tagged zh/ja). */
  public boolean isCjk() {
    if (language.equals("zh") || language.equals("ja")) return true;
    return cjkByLetters();
  }

  /** True when at least {@value #CJK_LETTER_SHARE} of the letters are CJK, whatever the language tag. */
  public boolean cjkByLetters() {
    TextLines l = lineStats();
    return l.letters() > 0 && l.cjkChars() >= l.letters() * CJK_LETTER_SHARE;
  }

  /** Han, Hiragana and Katakana characters. */
  public int cjkChars() {
    return lineStats().cjkChars();
  }

  /** Letters of any script (CJK characters included). */
  public int letters() {
    return lineStats().letters();
  }

  /** {@code \n} characters. */
  public int newlines() {
    return lineStats().newlines();
  }

  /** Number of non-blank lines. */
  public int lineCount() {
    return lineStats().lineCount();
  }

  /** Start offset of line {@code i} (stripped). */
  public int lineStart(int i) {
    return lineStats().lineStart(i);
  }

  /** End offset (exclusive) of line {@code i} (stripped). */
  public int lineEnd(int i) {
    return lineStats().lineEnd(i);
  }

  /** Number of paragraphs. */
  public int paragraphCount() {
    return lineStats().paragraphCount();
  }

  /** Non-blank lines, stripped. */
  public List<String> lines() {
    return lineStats().lines();
  }

  /** Paragraphs: text between empty lines (a text without empty lines is one paragraph per line, as extracted HTML is). */
  public List<String> paragraphs() {
    return lineStats().paragraphs();
  }

  /** 64-bit hashes of the lines' text (equal lines, equal hashes). */
  long[] lineHashes() {
    return lineStats().lineHashes();
  }

  /** 64-bit hashes of the paragraphs' text. */
  long[] paragraphHashes() {
    return lineStats().paragraphHashes();
  }

  /** Characters (UTF-16 units) in the lines. */
  long lineChars() {
    return lineStats().lineChars();
  }

  /** [fraction of lines that repeat an earlier one, fraction of line characters in them]. */
  double[] duplicateLines() {
    return lineStats().duplicateLines();
  }

  /** [fraction of paragraphs that repeat an earlier one, fraction of paragraph characters in them]. */
  double[] duplicateParagraphs() {
    return lineStats().duplicateParagraphs();
  }

  /** Words: whitespace tokens, or, for CJK text, characters and runs of other letters or digits. */
  public List<String> words() {
    return wordStats().words();
  }

  /** Number of words. */
  public int wordCount() {
    return wordStats().wordCount();
  }

  /** Start offset of word {@code i}. */
  public int wordStart(int i) {
    return wordStats().wordStart(i);
  }

  /** End offset (exclusive) of word {@code i}. */
  public int wordEnd(int i) {
    return wordStats().wordEnd(i);
  }

  /** 64-bit hashes of the words (equal words, equal hashes); only the first {@link #wordCount()} are set. */
  long[] wordHashes() {
    return wordStats().wordHashes();
  }

  /** Characters (UTF-16 units) in all words. */
  public long wordChars() {
    return wordStats().wordChars();
  }

  /** Code points in all words. */
  public long wordCodePoints() {
    return wordStats().wordCodePoints();
  }

  /** Words that contain a letter. */
  public int alphaWords() {
    return wordStats().alphaWords();
  }

  /** Words that are one of Gopher's English stop words ({@link GopherQualityRule#STOP_WORDS}, any case); 0 for CJK text. */
  public int stopWords() {
    return wordStats().stopWords();
  }

  // ---------------------------------------------------------------------------------------------
  // Characters and hashes.

  /** Han, Hiragana or Katakana (a UTF-16 unit; characters outside the BMP are not counted). */
  static boolean isCjk(char c) {
    if (c < 0x2E80) return false;
    if (c >= 0x4E00 && c <= 0x9FFC) return true;
    return Scripts.isCjk(c);
  }

  static boolean isCjkCodePoint(int cp) {
    if (cp < 0x2E80) return false;
    if (cp >= 0x4E00 && cp <= 0x9FFC) return true;
    return Scripts.isCjk(cp);
  }
}
