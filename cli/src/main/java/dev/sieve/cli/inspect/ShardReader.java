package dev.sieve.cli.inspect;

import static org.apache.spark.sql.functions.expr;

import dev.sieve.cli.inspect.LakeSnapshot.ShardGroup;
import dev.sieve.cli.inspect.LakeSnapshot.ShardSummary;
import dev.sieve.core.Lake;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The token shards of a lake ({@code gold/shard_manifest}): files, documents, sequences, tokens and
 * bytes per dataset and split, the tokenizers, tokens per language and per source; each an
 * aggregate query.
 */
final class ShardReader {
  private ShardReader() {}

  static ShardSummary shards(LakeQuery q) {
    Dataset<Row> d = q.df(Lake.GOLD_SHARD_MANIFEST);
    List<ShardGroup> groups = new ArrayList<>();
    long tokens = 0;
    for (Row r : d.groupBy("dataset", "split").agg(expr("count(*)"), expr("sum(documents)"), expr("sum(sequences)"),
        expr("sum(tokens)"), expr("sum(bytes)")).orderBy("dataset", "split").collectAsList()) {
      ShardGroup g = new ShardGroup(r.getString(0), r.getString(1), r.getLong(2), LakeQuery.lng(r, 3), LakeQuery.lng(r, 4),
          LakeQuery.lng(r, 5), LakeQuery.lng(r, 6));
      groups.add(g);
      tokens += g.tokens();
    }
    String tok = LakeQuery.has(d, "tokenizer_version") ? "concat_ws(' ', tokenizer, tokenizer_version)" : "tokenizer";
    List<String> tokenizers = d.select(expr(tok)).distinct().collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
    return new ShardSummary(groups, tokenizers, tokens, mapSum(d, "tokens_by_language"), mapSum(d, "tokens_by_source"));
  }

  /** The sums per key of a {@code map<string, number>} column, largest first; empty when the table has no such column. */
  private static Map<String, Long> mapSum(Dataset<Row> d, String column) {
    if (!LakeQuery.has(d, column)) return Map.of();
    Map<String, Long> m = new TreeMap<>();
    for (Row r : d.select(expr("explode(" + column + ") AS (k, v)")).groupBy("k").agg(expr("sum(v)")).collectAsList()) {
      m.put(r.getString(0), ((Number) r.get(1)).longValue());
    }
    return LakeQuery.sortedByValue(m);
  }
}
