package dev.sieve.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sieve.core.Conversation;
import dev.sieve.core.Conversation.Turn;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conversations rendered through a chat template into tokens and a loss mask that is 1 on assistant tokens only. */
class ChatTemplateTest {
  /** One token per character, its code point: ids known without any vocabulary. */
  static final class CharTokenizer implements TokenizerAdapter {
    public String name() {
      return "chars";
    }

    public String version() {
      return "1";
    }

    public int vocabSize() {
      return 0x110000;
    }

    public int eotId() {
      return 0;
    }

    public int[] encode(String text) {
      return text.codePoints().toArray();
    }

    public String decode(int[] tokens) {
      return new String(tokens, 0, tokens.length);
    }
  }

  static final Conversation TWO_TURNS = new Conversation(List.of(new Turn("user", "Hi"), new Turn("assistant", "Yo")));

  @Test
  void exactTokensAndMaskOfATwoTurnChatUnderACustomTemplate() {
    ChatTemplate t = new ChatTemplate("custom", "[{role}]", "#", "|");
    assertEquals("[user]Hi#|[assistant]Yo#|", t.render(TWO_TURNS));
    ChatTemplate.Encoded e = t.encode(TWO_TURNS, new CharTokenizer());
    assertArrayEquals("[user]Hi#|[assistant]Yo#|".codePoints().toArray(), e.tokens());
    //                                   [ u s e r ] H i # | [ a s s i s t a n t ] Y o # |
    boolean[] expected = new boolean[e.tokens().length];
    int yo = "[user]Hi#|[assistant]".length();
    Arrays.fill(expected, yo, yo + 3, true);   // "Yo" and its turn end "#"
    assertArrayEquals(expected, e.trained());
    assertEquals(3, e.trainedCount());
  }

  @Test
  void chatmlOnCl100kTrainsOnTheAssistantsContentAndImEndOnly() {
    Conversation c = new Conversation(List.of(new Turn("system", "Be terse."), new Turn("user", "What is 2+2?"), new Turn("assistant", "4"),
        new Turn("user", "And 3+3?"), new Turn("assistant", "6, of course.")));
    try (TokenizerAdapter tok = Tokenizers.open("tiktoken:cl100k_base")) {
      ChatTemplate.Encoded e = ChatTemplate.CHATML.encode(c, tok);
      assertEquals("<|im_start|>system\nBe terse.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n4<|im_end|>\n"
          + "<|im_start|>user\nAnd 3+3?<|im_end|>\n<|im_start|>assistant\n6, of course.<|im_end|>\n", tok.decode(e.tokens()));
      StringBuilder trained = new StringBuilder();
      StringBuilder untrained = new StringBuilder();
      for (int i = 0; i < e.tokens().length; i++) {
        (e.trained()[i] ? trained : untrained).append(tok.decode(new int[] {e.tokens()[i]})).append('·');
      }
      // The trained tokens, in order, spell exactly the two answers with their <|im_end|>.
      assertEquals("4<|im_end|>6, of course.<|im_end|>", trained.toString().replace("·", ""));
      // Never a system or user token: every token of those turns is untrained.
      for (String s : new String[] {"Be terse.", "What is 2+2?", "And 3+3?"}) {
        assertFalse(trained.toString().replace("·", "").contains(s));
      }
      // The first trained token is the first answer's: everything before it (system, user, the assistant's turn start) is not.
      String before = "<|im_start|>system\nBe terse.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n";
      assertEquals(before, tok.decode(Arrays.copyOf(e.tokens(), firstTrained(e))));
    }
  }

  private static int firstTrained(ChatTemplate.Encoded e) {
    for (int i = 0; i < e.trained().length; i++) if (e.trained()[i]) return i;
    return -1;
  }

  @Test
  void templateRoundTripsThroughJsonAndNeedsATurnEnd() {
    assertEquals(ChatTemplate.CHATML, ChatTemplate.fromJson(ChatTemplate.CHATML.toJson()));
    assertEquals("{\"name\":\"chatml\",\"turn_start\":\"<|im_start|>{role}\\n\",\"turn_end\":\"<|im_end|>\",\"separator\":\"\\n\"}",
        ChatTemplate.CHATML.toJson());
    assertThrows(IllegalArgumentException.class, () -> new ChatTemplate("custom", "{role}: ", "", "\n"));
    assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nYo<|im_end|>\n<|im_start|>assistant\n",
        ChatTemplate.CHATML.prompt(TWO_TURNS));
  }
}
