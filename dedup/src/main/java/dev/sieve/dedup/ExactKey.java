package dev.sieve.dedup;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The exact-duplicate key of a text: 128-bit xxh3 of its normalised form (Unicode NFKC,
 * lower-cased, every run of whitespace one space, trimmed), as 32 hex digits. Two documents
 * that differ only in width forms, case or layout share a key.
 */
public final class ExactKey {
  private static final Hasher128 HASHER = Hashing.xxh3_128();

  private ExactKey() {}

  public static String normalise(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        space = out.length() > 0;
      } else {
        if (space) out.append(' ');
        space = false;
        out.append(c);
      }
    }
    return out.toString();
  }

  public static String of(String text) {
    HashValue128 h = HASHER.hashCharsTo128Bits(normalise(text));
    return String.format("%016x%016x", h.getMostSignificantBits(), h.getLeastSignificantBits());
  }
}
