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
    // ASCII is NFKC already and lower-cases by itself: skip both passes.
    String s = isAscii(text) ? text : Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(s.length());
    boolean space = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') c += 32;
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
    char[] hex = new char[32];
    putHex(hex, 0, h.getMostSignificantBits());
    putHex(hex, 16, h.getLeastSignificantBits());
    return new String(hex);
  }

  private static void putHex(char[] out, int at, long v) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = Character.forDigit((int) (v & 0xf), 16);
      v >>>= 4;
    }
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 128) return false;
    return true;
  }
}
