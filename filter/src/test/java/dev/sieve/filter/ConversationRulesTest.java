package dev.sieve.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Conversation;
import dev.sieve.core.Doc;
import dev.sieve.core.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conversations go through filter.conversation_rules (blocklist, language) and never through the classifier. */
class ConversationRulesTest {
  private static final String CHAT = "<|user|>\nWhat is the capital of France?\n<|assistant|>\nParis.";

  private static Doc doc(String id, Map<String, String> meta, double languageScore) {
    return Doc.builder().docId(id).source("chat").text(CHAT).language("en").languageScore(languageScore).metadata(meta).build();
  }

  private static Judge judge(FilterSettings s, Judge.Scorer scorer) {
    RuleChain.Blocklists lists = RuleChain.Blocklists.load(s);
    return new Judge(RuleChain.fromSettings(s, lists), RuleChain.fromSettings(s, lists, s.conversationRules), s.classifier, scorer);
  }

  @Test
  void aShortChatPassesTheConversationRulesWhereGopherRejectsTheSameText() {
    FilterSettings s = new FilterSettings();
    s.classifier.threshold = 0.5;
    Judge j = judge(s, d -> 0.0);   // a classifier that rejects everything it scores
    Judgement chat = j.judge(doc("c", Map.of(Conversation.METADATA_KEY, "chat"), 0.9));
    assertTrue(chat.kept());
    assertNull(chat.qualityScore(), "conversations are not scored");
    Judgement plain = j.judge(doc("p", Map.of(), 0.9));
    assertFalse(plain.kept());
    assertEquals("gopher_short_doc", plain.rule());
  }

  @Test
  void languageAndBlocklistStillApplyToConversations() {
    FilterSettings s = new FilterSettings();
    Judgement lowScore = judge(s, null).judge(doc("c", Map.of(Conversation.METADATA_KEY, "chat"), 0.3));
    assertFalse(lowScore.kept());
    assertEquals("language_low_score", lowScore.rule());
    s.conversationRules = List.of("blocklist");
    assertTrue(judge(s, null).judge(doc("c", Map.of(Conversation.METADATA_KEY, "chat"), 0.3)).kept());
  }

  @Test
  void unknownConversationRuleIsAConfigErrorNamingTheKey() {
    FilterSettings s = new FilterSettings();
    s.conversationRules = List.of("blocklist", "nope");
    ConfigException e = assertThrows(ConfigException.class, () -> s.validate("filter"));
    assertTrue(e.getMessage().contains("'filter.conversation_rules'"), e.getMessage());
  }
}
