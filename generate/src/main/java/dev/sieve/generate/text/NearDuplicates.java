package dev.sieve.generate.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Makes a near-duplicate of a text at a target Jaccard similarity (on {@link Shingles}) by
 * replacing tokens, one random position at a time, with other tokens of the same language, until
 * the similarity reaches the target. The text's layout (line breaks, punctuation) is kept.
 *
 * <p>The similarity is kept up to date incrementally: replacing one token changes only the
 * {@value Shingles#K} shingles that cover it, so each step costs O(K), not O(length).
 */
public final class NearDuplicates {
  private NearDuplicates() {}

  /** The variant and its measured similarity to the original. */
  public record Variant(String text, double jaccard) {}

  /**
   * @param original the text to copy
   * @param target Jaccard similarity to reach, in (0, 1)
   * @param replacements tokens to draw replacements from (same language)
   */
  public static Variant make(String original, double target, List<String> replacements, SplittableRandom random) {
    if (!(target > 0 && target < 1)) throw new IllegalArgumentException("target must be in (0, 1): " + target);
    if (replacements.isEmpty()) throw new IllegalArgumentException("no replacement tokens");
    List<Shingles.Token> tokens = Shingles.tokens(original);
    List<String> words = new ArrayList<>(Shingles.texts(tokens));
    if (words.size() < Shingles.K) throw new IllegalArgumentException("text too short for a near-duplicate: " + words.size() + " tokens");
    long[] shingles = Shingles.shingles(words);
    Set<Long> base = new HashSet<>();
    for (long x : shingles) base.add(x);
    ShingleCounts variant = new ShingleCounts(base);
    for (long x : shingles) variant.add(x);

    int[] order = new int[words.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i]; order[i] = order[j]; order[j] = t;
    }
    double jac = 1.0;
    int lastPos = -1;
    String lastOld = null;
    double previousJac = 1.0;
    for (int step = 0; step < order.length && jac > target; step++) {
      int pos = order[step];
      String current = words.get(pos);
      String r = current;
      for (int tries = 0; tries < 8 && r.equals(current); tries++) {
        r = replacements.get(random.nextInt(replacements.size()));
      }
      previousJac = jac;
      lastPos = pos;
      lastOld = current;
      replace(words, shingles, variant, pos, r);
      jac = variant.jaccard();
    }
    if (lastPos >= 0 && Math.abs(previousJac - target) < Math.abs(jac - target)) {
      replace(words, shingles, variant, lastPos, lastOld);
      jac = variant.jaccard();
    }
    return new Variant(rebuild(original, tokens, words), jac);
  }

  /** Replaces token {@code pos} and updates the shingles that cover it. */
  private static void replace(List<String> words, long[] shingles, ShingleCounts counts, int pos, String token) {
    int from = Math.max(0, pos - Shingles.K + 1);
    int to = Math.min(shingles.length - 1, pos);
    for (int i = from; i <= to; i++) counts.remove(shingles[i]);
    words.set(pos, token);
    for (int i = from; i <= to; i++) {
      shingles[i] = Shingles.shingleAt(words, i);
      counts.add(shingles[i]);
    }
  }

  /** A multiset of shingles with its distinct count and its overlap with a base set. */
  private static final class ShingleCounts {
    private final Set<Long> base;
    private final Map<Long, Integer> counts = new HashMap<>();
    private int intersection;

    ShingleCounts(Set<Long> base) {
      this.base = base;
    }

    void add(long h) {
      if (counts.merge(h, 1, Integer::sum) == 1 && base.contains(h)) intersection++;
    }

    void remove(long h) {
      int c = counts.get(h);
      if (c == 1) {
        counts.remove(h);
        if (base.contains(h)) intersection--;
      } else {
        counts.put(h, c - 1);
      }
    }

    double jaccard() {
      return intersection / (double) (base.size() + counts.size() - intersection);
    }
  }

  private static String rebuild(String original, List<Shingles.Token> tokens, List<String> words) {
    StringBuilder sb = new StringBuilder(original.length() + 16);
    int last = 0;
    for (int i = 0; i < tokens.size(); i++) {
      Shingles.Token t = tokens.get(i);
      sb.append(original, last, t.start());
      String w = words.get(i);
      if (w.equals(t.text())) {
        sb.append(original, t.start(), t.end());
      } else {
        String orig = original.substring(t.start(), t.end());
        if (!orig.isEmpty() && Character.isUpperCase(orig.codePointAt(0)) && !w.isEmpty()) {
          int cp = w.codePointAt(0);
          w = new String(Character.toChars(Character.toUpperCase(cp))) + w.substring(Character.charCount(cp));
        }
        sb.append(w);
      }
      last = t.end();
    }
    sb.append(original, last, original.length());
    return sb.toString();
  }
}
