package dev.sieve.dedup.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.dedup.Jaccard;
import dev.sieve.dedup.Shingler;
import dev.sieve.generate.GroundTruth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scores a dedup result against (a) the generator's planted duplicates, per similarity level, and
 * (b) an exact all-pairs Jaccard computation over the same texts (prefix filtering, Bayardo et
 * al., "Scaling Up All Pairs Similarity Search", WWW 2007: exact, without comparing every pair).
 *
 * <p>Recall of a pair: both documents ended in the same cluster. Precision: a removed document is
 * a correct removal when its true Jaccard with some member of its cluster reaches the threshold.
 */
final class DedupEvaluation {
  /** Planted pairs at one level: how many, how many found. */
  record Level(String level, int pairs, int found) {
    double recall() { return pairs == 0 ? Double.NaN : found / (double) pairs; }
  }

  record Scores(Map<String, Level> byLevel, int plantedAtThreshold, int plantedFound, int removed, int justified, int allPairs,
                int allPairsFound) {
    double plantedRecall() { return plantedFound / (double) plantedAtThreshold; }
    double precision() { return removed == 0 ? 1.0 : justified / (double) removed; }
    double allPairsRecall() { return allPairs == 0 ? 1.0 : allPairsFound / (double) allPairs; }

    String table() {
      StringBuilder s = new StringBuilder("level        pairs  found  recall\n");
      byLevel.forEach((k, v) -> s.append(String.format("%-11s %6d %6d  %.3f%n", k, v.pairs(), v.found(), v.recall())));
      s.append(String.format("planted pairs at or above the threshold: %d, found %d, recall %.3f%n", plantedAtThreshold, plantedFound, plantedRecall()));
      s.append(String.format("removed %d, justified by a true Jaccard >= threshold %d, precision %.3f%n", removed, justified, precision()));
      if (allPairs > 0) {
        s.append(String.format("exact all-pairs Jaccard >= threshold: %d pairs, found %d, recall %.3f", allPairs, allPairsFound, allPairsRecall()));
      }
      return s.toString().strip();
    }
  }

  private DedupEvaluation() {}

  /**
   * @param texts doc_id → text of every document deduped
   * @param keys ground-truth key → doc_id
   * @param cluster doc_id → cluster id, for documents in a cluster
   * @param removed doc ids not kept
   */
  static Scores score(GroundTruth truth, Map<String, String> texts, Map<String, String> keys, Map<String, String> cluster,
                      Set<String> removed, double threshold, boolean allPairs) {
    Map<String, Level> byLevel = new TreeMap<>();
    int atThreshold = 0, atThresholdFound = 0;
    for (String type : List.of("exact_duplicate", "near_duplicate")) {
      for (JsonNode n : truth.ofType(type)) {
        String a = keys.get(n.get("key").asText());
        String b = keys.get(n.get("of").asText());
        if (a == null || b == null) continue;
        String level = type.equals("exact_duplicate") ? "exact" : "near " + n.get("target_jaccard").asText();
        boolean found = cluster.get(a) != null && cluster.get(a).equals(cluster.get(b));
        Level l = byLevel.getOrDefault(level, new Level(level, 0, 0));
        byLevel.put(level, new Level(level, l.pairs() + 1, l.found() + (found ? 1 : 0)));
        double j = type.equals("exact_duplicate") ? 1.0 : n.get("jaccard").asDouble();
        if (j >= threshold) {
          atThreshold++;
          if (found) atThresholdFound++;
        }
      }
    }
    Shingler shingler = new Shingler(5, 5);
    Map<String, long[]> shingles = new HashMap<>();
    for (Map.Entry<String, String> e : texts.entrySet()) shingles.put(e.getKey(), shingler.shingles(e.getValue()));
    Map<String, List<String>> members = new HashMap<>();
    cluster.forEach((doc, c) -> members.computeIfAbsent(c, k -> new ArrayList<>()).add(doc));
    int justified = 0;
    for (String d : removed) {
      for (String m : members.getOrDefault(cluster.get(d), List.of())) {
        if (!m.equals(d) && Jaccard.of(shingles.get(d), shingles.get(m)) >= threshold) {
          justified++;
          break;
        }
      }
    }
    int pairs = 0, pairsFound = 0;
    if (allPairs) {
      for (String[] p : allPairs(shingles, threshold)) {
        pairs++;
        if (cluster.get(p[0]) != null && cluster.get(p[0]).equals(cluster.get(p[1]))) pairsFound++;
      }
    }
    return new Scores(byLevel, atThreshold, atThresholdFound, removed.size(), justified, pairs, pairsFound);
  }

  /** Every pair with Jaccard ≥ threshold, exactly, by prefix filtering over shingles ordered rarest first. */
  static List<String[]> allPairs(Map<String, long[]> shingles, double threshold) {
    // Shingle ranks, rarest first (ties by value), on primitive arrays: a test corpus has millions of shingles.
    int total = 0;
    for (long[] s : shingles.values()) total += s.length;
    long[] all = new long[total];
    int n = 0;
    for (long[] s : shingles.values()) {
      System.arraycopy(s, 0, all, n, s.length);
      n += s.length;
    }
    Arrays.sort(all);
    int distinct = 0;
    int[] count = new int[total];
    for (int k = 0; k < total; k++) {
      if (k == 0 || all[k] != all[k - 1]) all[distinct++] = all[k];
      count[distinct - 1]++;
    }
    long[] values = Arrays.copyOf(all, distinct);
    long[] byFrequency = new long[distinct];
    for (int k = 0; k < distinct; k++) byFrequency[k] = ((long) count[k] << 32) | k;
    Arrays.sort(byFrequency);
    int[] rankOf = new int[distinct];
    for (int r = 0; r < distinct; r++) rankOf[(int) byFrequency[r]] = r;
    List<String> ids = new ArrayList<>(shingles.keySet());
    ids.sort(Comparator.<String>comparingInt(id -> shingles.get(id).length).thenComparing(Comparator.naturalOrder()));
    int[][] ranked = new int[ids.size()][];
    for (int i = 0; i < ids.size(); i++) {
      long[] s = shingles.get(ids.get(i));
      int[] r = new int[s.length];
      for (int k = 0; k < s.length; k++) r[k] = rankOf[Arrays.binarySearch(values, s[k])];
      Arrays.sort(r);
      ranked[i] = r;
    }
    Map<Integer, List<Integer>> index = new HashMap<>();
    List<String[]> out = new ArrayList<>();
    for (int i = 0; i < ranked.length; i++) {
      int[] x = ranked[i];
      if (x.length == 0) continue;
      int prefix = x.length - (int) Math.ceil(threshold * x.length - 1e-9) + 1;
      Set<Integer> seen = new HashSet<>();
      for (int k = 0; k < Math.min(prefix, x.length); k++) {
        for (int j : index.getOrDefault(x[k], List.of())) {
          if (ranked[j].length < threshold * x.length - 1e-9 || !seen.add(j)) continue;
          if (jaccard(x, ranked[j]) >= threshold) out.add(new String[] {ids.get(i), ids.get(j)});
        }
      }
      for (int k = 0; k < Math.min(prefix, x.length); k++) index.computeIfAbsent(x[k], t -> new ArrayList<>()).add(i);
    }
    return out;
  }

  private static double jaccard(int[] a, int[] b) {
    int i = 0, j = 0, inter = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) { inter++; i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return inter / (double) (a.length + b.length - inter);
  }
}
