package dev.sieve.decontaminate.bench;

import dev.sieve.core.bench.CpuClock;
import dev.sieve.decontaminate.BenchmarkIndex;
import dev.sieve.decontaminate.Decontaminator;
import dev.sieve.decontaminate.Tokens;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench/decontaminate}: the {@link Decontaminator} with a 100,000-item benchmark set
 * (MMLU-shaped: a 25–60 word question and four 2–8 word choices; a fifth of the items Chinese, C-Eval
 * shaped), one thread, over generated English and Chinese documents (1% carrying a planted item),
 * against two baselines measured in the same run on the same text:
 *
 * <ul>
 *   <li>{@code tokenize}: only {@link Tokens#tokenize} (NFKC, lower case, words and CJK
 *       characters): the least any scanner with this normalisation does;
 *   <li>{@code naive}: the textbook way: {@code Normalizer.normalize(NFKC)}, lower case, a regex for
 *       words and Han characters, and every 13-gram joined into a String and looked up in a
 *       {@code HashSet<String>} of the benchmark n-grams.
 * </ul>
 *
 * Median of 3 passes after a warm-up pass. Args: MB of documents (default 30), benchmark items
 * (default 100000). Prints {@code BENCH decontaminate ...} last.
 */
public final class DecontaminateBench {
  private static final Pattern UNIT = Pattern.compile("[\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}]|[\\p{L}\\p{N}\\p{M}']+");

  private DecontaminateBench() {}

