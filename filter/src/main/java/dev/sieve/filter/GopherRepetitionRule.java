package dev.sieve.filter;


/**
 * Gopher's repetition filter (Rae et al. 2021, appendix A.1.1, table A1), as datatrove
 * implements it: at most 30 % duplicated lines and 30 % duplicated paragraphs, at most 20 % of
 * characters in duplicated lines and in duplicated paragraphs; the most frequent 2-, 3- and
 * 4-gram covering at most 20 %, 18 % and 16 % of the word characters; and characters in
 * duplicated 5- to 10-grams at most 15 %, 14 %, 13 %, 12 %, 11 % and 10 %. For CJK text, whose
 * words are characters ({@link DocText}), an n-gram is {@code n} × {@value #CJK_CHARS_PER_WORD}
 * characters. Lines, paragraphs and n-grams are compared by 64-bit hashes (rolling hashes of the
 * word hashes for n-grams), never joined into strings.
 */
public final class GopherRepetitionRule implements FilterRule {
  public static final double DEFAULT_MAX_DUP_LINE_FRAC = 0.3;
  public static final double DEFAULT_MAX_DUP_PARA_FRAC = 0.3;
  public static final double DEFAULT_MAX_DUP_LINE_CHAR_FRAC = 0.2;
  public static final double DEFAULT_MAX_DUP_PARA_CHAR_FRAC = 0.2;
  /** Thresholds of the top 2-, 3-, 4-gram character fractions. */
  public static final double[] DEFAULT_MAX_TOP_NGRAM_FRAC = {0.20, 0.18, 0.16};
  /** Thresholds of the duplicated 5- to 10-gram character fractions. */
  public static final double[] DEFAULT_MAX_DUP_NGRAM_FRAC = {0.15, 0.14, 0.13, 0.12, 0.11, 0.10};
  /**
   * For CJK text, whose words are characters ({@link DocText}), an n-gram is {@code n} times this
   * many characters: a Chinese word is about this many characters long, so the n-word windows
   * Gopher's thresholds were set for keep their length.
   */
  public static final int CJK_CHARS_PER_WORD = 2;

  private final double maxDupLineFrac;
  private final double maxDupParaFrac;
  private final double maxDupLineCharFrac;
  private final double maxDupParaCharFrac;
  private final double[] maxTopNgramFrac;
  private final double[] maxDupNgramFrac;

  public GopherRepetitionRule() {
    this(DEFAULT_MAX_DUP_LINE_FRAC, DEFAULT_MAX_DUP_PARA_FRAC, DEFAULT_MAX_DUP_LINE_CHAR_FRAC, DEFAULT_MAX_DUP_PARA_CHAR_FRAC,
        DEFAULT_MAX_TOP_NGRAM_FRAC, DEFAULT_MAX_DUP_NGRAM_FRAC);
  }

  public GopherRepetitionRule(double maxDupLineFrac, double maxDupParaFrac, double maxDupLineCharFrac, double maxDupParaCharFrac,
                              double[] maxTopNgramFrac, double[] maxDupNgramFrac) {
    if (maxTopNgramFrac.length != 3) throw new IllegalArgumentException("top n-gram thresholds are for n = 2, 3, 4: give 3");
    if (maxDupNgramFrac.length != 6) throw new IllegalArgumentException("duplicated n-gram thresholds are for n = 5..10: give 6");
    this.maxDupLineFrac = maxDupLineFrac;
    this.maxDupParaFrac = maxDupParaFrac;
    this.maxDupLineCharFrac = maxDupLineCharFrac;
    this.maxDupParaCharFrac = maxDupParaCharFrac;
    this.maxTopNgramFrac = maxTopNgramFrac.clone();
    this.maxDupNgramFrac = maxDupNgramFrac.clone();
  }

  @Override
  public String name() {
    return "gopher_repetition";
  }

