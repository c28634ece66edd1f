package dev.sieve.tokenize;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible byte ↔ printable-character mapping used by byte-level BPE vocabularies:
 * the 188 printable Latin-1 bytes ({@code !}..{@code ~}, {@code ¡}..{@code ¬}, {@code ®}..{@code
 * ÿ}) stand for themselves; the other 68 bytes (controls, space, soft hyphen, ...) map in order to
 * U+0100, U+0101, ... (so a space is {@code Ġ}, U+0120). Every token string is then printable and
 * space-free, which is what a {@code tokenizer.json} vocabulary and its {@code "a b"} merges need.
 */
public final class ByteLevel {
  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[512];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    int next = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      char c = printable ? (char) b : (char) (256 + next++);
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteLevel() {}

  /** The vocabulary string of a byte sequence. */
  public static String encode(byte[] bytes) {
    char[] out = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
    return new String(out);
  }

  /** The bytes behind a vocabulary string. */
  public static byte[] decode(String token) {
    byte[] out = new byte[token.length()];
    for (int i = 0; i < out.length; i++) {
      char c = token.charAt(i);
      int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
      if (b < 0) throw new IllegalArgumentException("not a byte-level character: U+" + Integer.toHexString(c));
      out[i] = (byte) b;
    }
    return out;
  }

  /** {@link #encode} of the UTF-8 bytes of {@code text}. */
  public static String encodeText(String text) {
    return encode(text.getBytes(StandardCharsets.UTF_8));
  }
}
