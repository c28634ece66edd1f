package dev.sieve.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Set;
import org.junit.jupiter.api.Test;

class LineHashesTest {
  @Test
  void normalisesAsCcNet() {
    assertEquals("0000 example inc all rights reserved", LineHashes.normalise("  © 2024 Example, Inc. — All Rights  Reserved.  "));
    assertEquals("0000 example inc all rights reserved", LineHashes.normalise("(1999) example inc all rights reserved"));
    assertEquals("版权所有 0000", LineHashes.normalise("版权所有 ©２０１９！")); // NFKC: full-width digits and punctuation
    assertEquals("", LineHashes.normalise(" --- | * | --- "));
    assertEquals(LineHashes.hash("Share this on Facebook"), LineHashes.hash("SHARE  this on facebook!"));
    assertNotEquals(LineHashes.hash("Share this on Facebook"), LineHashes.hash("Share this on Twitter"));
    assertEquals(LineHashes.NO_HASH, LineHashes.hash("   "));
    assertEquals(LineHashes.NO_HASH, LineHashes.hash("***"));
  }

  @Test
  void distinctKeysOncePerDocument() {
    long a = LineHashes.hash("Home"), b = LineHashes.hash("About us");
    long[] want = a < b ? new long[] {a, b} : new long[] {b, a};
    assertArrayEquals(want, LineHashes.distinct("Home\nAbout us\n\nHOME.\n---\nhome"));
    assertArrayEquals(new long[0], LineHashes.distinct(""));
  }

  @Test
  void removesExactlyTheMarkedLines() {
    Set<Long> footer = Set.of(LineHashes.hash("All rights reserved."), LineHashes.hash("Follow us"));
    String text = "Title\nFirst paragraph.\n\nAll rights reserved.\nSecond paragraph.\nFOLLOW US";
    LineHashes.Removal r = LineHashes.removeLines(text, footer::contains);
    assertEquals("Title\nFirst paragraph.\n\nSecond paragraph.", r.text());
    assertEquals(2, r.linesRemoved());
    assertEquals(text.length() - r.text().length(), r.charsRemoved());
    assertEquals("All rights reserved.\n".length() + "\nFOLLOW US".length(), r.charsRemoved());

    assertEquals("body\n", LineHashes.removeLines("follow us\nbody\n", footer::contains).text());
    assertEquals("a\n\nb", LineHashes.removeLines("a\n\nFollow us\nb", footer::contains).text());
    assertEquals("", LineHashes.removeLines("Follow us\nall rights reserved", footer::contains).text());
    String untouched = "nothing\nhere";
    LineHashes.Removal none = LineHashes.removeLines(untouched, footer::contains);
    assertSame(untouched, none.text());
    assertEquals(0, none.charsRemoved());
  }
}
