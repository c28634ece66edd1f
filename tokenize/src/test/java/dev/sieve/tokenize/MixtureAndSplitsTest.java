package dev.sieve.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MixtureAndSplitsTest {
  @Test
  void temperatureSharesAndRates() {
    Map<String, Long> sizes = Map.of("en", 900L, "zh", 100L);
    // α = 0.5: weights 30 and 10 → shares 0.75 / 0.25; rates 0.75·1000/900 and 0.25·1000/100.
    MixtureWeights m = MixtureWeights.temperature(sizes, 0.5, 0, 1);
    assertEquals(0.75, m.shares().get("en"), 1e-12);
    assertEquals(0.25, m.shares().get("zh"), 1e-12);
    assertEquals(0.75 * 1000 / 900, m.rate("en"), 1e-12);
    assertEquals(2.5, m.rate("zh"), 1e-12);
    // α = 1 is the natural mix, α = 0 uniform.
    MixtureWeights natural = MixtureWeights.temperature(sizes, 1.0, 0, 1);
    assertEquals(1.0, natural.rate("en"), 1e-12);
    assertEquals(1.0, natural.rate("zh"), 1e-12);
    assertEquals(0.5, MixtureWeights.temperature(sizes, 0.0, 0, 1).shares().get("zh"), 1e-12);
    // mT5's α = 0.3 on 900:100: share of zh = 100^0.3 / (900^0.3 + 100^0.3).
    double zh = Math.pow(100, 0.3) / (Math.pow(900, 0.3) + Math.pow(100, 0.3));
    assertEquals(zh, MixtureWeights.temperature(sizes, MixtureWeights.MT5_ALPHA, 0, 1).shares().get("zh"), 1e-12);
    // Capped repeats.
    assertEquals(2.0, MixtureWeights.temperature(sizes, 0.5, 2, 1).rate("zh"), 1e-12);
  }

  @Test
  void repeatsRealiseTheRateDeterministically() {
    MixtureWeights m = MixtureWeights.temperature(Map.of("en", 900L, "zh", 100L), 0.5, 0, 7);
    long zhCopies = 0, enKept = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      int r = m.repeats("zh", "doc" + i);
      assertTrue(r == 2 || r == 3);
      zhCopies += r;
      int e = m.repeats("en", "doc" + i);
      assertTrue(e == 0 || e == 1);
      enKept += e;
      assertEquals(r, m.repeats("zh", "doc" + i));
    }
    assertEquals(2.5, (double) zhCopies / n, 0.02);
    assertEquals(0.8333, (double) enKept / n, 0.02);
    assertEquals(m.repeats("zh", "abc"), MixtureWeights.temperature(Map.of("en", 900L, "zh", 100L), 0.5, 0, 7).repeats("zh", "abc"));
  }

  @Test
  void explicitWeights() {
    MixtureWeights m = MixtureWeights.explicit(Map.of("commoncrawl", 800L, "wudao", 200L, "wiki", 0L), Map.of("commoncrawl", 1.0, "wudao", 1.0, "other", 5.0), 0, 1);
    assertEquals(0.5, m.shares().get("wudao"), 1e-12);
    assertEquals(2.5, m.rate("wudao"), 1e-12);
    assertEquals(0.625, m.rate("commoncrawl"), 1e-12);
    assertEquals(0, m.repeats("unknown-group", "d"));
    assertThrows(IllegalArgumentException.class, () -> MixtureWeights.explicit(Map.of("a", 1L), Map.of("b", 1.0), 0, 1));
    assertThrows(IllegalArgumentException.class, () -> MixtureWeights.temperature(Map.of("a", 1L), 1.5, 0, 1));
  }

  @Test
  void splitsByHash() {
    Splits s = new Splits(0.1, 1234);
    Splits wider = new Splits(0.2, 1234);
    int valid = 0, n = 20_000;
    for (int i = 0; i < n; i++) {
      String id = "doc-" + i;
      if (s.isValidation(id)) {
        valid++;
        assertTrue(wider.isValidation(id), "a larger fraction keeps every validation document");
      }
      assertEquals(s.split(id), new Splits(0.1, 1234).split(id));
    }
    assertEquals(0.1, (double) valid / n, 0.01);
    assertEquals(Splits.TRAIN, new Splits(0, 1).split("x"));
    assertEquals(Splits.VALIDATION, new Splits(1, 1).split("x"));
    // The split and the mixture draw use independent hashes, and the seed matters.
    int same = 0;
    for (int i = 0; i < 1000; i++) same += new Splits(0.5, 1).isValidation("d" + i) == new Splits(0.5, 2).isValidation("d" + i) ? 1 : 0;
    assertTrue(same > 400 && same < 600, "another seed gives another split: " + same);
    assertThrows(IllegalArgumentException.class, () -> new Splits(1.5, 1));
  }

  @Test
  void knownHashValue() {
    // The top 53 bits of SHA-256("split:1234:abc"), pinned: changing the hash would move documents between splits.
    double u = DocHash.unit("split", 1234, "abc");
    assertEquals(0.5821578713678327, u);
    assertTrue(u != DocHash.unit("mixture", 1234, "abc"));
  }
}