  @Override
  public Verdict apply(DocText doc) {
    String text = doc.text();
    if (text.isEmpty()) return Verdict.keep();
    double[] para = doc.duplicateParagraphs();
    if (para[0] > maxDupParaFrac) return Verdict.reject("gopher_dup_para_frac", para[0], maxDupParaFrac);
    if (para[1] > maxDupParaCharFrac) return Verdict.reject("gopher_dup_para_char_frac", para[1], maxDupParaCharFrac);
    double[] line = doc.duplicateLines();
    if (line[0] > maxDupLineFrac) return Verdict.reject("gopher_dup_line_frac", line[0], maxDupLineFrac);
    if (line[1] > maxDupLineCharFrac) return Verdict.reject("gopher_dup_line_char_frac", line[1], maxDupLineCharFrac);

    long wordChars = doc.wordChars();
    if (wordChars == 0) return Verdict.keep();
    int scale = doc.isCjk() ? CJK_CHARS_PER_WORD : 1;
    NgramScratch scratch = NgramScratch.of(doc);
    for (int n = 2; n <= 4; n++) {
      double f = scratch.topNgramCharFrac(n * scale, wordChars);
      if (f > maxTopNgramFrac[n - 2]) return Verdict.reject("gopher_top_" + n + "_gram", f, maxTopNgramFrac[n - 2]);
    }
    for (int n = 5; n <= 10; n++) {
      double f = scratch.dupNgramCharFrac(n * scale, wordChars);
      if (f > maxDupNgramFrac[n - 5]) return Verdict.reject("gopher_dup_" + n + "_gram", f, maxDupNgramFrac[n - 5]);
    }
    return Verdict.keep();
  }

  /**
   * The n-gram measures over a document's words, on rolling hashes of the word hashes (an n-gram
   * is never joined into a string): one hash table, reused for every n.
   */
  static final class NgramScratch {
    private static final long P = 0x9E3779B97F4A7C15L | 1;
    private static final ThreadLocal<NgramScratch> PER_THREAD = ThreadLocal.withInitial(NgramScratch::new);
    private long[] words;
    private int[] len = new int[0];
    private int count;
    private long[] grams = new long[0];
    private LongCounts table;

    private NgramScratch() {}

    /** This thread's scratch (arrays kept from document to document), set to {@code doc}'s words. */
    static NgramScratch of(DocText doc) {
      return PER_THREAD.get().reset(doc);
    }

    NgramScratch(DocText doc) {
      reset(doc);
    }

    private NgramScratch reset(DocText doc) {
      count = doc.wordCount();
      words = doc.wordHashes();
      if (len.length < count) {
        len = new int[Math.max(count, len.length * 2)];
        grams = new long[len.length];
      }
      for (int i = 0; i < count; i++) len[i] = doc.wordEnd(i) - doc.wordStart(i);
      if (table == null || !table.fits(count)) table = new LongCounts(Math.max(count, 1024));
      return this;
    }

    /** Hashes of the n-grams starting at 0 .. count - n into {@link #grams}; returns how many. */
    private int hashGrams(int n) {
      int m = count - n + 1;
      if (m <= 0) return 0;
      long pn = 1; // P^n
      for (int k = 0; k < n; k++) pn *= P;
      long h = 0;
      for (int k = 0; k < n; k++) h = h * P + words[k];
      grams[0] = h;
      for (int i = 1; i < m; i++) {
        h = h * P + words[i + n - 1] - pn * words[i - 1];
        grams[i] = h;
      }
      return m;
    }

    private LongCounts table() {
      table.clear();
      return table;
    }

    /** Characters of the most frequent n-gram (times its count) over all word characters. */
    double topNgramCharFrac(int n, long wordChars) {
      int m = hashGrams(n);
      if (m <= 0) return 0;
      LongCounts counts = table();
      int best = -1, bestCount = 0;
      for (int i = 0; i < m; i++) {
        int c = counts.add(grams[i]);
        if (c > bestCount) {
          bestCount = c;
          best = i;
        }
      }
      if (bestCount <= 1) return 0;
      long chars = 0;
      for (int k = best; k < best + n; k++) chars += len[k];
      return chars * bestCount / (double) wordChars;
    }

    /**
     * Characters in repeated occurrences of n-grams over all word characters: scanning left to
     * right, an n-gram seen before counts its characters and the scan jumps past it (datatrove's
     * {@code find_all_duplicate}).
     */
    double dupNgramCharFrac(int n, long wordChars) {
      int m = hashGrams(n);
      if (m <= 0) return 0;
      LongCounts seen = table();
      long dup = 0;
      int i = 0;
      while (i < m) {
        if (seen.contains(grams[i])) {
          for (int j = i; j < i + n; j++) dup += len[j];
          i += n;
        } else {
          seen.add(grams[i]);
          i++;
        }
      }
      return dup / (double) wordChars;
    }
  }
}