  static String[] vocabulary(Random r, int n) {
    String[] v = new String[n];
    String letters = "etaoinshrdlcumwfgypbvkjxqz";
    for (int i = 0; i < n; i++) {
      int len = 2 + Math.min(10, (int) Math.abs(r.nextGaussian() * 3 + 3));
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < len; j++) sb.append(letters.charAt((int) Math.min(25, Math.abs(r.nextGaussian() * 7))));
      v[i] = sb.toString();
    }
    return v;
  }

  /** A Zipf-ish draw: index ~ 1/rank. */
  static int zipf(Random r, int n) {
    return (int) Math.min(n - 1, Math.floor(Math.exp(r.nextDouble() * Math.log(n))) - 1);
  }

  static String english(Random r, String[] vocab, int words) {
    StringBuilder sb = new StringBuilder();
    boolean cap = true;
    for (int i = 0; i < words; i++) {
      String w = vocab[zipf(r, vocab.length)];
      if (cap) w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
      sb.append(w);
      cap = false;
      int p = r.nextInt(14);
      if (p == 0) sb.append(',');
      else if (p == 1 || i == words - 1) {
        sb.append('.');
        cap = true;
      }
      sb.append(' ');
    }
    return sb.toString();
  }

  static String chinese(Random r, int chars) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < chars; i++) {
      sb.append((char) (0x4E00 + zipf(r, 3500) * 5 % 20000));
      int p = r.nextInt(16);
      if (p == 0) sb.append('，');
      else if (p == 1 || i == chars - 1) sb.append('。');
    }
    return sb.toString();
  }

  public static void main(String[] args) {
    double targetMb = args.length > 0 ? Double.parseDouble(args[0]) : 30;
    int itemCount = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    Random r = new Random(42);
    String[] vocab = vocabulary(r, 50_000);
    BenchmarkIndex.Builder b = BenchmarkIndex.builder(13, 13, 8).benchmark("mmlu_like");
    List<List<String>> items = new ArrayList<>();
    for (int i = 0; i < itemCount; i++) {
      if (i == itemCount * 4 / 5) b.benchmark("ceval_like");
      List<String> texts = new ArrayList<>();
      boolean zh = i >= itemCount * 4 / 5;
      texts.add(zh ? chinese(r, 30 + r.nextInt(60)) : english(r, vocab, 25 + r.nextInt(36)));
      for (int c = 0; c < 4; c++) texts.add(zh ? chinese(r, 2 + r.nextInt(10)) : english(r, vocab, 2 + r.nextInt(7)));
      items.add(texts);
      b.add(Integer.toString(i), texts);
    }
    long t0 = System.nanoTime();
    BenchmarkIndex index = b.build();
    System.out.printf("index: %,d items, %,d n-grams, %.0f MB of tables, built in %.1f s%n", itemCount, index.ngramCount(), index.bytes() / 1e6,
        (System.nanoTime() - t0) / 1e9);
    // The naive set: every 13-unit n-gram as a String.
    Set<String> naiveSet = new HashSet<>();
    for (List<String> texts : items) for (String t : texts) naiveNgrams(t, naiveSet, null);
    System.out.printf("naive set: %,d n-gram strings%n", naiveSet.size());

    List<String> docs = new ArrayList<>();
    long bytes = 0;
    int planted = 0;
    while (bytes < targetMb * 1e6) {
      boolean zh = r.nextInt(10) < 3;
      String text = zh ? chinese(r, 300 + r.nextInt(1500)) : english(r, vocab, 200 + r.nextInt(800));
      if (r.nextInt(100) == 0) {
        List<String> it = items.get(r.nextInt(items.size()));
        int cut = text.length() / 2;
        text = text.substring(0, cut) + " " + it.get(0) + " " + text.substring(cut);
        planted++;
      }
      docs.add(text);
      bytes += text.getBytes(StandardCharsets.UTF_8).length;
    }
    double mb = bytes / 1e6;
    System.out.printf("documents: %,d (%.1f MB of UTF-8 text, %d with a planted item)%n", docs.size(), mb, planted);

    Decontaminator d = new Decontaminator(index);
    Tokens tokens = new Tokens();
    double[] scan = new double[3];
    double[] tok = new double[3];
    double[] naive = new double[3];
    long found = 0;
    long naiveFound = 0;
    long units = 0;
    for (int pass = -1; pass < 3; pass++) {
      long s0 = CpuClock.nanos();
      found = 0;
      for (String t : docs) if (d.scan(t).contaminated()) found++;
      double s = (CpuClock.nanos() - s0) / 1e9;
      s0 = CpuClock.nanos();
      units = 0;
      for (String t : docs) units += tokens.tokenize(t).size();
      double k = (CpuClock.nanos() - s0) / 1e9;
      s0 = CpuClock.nanos();
      naiveFound = 0;
      for (String t : docs) if (naiveNgrams(t, null, naiveSet)) naiveFound++;
      double n = (CpuClock.nanos() - s0) / 1e9;
      if (pass >= 0) {
        scan[pass] = s;
        tok[pass] = k;
        naive[pass] = n;
        System.out.printf("pass %d: scan %.2f s (%d contaminated), tokenize only %.2f s (%,d units), naive HashSet<String> %.2f s (%d contaminated)%n",
            pass + 1, s, found, k, units, n, naiveFound);
      }
    }
    double scanMbs = mb / median(scan);
    double tokMbs = mb / median(tok);
    double naiveMbs = mb / median(naive);
    System.out.printf("scan %.1f MB/s per core, tokenize only %.1f MB/s, naive %.1f MB/s%n", scanMbs, tokMbs, naiveMbs);
    System.out.printf("BENCH decontaminate mb_per_s_per_core=%.1f tokenize_only_mb_per_s=%.1f naive_hashset_mb_per_s=%.1f "
            + "ratio_vs_naive=%.2f ratio_vs_tokenize=%.2f items=%d ngrams=%d planted=%d found=%d naive_found=%d%n", scanMbs, tokMbs, naiveMbs,
        scanMbs / naiveMbs, scanMbs / tokMbs, itemCount, index.ngramCount(), planted, found, naiveFound);
  }

  /** Adds {@code text}'s 13-unit n-grams to {@code add}, or says whether any is in {@code lookup}. */
  static boolean naiveNgrams(String text, Set<String> add, Set<String> lookup) {
    String norm = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase();
    List<String> u = new ArrayList<>();
    Matcher m = UNIT.matcher(norm);
    while (m.find()) u.add(m.group().replace("'", ""));
    for (int i = 0; i + 13 <= u.size(); i++) {
      String g = String.join(" ", u.subList(i, i + 13));
      if (add != null) add.add(g);
      else if (lookup.contains(g)) return true;
    }
    return false;
  }

  static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
