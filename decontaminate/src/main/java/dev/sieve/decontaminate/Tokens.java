package dev.sieve.decontaminate;

import dev.sieve.core.Hash64;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;

/**
 * The units n-grams are made of, found in one pass over a text with their character offsets in
 * that (original) text. Normalisation, applied per character so offsets survive it: Unicode NFKC
 * (full-width {@code Ａ１，} → {@code A1,}, ligatures, compatibility ideographs), then lower case.
 * Then:
 *
 * <ul>
 *   <li>a run of letters, digits and combining marks is one <b>word</b> unit (space-delimited
 *       scripts: Latin, Cyrillic, Greek, Hangul...);
 *   <li>each Han ideograph or kana is a unit of its own (<b>CJK</b>: no spaces between words, so
 *       characters are shingled, DESIGN.md "Principles");
 *   <li>apostrophes ({@code ' ’ ʼ}) are removed inside a word ({@code don't} = {@code dont});
 *   <li>everything else (whitespace, punctuation, symbols, controls) only separates words, so any
 *       amount of it counts the same ({@code "a, b"} = {@code "a b"} = {@code "a  -  b"}).
 * </ul>
 *
 * <p>A word's hash is FNV-1a 64 over its normalised UTF-16 chars, finished with MurmurHash3's
 * {@code fmix64}; no String is made per unit. An instance is a reusable buffer (not thread-safe):
 * {@link #tokenize} overwrites the previous text's units.
 */
public final class Tokens {
  static final byte SEP = 0;
  static final byte WORD = 1;
  static final byte CJK = 2;
  static final byte JOIN = 3;
  /** The character maps to more than one character ({@link #EXPAND}). */
  static final byte MULTI = 4;

  private static final char[] MAP = new char[65536];
  private static final byte[] CLASS = new byte[65536];
  private static final String[] EXPAND = new String[65536];

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final long CJK_SALT = 0x5bd1e9955bd1e995L;

  static {
    for (int c = 0; c < 65536; c++) {
      if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
        CLASS[c] = SEP;
        continue;
      }
      String s = String.valueOf((char) c);
      String n = Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
      if (n.length() == 1) {
        MAP[c] = n.charAt(0);
        CLASS[c] = classify(n.charAt(0));
      } else if (n.isEmpty()) {
        CLASS[c] = JOIN;
      } else {
        EXPAND[c] = n;
        CLASS[c] = MULTI;
      }
    }
  }

  static byte classify(int cp) {
    if (cp == '\'' || cp == 0x2019 || cp == 0x02BC) return JOIN;
    if (isCjkCodePoint(cp)) return CJK;
    if (Character.isLetterOrDigit(cp)) return WORD;
    int t = Character.getType(cp);
    if (t == Character.NON_SPACING_MARK || t == Character.COMBINING_SPACING_MARK || t == Character.ENCLOSING_MARK) return WORD;
    return SEP;
  }

  /** Han ideographs (unified, extension A, compatibility, supplementary planes 2–3), kana and the iteration marks. */
  static boolean isCjkCodePoint(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x3040 && cp <= 0x30FF)
        || (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0xF900 && cp <= 0xFAFF) || cp == 0x3005 || cp == 0x3006
        || (cp >= 0x20000 && cp <= 0x3FFFF);
  }

  /** Units found by the last {@link #tokenize}. */
  int size;
  long[] hash = new long[256];
  int[] start = new int[256];
  int[] end = new int[256];
  boolean[] cjk = new boolean[256];

  // The word being read.
  private long wordHash;
  private int wordStart = -1;
  private int wordEnd;

  /** Number of units {@link #tokenize} found. */
  public int size() { return size; }

  /** Offset in the text of unit {@code i}'s first char. */
  public int start(int i) { return start[i]; }

  /** Offset in the text just past unit {@code i}'s last char. */
  public int end(int i) { return end[i]; }

  /** Whether unit {@code i} is a CJK character (else a word). */
  public boolean isCjk(int i) { return cjk[i]; }

  /** Reads {@code text} into units (replacing the previous ones). */
  public Tokens tokenize(CharSequence text) {
    size = 0;
    wordStart = -1;
    int n = text.length();
    int i = 0;
    while (i < n) {
      char ch = text.charAt(i);
      if (ch < 0x80) {
        // ASCII fast path: NFKC leaves it alone.
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
          word(ch, i, i + 1);
        } else if (ch >= 'A' && ch <= 'Z') {
          word(ch + 32, i, i + 1);
        } else if (ch != '\'') {
          flush();
        }
        i++;
        continue;
      }
      if (Character.isHighSurrogate(ch) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(ch, text.charAt(i + 1));
        int low = Character.toLowerCase(cp);
        unit(low, classify(low), i, i + 2);
        i += 2;
        continue;
      }
      byte cls = CLASS[ch];
      if (cls == MULTI) {
        String x = EXPAND[ch];
        for (int j = 0; j < x.length(); j++) {
          char c = x.charAt(j);
          unit(c, classify(c), i, i + 1);
        }
      } else {
        unit(MAP[ch], cls, i, i + 1);
      }
      i++;
    }
    flush();
    return this;
  }

  private void unit(int cp, byte cls, int from, int to) {
    switch (cls) {
      case WORD -> word(cp, from, to);
      case CJK -> {
        flush();
        add(Hash64.fmix64(cp ^ CJK_SALT), from, to, true);
      }
      case JOIN -> { }
      default -> flush();
    }
  }

  private void word(int c, int from, int to) {
    if (wordStart < 0) {
      wordStart = from;
      wordHash = FNV_OFFSET;
    }
    wordHash = (wordHash ^ c) * FNV_PRIME;
    wordEnd = to;
  }

  private void flush() {
    if (wordStart >= 0) {
      add(Hash64.fmix64(wordHash), wordStart, wordEnd, false);
      wordStart = -1;
    }
  }

  private void add(long h, int from, int to, boolean isCjk) {
    if (size == hash.length) {
      int cap = size * 2;
      hash = Arrays.copyOf(hash, cap);
      start = Arrays.copyOf(start, cap);
      end = Arrays.copyOf(end, cap);
      cjk = Arrays.copyOf(cjk, cap);
    }
    hash[size] = h;
    start[size] = from;
    end[size] = to;
    cjk[size] = isCjk;
    size++;
  }

  /** The units of {@code text} (a convenience for tests and short texts). */
  public static int count(CharSequence text) {
    return new Tokens().tokenize(text).size;
  }
}
