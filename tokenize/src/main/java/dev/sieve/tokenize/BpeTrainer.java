package dev.sieve.tokenize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains a byte-level BPE vocabulary (GPT-2 style: Sennrich et al. 2016 merges over UTF-8 bytes,
 * Radford et al. 2019 byte-to-character mapping) from counts of pre-tokenized chunks.
 *
 * <p>Training is split so that it scales: the corpus is cut into chunks by {@link #chunks} (in a
 * Spark job, counting chunks over every document), and only the map {@code chunk → count} reaches
 * the driver, where {@link #train} learns the merges. Merges never cross a chunk boundary.
 *
 * <p>The pre-tokenizer is GPT-2's with three changes: a run of Han characters is a chunk of its
 * own (Chinese has no spaces, and a Han run stuck to Latin letters, as in cl100k, would waste
 * merges on mixed strings), combining marks stay with their letters (GPT-2 splits Devanagari and
 * accented text at every mark), and digits are grouped by at most three (as cl100k does). Each
 * chunk may start with one space. The pattern is written so that Java's regex engine and the
 * Oniguruma engine inside Hugging Face {@code tokenizers} cut text identically: no {@code \s}
 * (ASCII-only in Java, engine-dependent elsewhere), no script names, literal code point ranges
 * for Han; {@link BpeModel#toTokenizerJson} writes it as a {@code Split} pre-tokenizer followed by
 * {@code ByteLevel(use_regex=false)}.
 *
 * <p>Merge learning keeps pair counts and, per pair, the chunks that contain it; each merge
 * updates only the chunks holding the merged pair and pushes the pairs whose count changed onto a
 * priority queue (stale entries are skipped when popped), instead of recounting every pair.
 * Ties between equal counts go to the smaller (left id, right id), so training is deterministic.
 */
public final class BpeTrainer {
  /** Vocabulary size including the 256 bytes and the special tokens. */
  public static final int DEFAULT_VOCAB_SIZE = 32_000;
  public static final List<String> DEFAULT_SPECIAL_TOKENS = List.of("<|endoftext|>");
  /** Pairs seen fewer times than this are never merged. */
  public static final long DEFAULT_MIN_FREQUENCY = 2;

  private static final String WS_CHARS = "\t\n\u000B\f\r\u0085\\p{Z}";
  private static final String HAN = "[" + range(0x3400, 0x4DBF) + range(0x4E00, 0x9FFF) + range(0xF900, 0xFAFF)
      + range(0x20000, 0x2FA1F) + range(0x30000, 0x323AF) + "]";

  /**
   * The pre-tokenizer regex: English contractions; a Han run; a run of other letters and marks;
   * one to three digits; a run of other non-space characters (each of these optionally led by
   * one space); whitespace ending in line breaks (as cl100k: blank lines become one chunk);
   * whitespace not followed by a non-space (so the last space joins the next word);
   * remaining whitespace. The alternatives cover every character.
   */
  public static final String PATTERN = "'(?:[sdmt]|ll|ve|re)"
      + "| ?" + HAN + "+"
      + "| ?(?:(?!" + HAN + ")[\\p{L}\\p{M}])+"
      + "| ?\\p{N}{1,3}"
      + "| ?[^" + WS_CHARS + "\\p{L}\\p{M}\\p{N}]+"
      + "|[" + WS_CHARS + "]*[\r\n]+"
      + "|[" + WS_CHARS + "]+(?![^" + WS_CHARS + "])"
      + "|[" + WS_CHARS + "]+";

  private static final Pattern CHUNK = Pattern.compile(PATTERN);

  private final int vocabSize;
  private final List<String> specialTokens;
  private final long minFrequency;

  public BpeTrainer(int vocabSize, List<String> specialTokens, long minFrequency) {
    if (vocabSize < 256 + specialTokens.size()) {
      throw new IllegalArgumentException("vocab size " + vocabSize + " is below 256 bytes + " + specialTokens.size() + " special tokens");
    }
    if (specialTokens.stream().distinct().count() != specialTokens.size() || specialTokens.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("special tokens must be distinct and non-empty: " + specialTokens);
    }
    this.vocabSize = vocabSize;
    this.specialTokens = List.copyOf(specialTokens);
    this.minFrequency = Math.max(1, minFrequency);
  }

  public BpeTrainer(int vocabSize, List<String> specialTokens) {
    this(vocabSize, specialTokens, DEFAULT_MIN_FREQUENCY);
  }

  private static String range(int lo, int hi) {
    return Character.toString(lo) + "-" + Character.toString(hi);
  }

  /** The chunks of {@code text}, in order; their concatenation is {@code text}. */
  public static List<String> chunks(String text) {
    List<String> out = new ArrayList<>();
    forEachChunk(text, out::add);
    return out;
  }

  /** Calls {@code sink} with each chunk of {@code text}, in order. */
  public static void forEachChunk(String text, Consumer<String> sink) {
    Matcher m = CHUNK.matcher(text);
    int end = 0;
    while (m.find()) {
      if (m.start() != end) sink.accept(text.substring(end, m.start())); // unreachable: the pattern covers all text
      sink.accept(m.group());
      end = m.end();
    }
    if (end < text.length()) sink.accept(text.substring(end));
  }

  /** Chunk counts over some texts (for small corpora and tests; Spark counts the same way). */
  public static Map<String, Long> countChunks(Iterable<String> texts) {
    Map<String, Long> counts = new HashMap<>();
    for (String t : texts) forEachChunk(t, c -> counts.merge(c, 1L, Long::sum));
    return counts;
  }

  private static long pair(int a, int b) {
    return ((long) a << 32) | (b & 0xFFFFFFFFL);
  }

  private record Candidate(long count, long pair) {}

  /** Learns merges until the vocabulary (bytes + merges + specials) has {@code vocabSize} tokens. */
  public BpeModel train(Map<String, Long> chunkCounts) {
    // Sorted input: the result does not depend on the map's iteration order.
    TreeMap<String, Long> sorted = new TreeMap<>(chunkCounts);
    int n = sorted.size();
    int[][] words = new int[n][];
    int[] lens = new int[n];
    long[] freq = new long[n];
    int w = 0;
    for (Map.Entry<String, Long> e : sorted.entrySet()) {
      if (e.getValue() == null || e.getValue() <= 0) continue;
      byte[] b = e.getKey().getBytes(StandardCharsets.UTF_8);
      int[] s = new int[b.length];
      for (int i = 0; i < b.length; i++) s[i] = b[i] & 0xFF;
      words[w] = s;
      lens[w] = s.length;
      freq[w] = e.getValue();
      w++;
    }
    n = w;

    List<byte[]> tokens = new ArrayList<>();
    Map<String, Integer> idOf = new HashMap<>();
    for (int b = 0; b < 256; b++) {
      tokens.add(new byte[] {(byte) b});
      idOf.put(ByteLevel.encode(new byte[] {(byte) b}), b);
    }
    List<int[]> merges = new ArrayList<>();

    LongLongMap counts = new LongLongMap(1 << 16);
    LongLongMap whereSlot = new LongLongMap(1 << 16);
    List<int[]> where = new ArrayList<>();
    List<Integer> whereSize = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] s = words[i];
      for (int j = 0; j + 1 < lens[i]; j++) {
        long p = pair(s[j], s[j + 1]);
        counts.add(p, freq[i]);
        addWhere(whereSlot, where, whereSize, p, i);
      }
    }
    PriorityQueue<Candidate> queue = new PriorityQueue<>((x, y) -> x.count != y.count ? Long.compare(y.count, x.count) : Long.compare(x.pair, y.pair));
    counts.forEach((p, c) -> {
      if (c > 0) queue.add(new Candidate(c, p));
      return 0;
    });

    int target = vocabSize - specialTokens.size();
    int[] stamp = new int[n];
    int round = 0;
    Touched touched = new Touched();
    int[] at = new int[16];
    while (tokens.size() < target && !queue.isEmpty()) {
      Candidate best = queue.poll();
      long current = counts.get(best.pair, 0);
      if (current != best.count) continue; // stale
      if (current < minFrequency) break;
      int a = (int) (best.pair >>> 32);
      int b = (int) best.pair;
      byte[] ab = concat(tokens.get(a), tokens.get(b));
      String abStr = ByteLevel.encode(ab);
      Integer existing = idOf.get(abStr);
      int z;
      if (existing != null) {
        z = existing; // a different pair already spelled these bytes: reuse the id, as HF's trainer does
      } else {
        z = tokens.size();
        tokens.add(ab);
        idOf.put(abStr, z);
      }
      merges.add(new int[] {a, b});
      round++;
      touched.n = 0;
      int slot = (int) whereSlot.get(best.pair, -1);
      int[] list = where.get(slot);
      int listSize = whereSize.get(slot);
      for (int k = 0; k < listSize; k++) {
        int wi = list[k];
        if (stamp[wi] == round) continue;
        stamp[wi] = round;
        int[] s = words[wi];
        int len = lens[wi];
        int occ = 0;
        for (int j = 0; j + 1 < len; j++) {
          if (s[j] == a && s[j + 1] == b) {
            if (occ == at.length) at = Arrays.copyOf(at, occ * 2);
            at[occ++] = j++;
          }
        }
        if (occ == 0) continue; // a stale entry: an earlier merge removed the pair from this chunk
        long f = freq[wi];
        // Only the pairs around each occurrence change: (left, a), (a, b), (b, right) go;
        // (left', z), (z, right) come, where left' is z when the previous occurrence ends just before.
        for (int q = 0; q < occ; q++) {
          int j = at[q];
          boolean mergedLeft = q > 0 && at[q - 1] == j - 2;
          boolean mergedRight = q + 1 < occ && at[q + 1] == j + 2;
          touched.add(counts, pair(a, b), -f);
          if (j > 0) {
            touched.add(counts, pair(s[j - 1], a), -f);
            long p = pair(mergedLeft ? z : s[j - 1], z);
            touched.add(counts, p, f);
            addWhere(whereSlot, where, whereSize, p, wi);
          }
          if (j + 2 < len && !mergedRight) {
            touched.add(counts, pair(b, s[j + 2]), -f);
            long p = pair(z, s[j + 2]);
            touched.add(counts, p, f);
            addWhere(whereSlot, where, whereSize, p, wi);
          }
        }
        int o = 0;
        for (int j = 0, q = 0; j < len; ) {
          if (q < occ && at[q] == j) {
            s[o++] = z;
            j += 2;
            q++;
          } else {
            s[o++] = s[j++];
          }
        }
        lens[wi] = o;
      }
      // Drop the merged pair's chunk list: the pair never comes back (merges only join symbols).
      where.set(slot, new int[0]);
      whereSize.set(slot, 0);
      Arrays.sort(touched.pairs, 0, touched.n);
      for (int k = 0; k < touched.n; k++) {
        long p = touched.pairs[k];
        if (k > 0 && p == touched.pairs[k - 1]) continue;
        long c = counts.get(p, 0);
        if (c > 0) queue.add(new Candidate(c, p));
      }
    }
    return new BpeModel(tokens, merges, specialTokens);
  }

  /** The pairs whose count changed during one merge (with repeats). */
  private static final class Touched {
    long[] pairs = new long[64];
    int n;

    void add(LongLongMap counts, long p, long delta) {
      counts.add(p, delta);
      if (n == pairs.length) pairs = Arrays.copyOf(pairs, n * 2);
      pairs[n++] = p;
    }
  }

  private static void addWhere(LongLongMap whereSlot, List<int[]> where, List<Integer> whereSize, long p, int word) {
    int slot = (int) whereSlot.get(p, -1);
    if (slot < 0) {
      slot = where.size();
      whereSlot.put(p, slot);
      where.add(new int[2]);
      whereSize.add(0);
    }
    int[] list = where.get(slot);
    int size = whereSize.get(slot);
    if (size > 0 && list[size - 1] == word) return;
    if (size == list.length) {
      list = Arrays.copyOf(list, size * 2);
      where.set(slot, list);
    }
    list[size] = word;
    whereSize.set(slot, size + 1);
  }

  private static byte[] concat(byte[] x, byte[] y) {
    byte[] r = Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, r, x.length, y.length);
    return r;
  }
}
