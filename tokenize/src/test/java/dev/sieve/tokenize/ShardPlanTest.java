package dev.sieve.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardPlanTest {
  @Test
  void shardsPerSplitRoundUpAndNeverZero() {
    ShardPlan plan = ShardPlan.of(Map.of("train", 2_500L, "validation", 0L), 1_000, 0, 50_000, 7);
    assertEquals(1_000, plan.tokensPerShard());
    assertEquals(3, plan.shards("train"));
    assertEquals(1, plan.shards("validation"));
    assertEquals(1, plan.shards("unknown"));
    assertEquals(4, plan.totalShards());
  }

  @Test
  void byteSizedShardsDependOnTokenWidth() {
    assertEquals(500, ShardPlan.of(Map.of("train", 1L), 0, 1_000, TokenDType.UINT16_VOCAB_LIMIT - 1, 0).tokensPerShard());
    assertEquals(250, ShardPlan.of(Map.of("train", 1L), 0, 1_000, TokenDType.UINT16_VOCAB_LIMIT, 0).tokensPerShard());
    assertEquals(1, ShardPlan.of(Map.of("train", 1L), 0, 1, 100, 0).tokensPerShard());
  }

  @Test
  void orderKeyIsSeededAndDeterministic() {
    double k = ShardPlan.orderKey(1, "doc", 1);
    assertTrue(k >= 0 && k < 1, "" + k);
    assertEquals(k, ShardPlan.orderKey(1, "doc", 1));
    assertNotEquals(k, ShardPlan.orderKey(2, "doc", 1));
    assertNotEquals(k, ShardPlan.orderKey(1, "doc", 2));
  }

  @Test
  void badArgument() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ShardPlan(0, new java.util.TreeMap<>(), 1));
    assertTrue(e.getMessage().contains("tokensPerShard"), e.getMessage());
  }
}
