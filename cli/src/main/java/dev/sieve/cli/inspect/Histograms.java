package dev.sieve.cli.inspect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers for the bucketed counts the report draws. */
public final class Histograms {
  private Histograms() {}

  /**
   * The {@code keep} languages with the most documents (most first), the rest summed as
   * {@code other} (last); each value is the count per bucket.
   */
  public static Map<String, List<Long>> topLanguages(Map<String, long[]> perLanguage, int keep) {
    List<Map.Entry<String, long[]>> entries = new ArrayList<>(perLanguage.entrySet());
    entries.sort((a, b) -> {
      int c = Long.compare(Arrays.stream(b.getValue()).sum(), Arrays.stream(a.getValue()).sum());
      return c != 0 ? c : a.getKey().compareTo(b.getKey());
    });
    Map<String, List<Long>> out = new LinkedHashMap<>();
    long[] other = null;
    for (int i = 0; i < entries.size(); i++) {
      long[] v = entries.get(i).getValue();
      if (i < keep || entries.size() == keep + 1) {
        out.put(entries.get(i).getKey(), Arrays.stream(v).boxed().toList());
      } else {
        if (other == null) other = new long[v.length];
        for (int b = 0; b < v.length; b++) other[b] += v[b];
      }
    }
    if (other != null) out.merge("other", Arrays.stream(other).boxed().toList(), (a, b) -> {
      List<Long> s = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) s.add(a.get(i) + b.get(i));
      return s;
    });
    return out;
  }

  /** Label of bucket {@code i} of lower bounds {@code bounds}: {@code 100–199}, {@code ≥ 50k}. */
  public static String bucketLabel(List<Long> bounds, int i) {
    long lo = bounds.get(i);
    if (i == bounds.size() - 1) return "≥" + compact(lo);
    return compact(lo) + "–" + compact(bounds.get(i + 1));
  }

  /** 1200 → 1.2k, 50000 → 50k, 3400000 → 3.4M. */
  public static String compact(double v) {
    double a = Math.abs(v);
    if (a >= 1e9) return trim(v / 1e9) + "G";
    if (a >= 1e6) return trim(v / 1e6) + "M";
    if (a >= 1e3) return trim(v / 1e3) + "k";
    return trim(v);
  }

  private static String trim(double v) {
    if (Math.abs(v - Math.rint(v)) < 1e-9) return String.valueOf((long) Math.rint(v));
    String s = String.format(java.util.Locale.ROOT, Math.abs(v) >= 10 ? "%.0f" : "%.1f", v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }
}
