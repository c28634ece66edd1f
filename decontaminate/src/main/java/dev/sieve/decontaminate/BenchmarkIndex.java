package dev.sieve.decontaminate;

import dev.sieve.core.Hash64;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hashed n-grams of a benchmark set: n-gram hash → (benchmark, item id). Built once on the
 * driver from the configured files ({@link BenchmarkReader}), broadcast, and read by many
 * {@link Decontaminator}s.
 *
 * <p>Each text of an item (each configured field; each element of a list field such as
 * {@code choices}) is cut into {@link Tokens units} on its own, and every window of consecutive
 * units is hashed: {@code ngram} units when the window's last unit is a word, {@code cjk_ngram}
 * when it is a CJK character. The window hash is a polynomial rolling hash over the units'
 * 64-bit hashes (mod 2<sup>64</sup>), so a scanner computes each window in O(1) from prefix
 * hashes.
 *
 * <p>A text too short for any window: with at least {@code min_tokens} units it is indexed whole
 * (an n-gram of its own length, as GPT-3 shrinks N for benchmarks with short examples, to a
 * minimum of 8: Brown et al. 2020, appendix C); shorter texts (an answer letter, a number, a
 * four-word choice) are ignored, since they match everywhere. Item ids not unique and n-grams
 * shared by items keep the first item (file order, benchmark order).
 *
 * <p>Memory: about 24 bytes per distinct n-gram (a hash table at load factor ≤ 1/2). A
 * 100,000-item set of MMLU-sized items (~60 words) is ~5 M n-grams, ~120 MB.
 */
