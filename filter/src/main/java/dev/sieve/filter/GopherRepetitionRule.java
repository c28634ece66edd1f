package dev.sieve.filter;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gopher's repetition filter (Rae et al. 2021, appendix A.1.1, table A1), as datatrove
 * implements it: at most 30 % duplicated lines and 30 % duplicated paragraphs, at most 20 % of
 * characters in duplicated lines and in duplicated paragraphs; the most frequent 2-, 3- and
 * 4-gram covering at most 20 %, 18 % and 16 % of the word characters; and characters in
 * duplicated 5- to 10-grams at most 15 %, 14 %, 13 %, 12 %, 11 % and 10 %. For CJK text the
 * n-grams are over segmented words.
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
    double[] para = duplicates(doc.paragraphs());
    if (para[0] > maxDupParaFrac) return Verdict.reject("gopher_dup_para_frac", para[0], maxDupParaFrac);
    if (para[1] > maxDupParaCharFrac) return Verdict.reject("gopher_dup_para_char_frac", para[1], maxDupParaCharFrac);
    double[] line = duplicates(doc.lines());
    if (line[0] > maxDupLineFrac) return Verdict.reject("gopher_dup_line_frac", line[0], maxDupLineFrac);
    if (line[1] > maxDupLineCharFrac) return Verdict.reject("gopher_dup_line_char_frac", line[1], maxDupLineCharFrac);

    List<String> words = doc.words();
    long wordChars = 0;
    for (String w : words) wordChars += w.length();
    if (wordChars == 0) return Verdict.keep();
    for (int n = 2; n <= 4; n++) {
      double f = topNgramCharFrac(words, n, wordChars);
      if (f > maxTopNgramFrac[n - 2]) return Verdict.reject("gopher_top_" + n + "_gram", f, maxTopNgramFrac[n - 2]);
    }
    for (int n = 5; n <= 10; n++) {
      double f = dupNgramCharFrac(words, n, wordChars);
      if (f > maxDupNgramFrac[n - 5]) return Verdict.reject("gopher_dup_" + n + "_gram", f, maxDupNgramFrac[n - 5]);
    }
    return Verdict.keep();
  }

  /** [fraction of elements that repeat an earlier one, fraction of characters in them]. */
  static double[] duplicates(List<String> items) {
    if (items.isEmpty()) return new double[] {0, 0};
    Set<String> seen = new HashSet<>();
    int dup = 0;
    long dupChars = 0, chars = 0;
    for (String s : items) {
      chars += s.length();
      if (!seen.add(s)) {
        dup++;
        dupChars += s.length();
      }
    }
    return new double[] {dup / (double) items.size(), chars == 0 ? 0 : dupChars / (double) chars};
  }

  /** Characters of the most frequent n-gram (times its count) over all word characters. */
  static double topNgramCharFrac(List<String> words, int n, long wordChars) {
    if (words.size() < n) return 0;
    Map<String, Integer> counts = new HashMap<>();
    String best = null;
    int bestCount = 0;
    for (int i = 0; i + n <= words.size(); i++) {
      String g = String.join("\u0001", words.subList(i, i + n));
      int c = counts.merge(g, 1, Integer::sum);
      if (c > bestCount) {
        bestCount = c;
        best = g;
      }
    }
    if (bestCount <= 1) return 0;
    long len = best.length() - (n - 1);
    return len * bestCount / (double) wordChars;
  }

  /**
   * Characters in repeated occurrences of n-grams over all word characters: scanning left to
   * right, an n-gram seen before counts its characters and the scan jumps past it (datatrove's
   * {@code find_all_duplicate}).
   */
  static double dupNgramCharFrac(List<String> words, int n, long wordChars) {
    if (words.size() < n) return 0;
    Set<String> seen = new HashSet<>();
    long dup = 0;
    int i = 0;
    while (i + n <= words.size()) {
      String g = String.join("\u0001", words.subList(i, i + n));
      if (seen.contains(g)) {
        for (int j = i; j < i + n; j++) dup += words.get(j).length();
        i += n;
      } else {
        seen.add(g);
        i++;
      }
    }
    return dup / (double) wordChars;
  }
}
