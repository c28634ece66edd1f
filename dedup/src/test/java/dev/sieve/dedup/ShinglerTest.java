package dev.sieve.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShinglerTest {
  private final Shingler shingler = new Shingler(5, 5);

  @Test
  void wordFiveGramsIgnoreCaseAndPunctuation() {
    // 7 tokens -> 3 five-grams.
    assertEquals(3, shingler.shingles("The quick brown fox jumps over dogs").length);
    assertArrayEquals(shingler.shingles("The quick brown fox jumps over dogs"), shingler.shingles("the QUICK, brown -- fox; jumps over dogs!"));
    assertNotEquals(shingler.shingles("the quick brown fox jumps over dogs")[0], shingler.shingles("the quick brown fox jumped over dogs")[0]);
  }

  @Test
  void chineseCharactersAreTokensSoCharacterFiveGrams() {
    // 10 Han characters, no spaces -> 6 character five-grams.
    assertEquals(6, shingler.shingles("我们今天去北京看长城").length);
    assertEquals(6, shingler.shingles("我们今天去，北京看长城。").length, "punctuation is not a token");
    // Mixed: Latin runs are words, Han characters single tokens: 3 + 4 tokens -> 3 shingles.
    assertEquals(3, new Shingler(5, 5).shingles("use Apache Spark 处理数据").length);
  }

  @Test
  void cjkNgramAppliesToMostlyCjkText() {
    Shingler s = new Shingler(5, 2);
    assertEquals(9, s.shingles("我们今天去北京看长城").length, "10 characters -> 9 bigrams");
    assertEquals(3, s.shingles("The quick brown fox jumps over dogs").length, "English keeps 5-grams");
  }

  @Test
  void shortTextIsOneShingleAndEmptyTextNone() {
    assertEquals(1, shingler.shingles("two words").length);
    assertEquals(0, shingler.shingles("  ...  !!! ").length);
  }

  @Test
  void repeatsCollapse() {
    long[] s = shingler.shingles("a b c d e a b c d e a b c d e");
    assertEquals(5, s.length, "11 windows, 5 distinct");
    for (int i = 1; i < s.length; i++) assertTrue(s[i - 1] < s[i], "sorted and distinct");
  }

  @Test
  void jaccardOfKnownSets() {
    assertEquals(1.0, Jaccard.of(new long[0], new long[0]));
    assertEquals(0.75, Jaccard.of(new long[] {1, 2, 3}, new long[] {1, 2, 3, 4}), 1e-12);
    assertEquals(0.0, Jaccard.of(new long[] {1}, new long[] {2}));
    // One word changed in the middle of 20 tokens touches 5 of 16 shingles: 11 shared of 21.
    String a = "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19";
    String b = a.replace("w10", "x10");
    assertEquals(11.0 / 21, Jaccard.of(shingler.shingles(a), shingler.shingles(b)), 1e-12);
  }
}
