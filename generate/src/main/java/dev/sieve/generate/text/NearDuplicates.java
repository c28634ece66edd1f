package dev.sieve.generate.text;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Makes a near-duplicate of a text at a target Jaccard similarity (on {@link Shingles}) by
 * replacing tokens, one random position at a time, with other tokens of the same language, until
 * the similarity reaches the target. The text's layout (line breaks, punctuation) is kept.
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
    long[] base = Shingles.shingles(words);
    Set<Long> baseSet = new HashSet<>();
    for (long x : base) baseSet.add(x);

    int[] order = new int[words.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i]; order[i] = order[j]; order[j] = t;
    }
    double jac = 1.0;
    String[] previous = null;
    double previousJac = 1.0;
    for (int step = 0; step < order.length && jac > target; step++) {
      previous = words.toArray(new String[0]);
      previousJac = jac;
      int pos = order[step];
      String current = words.get(pos);
      String r = current;
      for (int tries = 0; tries < 8 && r.equals(current); tries++) {
        r = replacements.get(random.nextInt(replacements.size()));
      }
      words.set(pos, r);
      jac = jaccard(baseSet, Shingles.shingles(words));
    }
    if (previous != null && Math.abs(previousJac - target) < Math.abs(jac - target)) {
      words = List.of(previous);
      jac = previousJac;
    }
    return new Variant(rebuild(original, tokens, words), jac);
  }

  private static double jaccard(Set<Long> base, long[] other) {
    Set<Long> o = new HashSet<>();
    for (long x : other) o.add(x);
    int inter = 0;
    for (Long x : o) if (base.contains(x)) inter++;
    return inter / (double) (base.size() + o.size() - inter);
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
