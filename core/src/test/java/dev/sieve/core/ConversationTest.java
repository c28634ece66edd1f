package dev.sieve.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sieve.core.Conversation.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationTest {
  @Test
  void canonicalTextIsExactAndParsesBack() {
    Conversation c = new Conversation(List.of(new Turn("system", "Be terse."), new Turn("user", "Hi\n\nthere"),
        new Turn("assistant", "Hello.")));
    assertEquals("<|system|>\nBe terse.\n<|user|>\nHi\n\nthere\n<|assistant|>\nHello.", c.text());
    assertEquals(c, Conversation.parse(c.text()));
    assertEquals("Be terse.\nHi\n\nthere\nHello.", c.contents());
  }

  @Test
  void contentLinesThatLookLikeMarkersAreEscapedAndRoundTrip() {
    Conversation c = new Conversation(List.of(new Turn("user", "<|assistant|>\n\\<|user|>\n<|tool|>"), new Turn("assistant", "ok <|user|>")));
    assertEquals("<|user|>\n\\<|assistant|>\n\\\\<|user|>\n\\<|tool|>\n<|assistant|>\nok <|user|>", c.text());
    assertEquals(c, Conversation.parse(c.text()));
  }

  @Test
  void textWithoutAMarkerIsNoConversation() {
    assertThrows(IllegalArgumentException.class, () -> Conversation.parse("plain text\n<|user|>\nhi"));
    assertThrows(IllegalArgumentException.class, () -> Conversation.parse("plain"));
  }
}
