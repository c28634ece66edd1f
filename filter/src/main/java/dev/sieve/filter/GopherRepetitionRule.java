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
   * is never joined into a string), for increasing n. An n-gram can occur twice only where its
   * (n-1)-gram prefix does, so each n hashes, counts and scans only the positions whose shorter
   * gram repeats: on ordinary text a few percent of the words once n reaches 4 or 5. The measures
   * are exactly those of a scan over every position (a position left out holds a gram that occurs
   * once: it is never the most frequent and never seen again).
   */
  static final class NgramScratch {
    private static final long P = 0x9E3779B97F4A7C15L | 1;
    private static final ThreadLocal<NgramScratch> PER_THREAD = ThreadLocal.withInitial(NgramScratch::new);
    private long[] words;
    private int[] len = new int[0];
    private int count;
    /** Hash of the {@link #size}-gram starting at a position (valid at candidate positions). */
    private long[] grams = new long[0];
    /** Whether the {@link #size}-gram at a candidate position occurs at least twice. */
    private boolean[] repeats = new boolean[0];
    /** Candidate positions, ascending: those whose shorter gram repeats (all positions for the first size). */
    private int[] cand = new int[0];
    private int candCount;
    /** Gram length (words) the arrays hold; 0 before the first. */
    private int size;
    private int bestPos;
    private int bestCount;
    private LongCounts counts;
    private LongCounts seen;

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
        int cap = Math.max(count, len.length * 2);
        len = new int[cap];
        grams = new long[cap];
        repeats = new boolean[cap];
        cand = new int[cap];
      }
      for (int i = 0; i < count; i++) len[i] = doc.wordEnd(i) - doc.wordStart(i);
      if (counts == null || !counts.fits(count)) {
        counts = new LongCounts(Math.max(count, 1024));
        seen = new LongCounts(Math.max(count, 1024));
      }
      size = 0;
      return this;
    }

    /** Sets the arrays to {@code n}-grams: extends the current grams when {@code n} is longer, else starts over. */
    private void toSize(int n) {
      if (n == size) return;
      int m = count - n + 1;
      if (size == 0 || n < size) {
        candCount = 0;
        for (int i = 0; i < m; i++) {
          long h = 0;
          if (i == 0) {
            for (int k = 0; k < n; k++) h = h * P + words[k];
          } else {
            h = grams[i - 1] * P + words[i + n - 1] - pow(n) * words[i - 1];
          }
          grams[i] = h;
          cand[candCount++] = i;
        }
      } else {
        int kept = 0;
        for (int c = 0; c < candCount; c++) {
          int i = cand[c];
          if (!repeats[i] || i >= m) continue;
          long h = grams[i];
          for (int k = size; k < n; k++) h = h * P + words[i + k];
          grams[i] = h;
          cand[kept++] = i;
        }
        candCount = kept;
      }
      size = n;
      counts.clear();
      bestPos = -1;
      bestCount = 0;
      for (int c = 0; c < candCount; c++) {
        int i = cand[c];
        int k = counts.add(grams[i]);
        if (k > bestCount) {
          bestCount = k;
          bestPos = i;
        }
      }
      for (int c = 0; c < candCount; c++) repeats[cand[c]] = counts.count(grams[cand[c]]) >= 2;
    }

    private static long pow(int n) {
      long pn = 1;
      for (int k = 0; k < n; k++) pn *= P;
      return pn;
    }

    /** Characters of the most frequent n-gram (times its count) over all word characters. */
    double topNgramCharFrac(int n, long wordChars) {
      if (count - n + 1 <= 0) return 0;
      toSize(n);
      if (bestCount <= 1) return 0;
      long chars = 0;
      for (int k = bestPos; k < bestPos + n; k++) chars += len[k];
      return chars * bestCount / (double) wordChars;
    }

    /**
     * Characters in repeated occurrences of n-grams over all word characters: scanning left to
     * right, an n-gram seen before counts its characters and the scan jumps past it (datatrove's
     * {@code find_all_duplicate}).
     */
    double dupNgramCharFrac(int n, long wordChars) {
      if (count - n + 1 <= 0) return 0;
      toSize(n);
      seen.clear();
      long dup = 0;
      int next = 0;
      for (int c = 0; c < candCount; c++) {
        int i = cand[c];
        if (i < next || !repeats[i]) continue; // jumped over, or a gram that occurs once (never seen again)
        if (seen.contains(grams[i])) {
          for (int j = i; j < i + n; j++) dup += len[j];
          next = i + n;
        } else {
          seen.add(grams[i]);
        }
      }
      return dup / (double) wordChars;
    }
  }
}
