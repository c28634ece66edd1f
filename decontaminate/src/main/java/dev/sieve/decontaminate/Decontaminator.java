package dev.sieve.decontaminate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scans one document once against a {@link BenchmarkIndex}: the document's {@link Tokens units}
 * are read in one pass, prefix hashes give every window's hash in O(1), and each window is one
 * lookup in the index's hash table (plus one in the small table of short texts when the set has
 * any). Nothing is allocated per n-gram; a clean document allocates nothing but its result
 * ({@link Scan#CLEAN}, shared).
 *
 * <p>Not thread-safe (it reuses its buffers): one per task or thread.
 */
public final class Decontaminator {
  private final BenchmarkIndex index;
  private final Tokens tokens = new Tokens();
  private long[] prefix = new long[256];
  // Matched windows of the current document.
  private int[] winStart = new int[64];
  private int[] winEnd = new int[64];
  private int[] winItem = new int[64];
  private int wins;

  public Decontaminator(BenchmarkIndex index) {
    this.index = index;
  }

  public BenchmarkIndex index() { return index; }

  /** What one benchmark item matched in a document. */
  public record Hit(String benchmark, String itemId, int ngrams, int spanStart, int spanEnd) {}

  /**
   * The result of scanning one text.
   *
   * @param hits one per benchmark item matched, in order of first match
   * @param spans the matched character ranges of the original text, merged, sorted
   *     ({@code [start, end)} pairs)
   * @param ngrams matched n-grams in all
   */
  public record Scan(List<Hit> hits, int[] spans, int ngrams) {
    public static final Scan CLEAN = new Scan(List.of(), new int[0], 0);

    public boolean contaminated() { return ngrams > 0; }

    /**
     * The benchmark this document is counted against: the one with the most matched n-grams
     * (ties: the first in the configuration), or null when clean.
     */
    public String mainBenchmark(List<String> order) {
      String best = null;
      int bestN = 0;
      int bestRank = Integer.MAX_VALUE;
      java.util.Map<String, Integer> per = new java.util.HashMap<>();
      for (Hit h : hits) per.merge(h.benchmark(), h.ngrams(), Integer::sum);
      for (var e : per.entrySet()) {
        int rank = order.indexOf(e.getKey());
        if (e.getValue() > bestN || (e.getValue() == bestN && rank < bestRank)) {
          best = e.getKey();
          bestN = e.getValue();
          bestRank = rank;
        }
      }
      return best;
    }

    /** {@code text} without the matched spans (nothing else removed or added). */
    public String cut(String text) {
      if (spans.length == 0) return text;
      StringBuilder sb = new StringBuilder(text.length());
      int at = 0;
      for (int i = 0; i < spans.length; i += 2) {
        sb.append(text, at, spans[i]);
        at = spans[i + 1];
      }
      sb.append(text, at, text.length());
      return sb.toString();
    }

    /** Characters the spans cover. */
    public int spanChars() {
      int n = 0;
      for (int i = 0; i < spans.length; i += 2) n += spans[i + 1] - spans[i];
      return n;
    }
  }

  /** Scans {@code text} (null: clean). */
  public Scan scan(String text) {
    if (text == null || text.isEmpty()) return Scan.CLEAN;
    tokens.tokenize(text);
    int n = tokens.size;
    long[] p = prefix = BenchmarkIndex.prefix(tokens, prefix);
    wins = 0;
    LongIntTable table = index.ngrams;
    int wordN = index.ngram;
    int cjkN = index.cjkNgram;
    boolean shorts = index.shortKey.length > 0;
    int minT = index.minTokens;
    boolean[] cjk = tokens.cjk;
    for (int k = 0; k < n; k++) {
      int len = cjk[k] ? cjkN : wordN;
      if (k + 1 >= len) {
        int item = table.get(BenchmarkIndex.window(p, k, len));
        if (item >= 0) matched(tokens.start[k + 1 - len], tokens.end[k], item);
      }
      if (shorts && k + 1 >= minT) {
        int s = index.shortProbe.get(BenchmarkIndex.window(p, k, minT));
        while (s >= 0) {
          int l = index.shortLength[s];
          if (k + 1 >= l && BenchmarkIndex.window(p, k, l) == index.shortKey[s]) {
            matched(tokens.start[k + 1 - l], tokens.end[k], index.shortItem[s]);
            break;
          }
          s = index.shortNext[s];
        }
      }
    }
    return wins == 0 ? Scan.CLEAN : result();
  }

  private void matched(int start, int end, int item) {
    if (wins == winStart.length) {
      winStart = Arrays.copyOf(winStart, wins * 2);
      winEnd = Arrays.copyOf(winEnd, wins * 2);
      winItem = Arrays.copyOf(winItem, wins * 2);
    }
    winStart[wins] = start;
    winEnd[wins] = end;
    winItem[wins++] = item;
  }

  private Scan result() {
    // Merge the windows' ranges.
    Integer[] order = new Integer[wins];
    for (int i = 0; i < wins; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Integer.compare(winStart[a], winStart[b]));
    int[] merged = new int[wins * 2];
    int m = 0;
    for (int oi = 0; oi < wins; oi++) {
      int i = order[oi];
      if (m > 0 && winStart[i] <= merged[m - 1]) {
        merged[m - 1] = Math.max(merged[m - 1], winEnd[i]);
      } else {
        merged[m++] = winStart[i];
        merged[m++] = winEnd[i];
      }
    }
    int[] spans = Arrays.copyOf(merged, m);
    // One hit per item, in order of first match; its span is the merged range holding its first window.
    List<Hit> hits = new ArrayList<>();
    int[] items = new int[wins];
    int[] counts = new int[wins];
    int[] first = new int[wins];
    int distinct = 0;
    for (int w = 0; w < wins; w++) {
      int it = winItem[w];
      int j = 0;
      while (j < distinct && items[j] != it) j++;
      if (j == distinct) {
        items[distinct] = it;
        first[distinct] = w;
        distinct++;
      }
      counts[j]++;
    }
    for (int j = 0; j < distinct; j++) {
      int w = first[j];
      int s = winStart[w];
      int e = winEnd[w];
      for (int i = 0; i < spans.length; i += 2) {
        if (spans[i] <= s && s < spans[i + 1]) {
          s = spans[i];
          e = spans[i + 1];
          break;
        }
      }
      hits.add(new Hit(index.benchmarks[index.itemBenchmark[items[j]]], index.itemIds[items[j]], counts[j], s, e));
    }
    return new Scan(List.copyOf(hits), spans, wins);
  }
}
