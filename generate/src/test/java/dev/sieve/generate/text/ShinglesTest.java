package dev.sieve.generate.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShinglesTest {
  @Test
  void tokensSplitWordsAndHanCharacters() {
    assertEquals(List.of("the", "cat", "42", "中", "文", "ok"), Shingles.texts(Shingles.tokens("The cat, 42!中文ok")));
    List<Shingles.Token> t = Shingles.tokens("a 中b");
    assertEquals(new Shingles.Token("中", 2, 3), t.get(1));
    assertEquals(new Shingles.Token("b", 3, 4), t.get(2));
  }

  @Test
  void jaccardKnownAnswers() {
    assertEquals(1.0, Shingles.jaccard("a b c d e f", "A b, c d e f!"));
    assertEquals(0.0, Shingles.jaccard("a b c d e f", "g h i j k l"));
    // 7 tokens -> 3 shingles each; changing the last token changes only the last shingle: 2 shared of 4.
    assertEquals(0.5, Shingles.jaccard("a b c d e f g", "a b c d e f x"));
    // Short texts are one shingle.
    assertEquals(1.0, Shingles.jaccard("a b", "a b"));
    assertEquals(0.0, Shingles.jaccard("a b", "a c"));
  }
}
