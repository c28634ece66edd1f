package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.posexplode;

import dev.sieve.dedup.DedupSettings;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.storage.StorageLevel;

/**
 * Dedup phase 2, {@code buckets}: duplicate edges between documents. Documents sharing an exact
 * key, or an LSH band key (band number and key), fall in one bucket — among the new documents and
 * between new and indexed ones — and each bucket member is linked to the bucket's smallest
 * {@code doc_id} (linear in bucket size). Band-key candidates are then verified
 * ({@code dedup.verify}: signature estimate, true Jaccard, or none) against
 * {@code dedup.threshold}. Writes nothing; records {@code candidate_pairs} and
 * {@code duplicate_edges} in the run's counts.
 */
final class Buckets {
  private Buckets() {}

  /**
   * The duplicate edges of a batch.
   *
   * @param pairs {@code src, dst} ({@code doc_id}s) and {@code exact} (boolean: an exact-key edge), cached
   * @param candidates near-duplicate candidate pairs before verification
   * @param verified rows of {@code pairs}: exact edges plus verified near ones
   */
  record Edges(Dataset<Row> pairs, long candidates, long verified) implements AutoCloseable {
    @Override
    public void close() {
      pairs.unpersist();
    }
  }

  /**
   * Finds the batch's duplicate edges (cached: close them): on the driver for a batch of at most
   * {@link DriverBuckets#MAX_DOCS} documents ({@link DriverBuckets}, the same edges), else in Spark.
   */
  static Edges find(DedupBatch b, Phases phases) {
    phases.start("buckets");
    Edges edges = DriverBuckets.fits(b) ? DriverBuckets.find(b) : inSpark(b);
    b.run().count("candidate_pairs", edges.candidates());
    b.run().count("duplicate_edges", edges.verified());
    phases.done(edges.candidates() + " near-duplicate candidate pairs, " + edges.verified() + " duplicate edges");
    return edges;
  }

  /** The Spark path of {@link #find}: joins, a distinct and an aggregation per key kind; the edges cached. */
  private static Edges inSpark(DedupBatch b) {
    DedupSettings settings = b.settings();
    Dataset<Row> sigs = b.signatures();
    Dataset<Row> oldIdx = b.oldIndex();
    Dataset<Row> edges = null;
    long candidates = 0;
    if (settings.exact) {
      Dataset<Row> keys = sigs.select(col("doc_id"), col("exact_hash"));
      if (oldIdx != null) {
        keys = keys.union(oldIdx.select(col("doc_id"), col("exact_hash"))
            .join(sigs.select(col("exact_hash")).distinct(), "exact_hash").select(col("doc_id"), col("exact_hash")));
      }
      edges = starEdges(keys, "exact_hash").withColumn("exact", lit(true));
    }
    if (settings.near) {
      Dataset<Row> bands = sigs.select(col("doc_id"), posexplode(col("band_keys")).as(new String[] {"band", "key"}));
      if (oldIdx != null) {
        Dataset<Row> oldBands = oldIdx.select(col("doc_id"), posexplode(col("band_keys")).as(new String[] {"band", "key"}));
        bands = bands.union(oldBands.join(bands.select(col("band"), col("key")).distinct(), new String[] {"band", "key"})
            .select(col("doc_id"), col("band"), col("key")));
      }
      Dataset<Row> near = starEdges(bands.select(col("doc_id"), col("band"), col("key")), "band", "key").distinct();
      if (edges != null) near = near.join(edges.select("src", "dst"), new String[] {"src", "dst"}, "left_anti");
      near = near.persist(StorageLevel.MEMORY_AND_DISK());
      candidates = near.count();
      Dataset<Row> verified = verify(b, near).where(col("similarity").geq(settings.threshold))
          .select(col("src"), col("dst"), lit(false).as("exact"));
      edges = edges == null ? verified : edges.union(verified);
    }
    edges = edges.persist(StorageLevel.MEMORY_AND_DISK());
    long verifiedPairs;
    try {
      verifiedPairs = edges.count();
    } catch (RuntimeException | Error e) {
      edges.unpersist();
      throw e;
    }
    return new Edges(edges, candidates, verifiedPairs);
  }

  /**
   * Edges linking every member of a bucket (rows sharing the {@code by} columns) to the bucket's
   * smallest {@code doc_id}: a bucket of k members gives k − 1 edges, never k².
   *
   * @param members {@code doc_id} and the {@code by} columns
   * @return {@code src} (a member), {@code dst} (its bucket's smallest {@code doc_id})
   */
  static Dataset<Row> starEdges(Dataset<Row> members, String... by) {
    Column[] keys = new Column[by.length];
    for (int i = 0; i < by.length; i++) keys[i] = col(by[i]);
    // One aggregation (no join back to the members): each bucket's minimum and its members.
    return members.groupBy(keys).agg(min("doc_id").as("dst"), collect_list("doc_id").as("members"))
        .where(size(col("members")).gt(1))
        .select(explode(col("members")).as("src"), col("dst"))
        .where(col("src").notEqual(col("dst")));
  }

  /** Every {@code doc_id} that is an end of an edge of {@code edges} ({@code src, dst}), once. */
  static Dataset<Row> endpoints(Dataset<Row> edges) {
    return edges.select(col("src").as("doc_id")).union(edges.select(col("dst").as("doc_id"))).distinct();
  }

  /** Candidate pairs {@code src, dst} with their {@code similarity}: estimated from signatures, or the true Jaccard of the texts. */
  private static Dataset<Row> verify(DedupBatch b, Dataset<Row> near) {
    DedupSettings settings = b.settings();
    if (settings.verify.equals("jaccard")) {
      Dataset<Row> endpoints = endpoints(near);
      Dataset<Row> texts = b.filtered().select(col("doc_id"), col("text")).join(endpoints, "doc_id");
      Dataset<Row> pairs = near
          .join(texts.select(col("doc_id").as("src"), col("text").as("src_text")), "src")
          .join(texts.select(col("doc_id").as("dst"), col("text").as("dst_text")), "dst")
          .select(col("src"), col("dst"), col("src_text"), col("dst_text"));
      return pairs.mapPartitions(new VerifyJaccard(settings.wordNgram, settings.cjkNgram), ExpressionEncoder.apply(VerifyJaccard.OUTPUT));
    }
    Dataset<Row> signatures = b.signatures().select(col("doc_id"), col("signature"));
    if (b.hasIndex()) {
      Dataset<Row> endpoints = endpoints(near);
      signatures = signatures.union(b.oldIndex().select(col("doc_id"), col("signature")).join(endpoints, "doc_id"));
    }
    Dataset<Row> withSigs = near
        .join(signatures.select(col("doc_id").as("src"), col("signature").as("a")), "src")
        .join(signatures.select(col("doc_id").as("dst"), col("signature").as("b")), "dst");
    Column similarity = settings.verify.equals("none") ? lit(1.0) : Signatures.ESTIMATE.apply(col("a"), col("b"));
    return withSigs.select(col("src"), col("dst"), similarity.as("similarity"));
  }
}
