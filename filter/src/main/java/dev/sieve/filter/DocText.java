package dev.sieve.filter;

import dev.sieve.core.Scripts;
import java.util.AbstractList;
import java.util.Arrays;
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

  // One pass over the characters (scan()).
  private boolean scanned;
  private int cjkChars;
  private int letters;
  private int newlines;
  private int[] lineBounds; // start, end pairs of the non-blank lines, stripped
  private int lineCount;
  private int[] paraBounds; // same for paragraphs (== lineBounds when the text has no empty line)
  private int paraCount;
  private long[] lineHashes;
  private long[] paraHashes;

  // The words (tokenize()).
  private boolean tokenized;
  private int[] wordBounds;
  private long[] wordHashes;
  private int wordCount;
  private long wordChars;
  private long wordCodePoints;
  private int alphaWords;
  private int stopWords;

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

  // ---------------------------------------------------------------------------------------------
  // The one pass: letters, CJK characters, newlines, lines, paragraphs.

  private void scan() {
    if (scanned) return;
    scanned = true;
    String t = text;
    int n = t.length();
    int cjk = 0, l = 0, nl = 0;
    int[] lb = new int[16];
    int lc = 0;
    int lineStart = 0;
    for (int i = 0; i <= n; i++) {
      char c = i < n ? t.charAt(i) : '\n';
      if (c == '\n') {
        if (i < n) nl++;
        int s = lineStart, e = i;
        while (s < e && Character.isWhitespace(t.charAt(s))) s++;
        while (e > s && Character.isWhitespace(t.charAt(e - 1))) e--;
        if (e > s) {
          if (2 * lc + 2 > lb.length) lb = Arrays.copyOf(lb, lb.length * 2);
          lb[2 * lc] = s;
          lb[2 * lc + 1] = e;
          lc++;
        }
        lineStart = i + 1;
        continue;
      }
      if (c < 0x80) {
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') l++;
        continue;
      }
      if (!Character.isLetter(c)) continue;
      l++;
      if (isCjk(c)) cjk++;
    }
    cjkChars = cjk;
    letters = l;
    newlines = nl;
    lineBounds = lb;
    lineCount = lc;
    if (t.indexOf("\n\n") >= 0) splitParagraphs();
    else {
      paraBounds = lb;
      paraCount = lc;
    }
  }

  /** Paragraphs of a text with empty lines: pieces between {@code \n\s*\n} (ASCII white space), stripped, non-empty. */
  private void splitParagraphs() {
    String t = text;
    int n = t.length();
    int[] pb = new int[16];
    int pc = 0;
    int start = 0;
    int i = 0;
    while (i <= n) {
      int end = -1, next = -1;
      if (i == n) {
        end = n;
        next = n + 1;
      } else if (t.charAt(i) == '\n') {
        int lastNl = -1;
        for (int j = i + 1; j < n && isAsciiSpace(t.charAt(j)); j++) if (t.charAt(j) == '\n') lastNl = j;
        if (lastNl > 0) {
          end = i;
          next = lastNl + 1;
        }
      }
      if (end < 0) {
        i++;
        continue;
      }
      int s = start, e = end;
      while (s < e && Character.isWhitespace(t.charAt(s))) s++;
      while (e > s && Character.isWhitespace(t.charAt(e - 1))) e--;
      if (e > s) {
        if (2 * pc + 2 > pb.length) pb = Arrays.copyOf(pb, pb.length * 2);
        pb[2 * pc] = s;
        pb[2 * pc + 1] = e;
        pc++;
      }
      start = next;
      i = next;
    }
    paraBounds = pb;
    paraCount = pc;
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
    scan();
    return letters > 0 && cjkChars >= letters * CJK_LETTER_SHARE;
  }

  /** Han, Hiragana and Katakana characters. */
  public int cjkChars() {
    scan();
    return cjkChars;
  }

  /** Letters of any script (CJK characters included). */
  public int letters() {
    scan();
    return letters;
  }

  /** {@code \n} characters. */
  public int newlines() {
    scan();
    return newlines;
  }

  /** Number of non-blank lines. */
  public int lineCount() {
    scan();
    return lineCount;
  }

  /** Start offset of line {@code i} (stripped). */
  public int lineStart(int i) {
    scan();
    return lineBounds[2 * i];
  }

  /** End offset (exclusive) of line {@code i} (stripped). */
  public int lineEnd(int i) {
    scan();
    return lineBounds[2 * i + 1];
  }

  /** Number of paragraphs. */
  public int paragraphCount() {
    scan();
    return paraCount;
  }

  /** Non-blank lines, stripped. */
  public List<String> lines() {
    scan();
    return slices(lineBounds, lineCount);
  }

  /** Paragraphs: text between empty lines (a text without empty lines is one paragraph per line, as extracted HTML is). */
  public List<String> paragraphs() {
    scan();
    return slices(paraBounds, paraCount);
  }

  /** 64-bit hashes of the lines' text (equal lines, equal hashes). */
  long[] lineHashes() {
    scan();
    if (lineHashes == null) lineHashes = hashes(lineBounds, lineCount);
    return lineHashes;
  }

  /** 64-bit hashes of the paragraphs' text. */
  long[] paragraphHashes() {
    scan();
    if (paraBounds == lineBounds) return lineHashes();
    if (paraHashes == null) paraHashes = hashes(paraBounds, paraCount);
    return paraHashes;
  }

  /** Characters (UTF-16 units) in the lines. */
  long lineChars() {
    scan();
    return chars(lineBounds, lineCount);
  }

  /** [fraction of lines that repeat an earlier one, fraction of line characters in them]. */
  double[] duplicateLines() {
    scan();
    return duplicates(lineHashes(), lineBounds, lineCount);
  }

  /** [fraction of paragraphs that repeat an earlier one, fraction of paragraph characters in them]. */
  double[] duplicateParagraphs() {
    scan();
    return duplicates(paragraphHashes(), paraBounds, paraCount);
  }

  private static double[] duplicates(long[] hashes, int[] bounds, int count) {
    if (count == 0) return new double[] {0, 0};
    LongCounts seen = new LongCounts(count);
    int dup = 0;
    long dupChars = 0, chars = 0;
    for (int i = 0; i < count; i++) {
      int len = bounds[2 * i + 1] - bounds[2 * i];
      chars += len;
      if (seen.add(hashes[i]) > 1) {
        dup++;
        dupChars += len;
      }
    }
    return new double[] {dup / (double) count, chars == 0 ? 0 : dupChars / (double) chars};
  }

  private long[] hashes(int[] bounds, int count) {
    long[] h = new long[count];
    for (int i = 0; i < count; i++) h[i] = hash(text, bounds[2 * i], bounds[2 * i + 1]);
    return h;
  }

  private static long chars(int[] bounds, int count) {
    long c = 0;
    for (int i = 0; i < count; i++) c += bounds[2 * i + 1] - bounds[2 * i];
    return c;
  }

  private List<String> slices(int[] bounds, int count) {
    return new AbstractList<>() {
      @Override
      public String get(int i) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException(i);
        return text.substring(bounds[2 * i], bounds[2 * i + 1]);
      }

      @Override
      public int size() {
        return count;
      }
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Words.

  private void tokenize() {
    if (tokenized) return;
    tokenized = true;
    boolean cjk = isCjk();
    String t = text;
    int n = t.length();
    int[] wb = new int[Math.max(16, n / 3)];
    long[] wh = new long[wb.length / 2];
    int wc = 0;
    long chars = 0, cps = 0;
    int alpha = 0, stop = 0;
    int i = 0;
    while (i < n) {
      int s, e;
      boolean letter = false;
      long h = SEED;
      if (!cjk) {
        while (i < n && isAsciiSpace(t.charAt(i))) i++;
        if (i >= n) break;
        s = i;
        int cp = 0;
        for (; i < n; i++) {
          char c = t.charAt(i);
          if (isAsciiSpace(c)) break;
          if (!Character.isLowSurrogate(c)) cp++;
          if (!letter && (c < 0x80 ? (c | 0x20) >= 'a' && (c | 0x20) <= 'z' : Character.isLetter(c))) letter = true;
          h = step(h, c);
        }
        e = i;
        cps += cp;
        if (e - s <= 4 && isStopWord(t, s, e)) stop++;
      } else {
        int cp = t.codePointAt(i);
        int len = Character.charCount(cp);
        if (isCjkCodePoint(cp)) {
          s = i;
          e = i + len;
          letter = true;
          h = step(h, t.charAt(i));
          if (len == 2) h = step(h, t.charAt(i + 1));
          i = e;
        } else if (Character.isLetterOrDigit(cp)) {
          s = i;
          while (i < n) {
            int c = t.codePointAt(i);
            if (!Character.isLetterOrDigit(c) || isCjkCodePoint(c)) break;
            if (!letter && Character.isLetter(c)) letter = true;
            h = step(h, t.charAt(i));
            if (Character.charCount(c) == 2) h = step(h, t.charAt(i + 1));
            i += Character.charCount(c);
          }
          e = i;
        } else {
          i += len;
          continue;
        }
        cps += t.codePointCount(s, e);
      }
      if (2 * wc + 2 > wb.length) {
        wb = Arrays.copyOf(wb, wb.length * 2);
        wh = Arrays.copyOf(wh, wb.length / 2);
      }
      wb[2 * wc] = s;
      wb[2 * wc + 1] = e;
      wh[wc] = fmix(h ^ (e - s));
      wc++;
      chars += e - s;
      if (letter) alpha++;
    }
    wordBounds = wb;
    wordHashes = wh;
    wordCount = wc;
    wordChars = chars;
    wordCodePoints = cps;
    alphaWords = alpha;
    stopWords = cjk ? 0 : stop;
  }

  private static boolean isStopWord(String t, int s, int e) {
    for (String w : GopherQualityRule.STOP_WORD_LIST) {
      if (w.length() == e - s && t.regionMatches(true, s, w, 0, w.length())) return true;
    }
    return false;
  }

  /** Words: whitespace tokens, or, for CJK text, characters and runs of other letters or digits. */
  public List<String> words() {
    tokenize();
    return slices(wordBounds, wordCount);
  }

  /** Number of words. */
  public int wordCount() {
    tokenize();
    return wordCount;
  }

  /** Start offset of word {@code i}. */
  public int wordStart(int i) {
    tokenize();
    return wordBounds[2 * i];
  }

  /** End offset (exclusive) of word {@code i}. */
  public int wordEnd(int i) {
    tokenize();
    return wordBounds[2 * i + 1];
  }

  /** 64-bit hashes of the words (equal words, equal hashes); only the first {@link #wordCount()} are set. */
  long[] wordHashes() {
    tokenize();
    return wordHashes;
  }

  /** Characters (UTF-16 units) in all words. */
  public long wordChars() {
    tokenize();
    return wordChars;
  }

  /** Code points in all words. */
  public long wordCodePoints() {
    tokenize();
    return wordCodePoints;
  }

  /** Words that contain a letter. */
  public int alphaWords() {
    tokenize();
    return alphaWords;
  }

  /** Words that are one of Gopher's English stop words ({@link GopherQualityRule#STOP_WORDS}, any case); 0 for CJK text. */
  public int stopWords() {
    tokenize();
    return stopWords;
  }

  // ---------------------------------------------------------------------------------------------
  // Characters and hashes.

  /** Han, Hiragana or Katakana (a UTF-16 unit; characters outside the BMP are not counted). */
  static boolean isCjk(char c) {
    if (c < 0x2E80) return false;
    if (c >= 0x4E00 && c <= 0x9FFC) return true;
    return Scripts.isCjk(c);
  }

  private static boolean isCjkCodePoint(int cp) {
    if (cp < 0x2E80) return false;
    if (cp >= 0x4E00 && cp <= 0x9FFC) return true;
    return Scripts.isCjk(cp);
  }

  private static final long SEED = 0x243F6A8885A308D3L;

  private static long step(long h, char c) {
    return (h ^ c) * 0x100000001B3L + 0x9E3779B97F4A7C15L;
  }

  /** MurmurHash3's 64-bit finaliser. */
  static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }

  static long hash(String t, int s, int e) {
    long h = SEED;
    for (int i = s; i < e; i++) h = step(h, t.charAt(i));
    return fmix(h ^ (e - s));
  }

  /**
   * Counts of 64-bit keys in an open-addressing table sized for a known number of insertions (no
   * boxing; {@link #clear} is O(1): a slot counts as empty unless stamped with the current round).
   */
  static final class LongCounts {
    private final long[] keys;
    private final int[] counts;
    private final int[] stamps;
    private final int mask;
    private int round = 1;

    LongCounts(int expected) {
      int cap = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
      keys = new long[cap];
      counts = new int[cap];
      stamps = new int[cap];
      mask = cap - 1;
    }

    /** Whether {@code n} keys fit at the load this table was sized for. */
    boolean fits(int n) {
      return n * 2 <= keys.length;
    }

    /** Adds one occurrence of {@code key}; returns its count so far. */
    int add(long key) {
      int i = (int) (key ^ (key >>> 29)) & mask;
      while (true) {
        if (stamps[i] != round) {
          stamps[i] = round;
          keys[i] = key;
          counts[i] = 1;
          return 1;
        }
        if (keys[i] == key) return ++counts[i];
        i = (i + 1) & mask;
      }
    }

    /** True when {@code key} was added since the last {@link #clear}. */
    boolean contains(long key) {
      int i = (int) (key ^ (key >>> 29)) & mask;
      while (true) {
        if (stamps[i] != round) return false;
        if (keys[i] == key) return true;
        i = (i + 1) & mask;
      }
    }

    void clear() {
      if (++round == 0) {
        java.util.Arrays.fill(stamps, 0);
        round = 1;
      }
    }
  }
}
