package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.function.IntConsumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Connected components of an undirected graph given as a DataFrame of string edges
 * {@code (src, dst)}, computed entirely in Spark — the graph is never collected to the driver —
 * by alternating the Large-Star and Small-Star operations of Kiveris et al., "Connected Components
 * in MapReduce and Beyond" (SoCC 2014), which converge in O(log² n) rounds to one star per
 * component centred on its smallest node. Each round's edges are checkpointed to cut the lineage
 * (reliable checkpoints when the context has a checkpoint directory, local ones otherwise), and a
 * round that leaves the edge set unchanged (same count and order-independent checksum) ends it.
 */
public final class ConnectedComponents {
  private ConnectedComponents() {}

  /** Safety stop: far above the O(log² n) rounds any real graph needs. */
  static final int MAX_ROUNDS = 100;

  /**
   * @param edges columns {@code src}, {@code dst} (strings; direction and repeats do not matter)
   * @param onRound called after each round with its number (for progress)
   * @return {@code (doc_id, root)} for every node of the graph, where {@code root} is the
   *     smallest node of its component (roots map to themselves)
   */
  public static Dataset<Row> run(Dataset<Row> edges, IntConsumer onRound) {
    boolean reliable = edges.sparkSession().sparkContext().getCheckpointDir().isDefined();
    Dataset<Row> e = edges.select(col("src").as("u"), col("dst").as("v")).where(col("u").notEqual(col("v")));
    e = checkpoint(e.select(greatest(col("u"), col("v")).as("u"), least(col("u"), col("v")).as("v")).distinct(), reliable);
    long[] previous = signature(e);
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      Dataset<Row> next = checkpoint(smallStar(largeStar(e)), reliable);
      long[] current = signature(next);
      onRound.accept(round);
      e = next;
      if (current[0] == previous[0] && current[1] == previous[1]) {
        return e.select(col("u").as("doc_id"), col("v").as("root"))
            .union(e.select(col("v").as("doc_id"), col("v").as("root")).distinct());
      }
      previous = current;
    }
    throw new IllegalStateException("connected components did not converge in " + MAX_ROUNDS + " rounds");
  }

  /**
   * For each node, links every strictly larger neighbour to the smallest node of its closed
   * neighbourhood. Output edges point from the larger node to the smaller.
   */
  static Dataset<Row> largeStar(Dataset<Row> e) {
    Dataset<Row> both = e.union(e.select(col("v").as("u"), col("u").as("v")));
    Dataset<Row> m = both.groupBy("u").agg(min("v").as("mv"))
        .select(col("u").as("mu"), least(col("u"), col("mv")).as("m"));
    return both.join(m, both.col("u").equalTo(m.col("mu")))
        .where(col("v").gt(col("u")))
        .select(col("v").as("u"), col("m").as("v"))
        .distinct();
  }

  /**
   * For each node, links it and its smaller neighbours to the smallest of them. Input and output
   * edges point from the larger node to the smaller.
   */
  static Dataset<Row> smallStar(Dataset<Row> e) {
    Dataset<Row> m = e.groupBy("u").agg(min("v").as("m")).withColumnRenamed("u", "mu");
    Dataset<Row> joined = e.join(m, e.col("u").equalTo(m.col("mu")));
    Dataset<Row> neighbours = joined.where(col("v").notEqual(col("m"))).select(col("v").as("u"), col("m").as("v"));
    Dataset<Row> self = m.select(col("mu").as("u"), col("m").as("v"));
    return neighbours.union(self).distinct();
  }

  private static long[] signature(Dataset<Row> e) {
    Row r = e.agg(org.apache.spark.sql.functions.count("*"), sum(xxhash64(col("u"), col("v")).cast("decimal(38,0)"))).first();
    long n = r.getLong(0);
    long h = r.isNullAt(1) ? 0 : r.getDecimal(1).longValue();
    return new long[] {n, h};
  }

  private static Dataset<Row> checkpoint(Dataset<Row> e, boolean reliable) {
    return reliable ? e.checkpoint(true) : e.localCheckpoint(true);
  }
}
