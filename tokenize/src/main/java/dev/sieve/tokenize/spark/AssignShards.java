package dev.sieve.tokenize.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.sieve.tokenize.ShardPlan;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;

/**
 * Spark side of a {@link ShardPlan}: one row per document copy, partitioned one (split, shard) per
 * task and sorted as the plan orders them — the input {@link WriteShards} expects.
 */
final class AssignShards {
  private AssignShards() {}

  /**
   * @param mixed encoded documents ({@link TokenizeDocs#OUTPUT} plus {@code copies}, an int ≥ 0)
   * @return {@code split, shard} (int), {@code doc_id, source, language, tokens} (binary, i32 LE),
   *     sorted within each partition by split, shard, order key, doc_id, copy
   */
  static Dataset<Row> copies(Dataset<Row> mixed, ShardPlan plan) {
    Column shardCount = lit(1);
    for (Map.Entry<String, Integer> e : plan.shardsPerSplit().entrySet()) {
      shardCount = when(col("split").equalTo(e.getKey()), lit(e.getValue())).otherwise(shardCount);
    }
    long seed = plan.seed();
    var orderKey = udf((UDF3<String, Integer, Long, Double>) (docId, copy, s) -> ShardPlan.orderKey(s, docId, copy), DataTypes.DoubleType);
    return mixed.where(col("copies").gt(0))
        .withColumn("copy", explode(sequence(lit(1), col("copies"))))
        .withColumn("shard", pmod(xxhash64(col("doc_id"), col("copy"), lit(seed)), shardCount).cast("int"))
        .withColumn("order", orderKey.apply(col("doc_id"), col("copy"), lit(seed)))
        .repartition(plan.totalShards(), col("split"), col("shard"))
        .sortWithinPartitions(col("split"), col("shard"), col("order"), col("doc_id"), col("copy"))
        .select(col("split"), col("shard"), col("doc_id"), col("source"), col("language"), col("tokens"));
  }
}
