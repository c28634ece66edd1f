package dev.sieve.tokenize;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a tokenize batch's document copies go: how many shards each split gets and the order of
 * copies inside a shard. Pure planning, computed on the driver from the splits' token totals; the
 * Spark side ({@code spark.AssignShards}) applies it, {@code spark.WriteShards} writes the result.
 *
 * <p>A split of {@code T} tokens gets {@code max(1, ⌈T / tokensPerShard⌉)} shards. Shard of a copy
 * = Spark's {@code xxhash64(doc_id, copy, seed)} modulo its split's shard count; order within a
 * shard = {@link #orderKey}, a seeded hash, so the same input and seed give byte-identical shards
 * however Spark partitions the work.
 *
 * @param tokensPerShard target tokens per shard ({@code shard_tokens}, or {@code shard_bytes} over
 *     the token width: 2 bytes below {@value TokenDType#UINT16_VOCAB_LIMIT} vocabulary entries, else 4)
 * @param shardsPerSplit shards per split name ({@code train}, {@code validation}), sorted by name
 * @param seed the run's {@code tokenize.seed}
 */
public record ShardPlan(long tokensPerShard, SortedMap<String, Integer> shardsPerSplit, long seed) {

  public ShardPlan {
    if (tokensPerShard < 1) throw new IllegalArgumentException("tokensPerShard must be at least 1, got " + tokensPerShard);
    shardsPerSplit = Collections.unmodifiableSortedMap(new TreeMap<>(shardsPerSplit));
  }

  /**
   * Plans the shards of a batch.
   *
   * @param tokensBySplit tokens (copies counted) per split
   * @param shardTokens {@code tokenize.shard_tokens}; 0 to size shards by bytes
   * @param shardBytes {@code tokenize.shard_bytes}: used when {@code shardTokens} is 0
   * @param vocabSize the tokenizer's vocabulary size (decides the token width)
   * @param seed {@code tokenize.seed}
   */
  public static ShardPlan of(Map<String, Long> tokensBySplit, long shardTokens, long shardBytes, int vocabSize, long seed) {
    long perShard = shardTokens > 0 ? shardTokens : Math.max(1, shardBytes / (vocabSize < TokenDType.UINT16_VOCAB_LIMIT ? 2 : 4));
    SortedMap<String, Integer> shards = new TreeMap<>();
    tokensBySplit.forEach((split, n) -> shards.put(split, (int) Math.max(1, (n + perShard - 1) / perShard)));
    return new ShardPlan(perShard, shards, seed);
  }

  /** Shards of {@code split}; 1 for a split the plan does not know. */
  public int shards(String split) {
    return shardsPerSplit.getOrDefault(split, 1);
  }

  /** Shards over all splits: one writer task each. */
  public int totalShards() {
    return shardsPerSplit.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Position key of copy {@code copy} (1-based) of {@code docId} inside its shard, in [0, 1): smaller first. */
  public static double orderKey(long seed, String docId, int copy) {
    return DocHash.unit("order", seed, docId + "#" + copy);
  }
}
