package dev.sieve.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DocIdsTest {
  @Test
  void idIsSha256OfNulJoinedParts() {
    // printf 'commoncrawl\0https://example.com/a\0<urn:uuid:1>' | sha256sum
    String id = DocIds.of("commoncrawl", "https://example.com/a", "<urn:uuid:1>");
    assertEquals("1196582f1c707eede2af1fcdb6c801debd4500c138934e6271951ece331718e4", id);
    assertEquals(DocIds.sha256Hex("commoncrawl\0https://example.com/a\0<urn:uuid:1>"), id);
    assertEquals(64, id.length());
  }

  @Test
  void knownAnswer() {
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", DocIds.sha256Hex("abc"));
  }

  @Test
  void stableAndSeparated() {
    assertEquals(DocIds.of("s", "u", "r"), DocIds.of("s", "u", "r"));
    assertNotEquals(DocIds.of("s", "ab", "c"), DocIds.of("s", "a", "bc"));
    assertEquals(DocIds.of("s", null, null), DocIds.of("s", "", ""));
    assertThrows(IllegalArgumentException.class, () -> DocIds.of("", "u", "r"));
  }
}
