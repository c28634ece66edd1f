package dev.sieve.dedup.bench;

import dev.sieve.core.bench.CpuClock;
import dev.sieve.dedup.LineHashes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * {@code bench/lines}: the per-document work of line dedup on one thread — counting (each
 * document's distinct normalised line hashes, {@link LineHashes#distinct}) and removal
 * ({@link LineHashes#removeLines} against the boilerplate set) — over synthetic web pages (sites
 * with shared header and footer lines, English and Chinese bodies), against a bare loop that
 * splits every document into lines and hashes each with {@code String.hashCode} (the least any
 * line dedup must do), in the same run. Medians of 5 passes. The Spark side (counts MERGE, joins)
 * reads only the new documents' lines: {@code LineDedupTest} checks that a 100-document increment
 * counts only its own lines. Args: documents.
 */
public final class LinesBench {
  private LinesBench() {}

  private static final String[] EN = ("river mountain garden window paper coffee morning evening station market harbour bridge "
      + "teacher student doctor engine silver winter summer forest meadow castle village letter message number school city "
      + "the a of and to in is was for on with as by at from that this it be are were").split(" ");
  private static final String ZH = "北京时间昨天晚上国家统计局发布了最新的经济数据显示今年前三个季度国内生产总值同比增长其中消费对经济增长的贡献率明显提高专家认为";

  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    Random rnd = new Random(11);
    int sites = Math.max(1, n / 200);
    List<List<String>> chrome = new ArrayList<>();
    for (int s = 0; s < sites; s++) {
      chrome.add(List.of("Home | News | About site " + s, "Share this on Facebook", "Subscribe to the newsletter of site " + s,
          "© 2024 Site " + s + ". All rights reserved.", "Privacy policy | Terms of use | Cookie settings"));
    }
    List<String> docs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<String> c = chrome.get(rnd.nextInt(sites));
      StringBuilder b = new StringBuilder(c.get(0)).append('\n');
      boolean zh = i % 2 == 1;
      int lines = 8 + rnd.nextInt(16);
      for (int l = 0; l < lines; l++) {
        if (zh) {
          for (int k = 0, len = 30 + rnd.nextInt(60); k < len; k++) b.append(ZH.charAt(rnd.nextInt(ZH.length())));
          b.append('。');
        } else {
          for (int k = 0, len = 8 + rnd.nextInt(25); k < len; k++) b.append(k == 0 ? "" : " ").append(EN[rnd.nextInt(EN.length)]);
          b.append('.');
        }
        b.append('\n');
      }
      for (int k = 1; k < c.size(); k++) b.append(c.get(k)).append(k + 1 < c.size() ? "\n" : "");
      docs.add(b.toString());
    }
    long bytes = 0;
    for (String d : docs) bytes += d.getBytes(StandardCharsets.UTF_8).length;
    double mb = bytes / 1e6;

    // The boilerplate set as the Spark phase would find it: hashes on at least 23 documents.
    Map<Long, Integer> counts = new HashMap<>();
    for (String d : docs) for (long h : LineHashes.distinct(d)) counts.merge(h, 1, Integer::sum);
    Set<Long> boiler = new HashSet<>();
    counts.forEach((h, c) -> {
      if (c >= 23) boiler.add(h);
    });
    long[] removedChars = new long[1];

    double bare = median(() -> {
      long sink = 0;
      for (String d : docs) for (String line : d.split("\n")) sink += line.strip().toLowerCase().hashCode();
      return sink;
    });
    double count = median(() -> {
      long sink = 0;
      for (String d : docs) sink += LineHashes.distinct(d).length;
      return sink;
    });
    double remove = median(() -> {
      long chars = 0;
      for (String d : docs) chars += LineHashes.removeLines(d, boiler::contains).charsRemoved();
      removedChars[0] = chars;
      return chars;
    });
    long chars = 0;
    for (String d : docs) chars += d.length();
    double both = count + remove;
    System.out.printf("documents: %,d (%.1f MB, %d sites); boilerplate hashes %d, characters removed %.1f%%%n", n, mb, sites, boiler.size(),
        100.0 * removedChars[0] / chars);
    System.out.printf("bare split+hash: %.2f s; count: %.2f s; remove: %.2f s (medians of 5, one thread)%n", bare, count, remove);
    System.out.printf("BENCH lines mb_per_s_per_core=%.1f count_mb_per_s_per_core=%.1f remove_mb_per_s_per_core=%.1f "
            + "bare_mb_per_s_per_core=%.1f ratio_vs_bare=%.2f docs=%d mb=%.1f%n",
        mb / both, mb / count, mb / remove, mb / bare, bare / both, n, mb);
  }

  /** Median wall time in seconds of 5 runs (after one warm-up). */
  private static double median(LongSupplier work) {
    long sink = work.getAsLong();
    double[] t = new double[5];
    for (int i = 0; i < t.length; i++) {
      long t0 = CpuClock.nanos();
      sink += work.getAsLong();
      t[i] = (CpuClock.nanos() - t0) / 1e9;
    }
    if (sink == 42) System.out.print("");
    Arrays.sort(t);
    return t[t.length / 2];
  }
}
