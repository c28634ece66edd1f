package dev.sieve.tokenize;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A deterministic number in {@code [0, 1)} per (purpose, seed, doc_id): the first 53 bits of
 * SHA-256 over {@code purpose ":" seed ":" doc_id}. The same on every machine and JVM, and
 * independent between purposes (the split and the mixture draw never correlate).
 */
public final class DocHash {
  private DocHash() {}

  private static final ThreadLocal<MessageDigest> SHA = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  public static double unit(String purpose, long seed, String docId) {
    MessageDigest md = SHA.get();
    md.reset();
    md.update((purpose + ":" + seed + ":" + docId).getBytes(StandardCharsets.UTF_8));
    long bits = ByteBuffer.wrap(md.digest()).getLong() >>> 11;
    return bits * 0x1.0p-53;
  }
}