public final class BenchmarkIndex implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Words per n-gram: GPT-3's 13-gram overlap (Brown et al. 2020, appendix C), also lm-evaluation-harness's decontamination default. */
  public static final int DEFAULT_NGRAM = 13;
  /**
   * CJK characters per n-gram. No paper fixes a character n for Chinese; GPT-3's 13 is kept and
   * counted in characters (Chinese has no spaces; DESIGN.md shingles it by character). At
   * ~1.5 characters per Chinese word that is 8–9 words, GPT-3's smallest N (8).
   */
  public static final int DEFAULT_CJK_NGRAM = 13;
  /** Shortest text indexed whole when it has fewer units than an n-gram: GPT-3's minimum N of 8 (Brown et al. 2020, appendix C). */
  public static final int DEFAULT_MIN_TOKENS = 8;
  /** Largest n accepted. */
  public static final int MAX_NGRAM = 64;

  static final long BASE = 0x9E3779B97F4A7C15L;
  static final long[] POW = new long[MAX_NGRAM + 2];

  static {
    POW[0] = 1;
    for (int i = 1; i < POW.length; i++) POW[i] = POW[i - 1] * BASE;
  }

  final int ngram;
  final int cjkNgram;
  final int minTokens;
  final String[] benchmarks;
  final int[] itemBenchmark;
  final String[] itemIds;
  final LongIntTable ngrams;
  /** Short texts: hash of their last {@code minTokens} units → first entry; then a chain. */
  final LongIntTable shortProbe;
  final int[] shortLength;
  final long[] shortKey;
  final int[] shortItem;
  final int[] shortNext;
  private final String fingerprint;
  private final Map<String, Integer> itemsPerBenchmark;

  private BenchmarkIndex(Builder b) {
    this.ngram = b.ngram;
    this.cjkNgram = b.cjkNgram;
    this.minTokens = b.minTokens;
    this.benchmarks = b.benchmarkNames.toArray(String[]::new);
    this.itemBenchmark = Arrays.copyOf(b.itemBenchmark, b.items);
    this.itemIds = b.itemIds.toArray(String[]::new);
    this.ngrams = new LongIntTable(b.keyCount);
    for (int i = 0; i < b.keyCount; i++) ngrams.putIfAbsent(b.keys[i], b.keyItems[i]);
    int s = b.shortCount;
    this.shortProbe = new LongIntTable(s);
    this.shortLength = Arrays.copyOf(b.shortLength, s);
    this.shortKey = Arrays.copyOf(b.shortKey, s);
    this.shortItem = Arrays.copyOf(b.shortItem, s);
    this.shortNext = new int[s];
    Arrays.fill(shortNext, -1);
    int[] last = new int[s];
    for (int i = 0; i < s; i++) {
      long probe = b.shortProbeKey[i];
      int head = shortProbe.get(probe);
      if (head < 0) {
        shortProbe.putIfAbsent(probe, i);
        last[i] = i;
      } else {
        shortNext[last[head]] = i;
        last[head] = i;
      }
    }
    this.fingerprint = HexFormat.of().formatHex(b.digest.digest());
    this.itemsPerBenchmark = new LinkedHashMap<>();
    for (int i = 0; i < benchmarks.length; i++) itemsPerBenchmark.put(benchmarks[i], b.itemsPer.get(i));
  }

  /** A builder for an index with {@code ngram} words / {@code cjkNgram} CJK characters per n-gram. */
  public static Builder builder(int ngram, int cjkNgram, int minTokens) {
    return new Builder(ngram, cjkNgram, minTokens);
  }

  /** Benchmark names, in the order they were added. */
  public List<String> benchmarks() { return List.of(benchmarks); }

  /** Items per benchmark. */
  public Map<String, Integer> itemsPerBenchmark() { return itemsPerBenchmark; }

  /** Distinct n-grams indexed (texts indexed whole included). */
  public long ngramCount() { return ngrams.size() + (long) shortKey.length; }

  /**
   * Hex SHA-256 of the settings and of every benchmark's name, item ids and texts, in order: two
   * runs with the same fingerprint checked documents against the same set.
   */
  public String fingerprint() { return fingerprint; }

  /** Approximate heap bytes of the tables. */
  public long bytes() { return ngrams.bytes() + shortProbe.bytes() + shortKey.length * 20L; }

  /** The window length that ends at a unit: {@link #cjkNgram} after a CJK character, else {@link #ngram}. */
  int windowEndingAt(boolean cjk) { return cjk ? cjkNgram : ngram; }

  /** Hash of the {@code length} units ending at unit {@code last}, from prefix hashes {@code p} ({@code p[i]} covers units 0..i-1). */
  static long window(long[] p, int last, int length) {
    long raw = p[last + 1] - p[last + 1 - length] * POW[length];
    return LongIntTable.nonZero(Hash64.fmix64(raw + length * 0xC2B2AE3D27D4EB4FL));
  }

  /** Fills {@code p} (length ≥ units + 1) with the prefix hashes of {@code t}'s units. */
  static long[] prefix(Tokens t, long[] p) {
    if (p.length < t.size + 1) p = new long[Math.max(t.size + 1, p.length * 2)];
    long h = 0;
    p[0] = 0;
    for (int i = 0; i < t.size; i++) {
      h = h * BASE + t.hash[i];
      p[i + 1] = h;
    }
    return p;
  }

  /** Collects benchmarks and items; {@link #build} makes the index. */
  public static final class Builder {
    private final int ngram;
    private final int cjkNgram;
    private final int minTokens;
    private final List<String> benchmarkNames = new ArrayList<>();
    private final List<Integer> itemsPer = new ArrayList<>();
    private final List<String> itemIds = new ArrayList<>();
    private int[] itemBenchmark = new int[1024];
    private int items;
    private long[] keys = new long[1 << 16];
    private int[] keyItems = new int[1 << 16];
    private int keyCount;
    private int[] shortLength = new int[256];
    private long[] shortKey = new long[256];
    private long[] shortProbeKey = new long[256];
    private int[] shortItem = new int[256];
    private int shortCount;
    private final Tokens tokens = new Tokens();
    private long[] prefix = new long[256];
    private final MessageDigest digest;
    private int current = -1;

    private Builder(int ngram, int cjkNgram, int minTokens) {
      if (ngram < 1 || ngram > MAX_NGRAM || cjkNgram < 1 || cjkNgram > MAX_NGRAM) {
        throw new IllegalArgumentException("n-gram sizes must be 1.." + MAX_NGRAM + ": " + ngram + ", " + cjkNgram);
      }
      this.ngram = ngram;
      this.cjkNgram = cjkNgram;
      this.minTokens = Math.max(1, Math.min(minTokens, Math.min(ngram, cjkNgram)));
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      update("ngram=" + ngram + ";cjk_ngram=" + cjkNgram + ";min_tokens=" + this.minTokens);
    }

    private void update(String s) {
      digest.update(s.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    }

    /** Starts benchmark {@code name}; the items added next belong to it. */
    public Builder benchmark(String name) {
      if (benchmarkNames.contains(name)) throw new IllegalArgumentException("benchmark '" + name + "' added twice");
      benchmarkNames.add(name);
      itemsPer.add(0);
      current = benchmarkNames.size() - 1;
      update("benchmark=" + name);
      return this;
    }

    /** Adds one item of the current benchmark: its id and its texts (null texts are skipped). */
    public Builder add(String itemId, List<String> texts) {
      if (current < 0) throw new IllegalStateException("call benchmark(name) before add");
      int item = items++;
      if (item == itemBenchmark.length) itemBenchmark = Arrays.copyOf(itemBenchmark, item * 2);
      itemBenchmark[item] = current;
      itemIds.add(itemId);
      itemsPer.set(current, itemsPer.get(current) + 1);
      update("item=" + itemId);
      for (String text : texts) {
        if (text == null) continue;
        update(text);
        index(text, item);
      }
      return this;
    }

    private void index(String text, int item) {
      tokens.tokenize(text);
      int n = tokens.size;
      prefix = BenchmarkIndex.prefix(tokens, prefix);
      boolean any = false;
      for (int k = 0; k < n; k++) {
        int len = tokens.cjk[k] ? cjkNgram : ngram;
        if (k + 1 < len) continue;
        any = true;
        if (keyCount == keys.length) {
          keys = Arrays.copyOf(keys, keyCount * 2);
          keyItems = Arrays.copyOf(keyItems, keyCount * 2);
        }
        keys[keyCount] = window(prefix, k, len);
        keyItems[keyCount++] = item;
      }
      if (!any && n >= minTokens) {
        if (shortCount == shortKey.length) {
          int cap = shortCount * 2;
          shortKey = Arrays.copyOf(shortKey, cap);
          shortLength = Arrays.copyOf(shortLength, cap);
          shortProbeKey = Arrays.copyOf(shortProbeKey, cap);
          shortItem = Arrays.copyOf(shortItem, cap);
        }
        shortKey[shortCount] = window(prefix, n - 1, n);
        shortProbeKey[shortCount] = window(prefix, n - 1, minTokens);
        shortLength[shortCount] = n;
        shortItem[shortCount++] = item;
      }
    }

    public BenchmarkIndex build() {
      return new BenchmarkIndex(this);
    }
  }
}
