package dev.sieve.cli.inspect;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.sieve.cli.inspect.LakeSnapshot.ClusterMember;
import dev.sieve.cli.inspect.LakeSnapshot.ClusterSample;
import dev.sieve.cli.inspect.LakeSnapshot.PiiSample;
import dev.sieve.cli.inspect.LakeSnapshot.RejectedSample;
import dev.sieve.core.Lake;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The sample sections of {@code sieve inspect} and {@code sieve report}: a few rejected documents
 * per rule, the largest duplicate clusters, documents that held PII. Each is one Spark query that
 * brings back at most a few rows per rule or cluster; every snippet shown is scrubbed.
 */
final class SampleReader {
  /** Characters of a sample's text shown. */
  static final int SNIPPET_CHARS = 100;
  /**
   * Characters of raw text read per sample before scrubbing: rejected and duplicate documents have
   * not been through the PII stage, so their snippets are scrubbed here (DESIGN: no report holds a
   * raw PII value), on more text than is shown so that a value cut at the edge is still found.
   */
  static final int RAW_CHARS = 400;
  /** Members shown per duplicate cluster sample. */
  static final int CLUSTER_MEMBERS = 6;
  private final LakeQuery q;

  SampleReader(LakeQuery q) {
    this.q = q;
  }

  private Dataset<Row> df(String table) {
    return q.df(table);
  }

  /** Up to {@code n} rejected documents per rule (the first by doc_id), their snippets scrubbed. */
  List<RejectedSample> rejected(int n) {
    if (n <= 0) return List.of();
    Dataset<Row> d = df(Lake.SILVER_REJECTED);
    String stage = LakeQuery.has(d, "stage") ? "stage" : "'coarse'";
    String text = LakeQuery.has(d, "text") ? "substring(coalesce(text, ''), 1, " + RAW_CHARS + ")" : "''";
    String lang = LakeQuery.has(d, "language") ? "language" : "CAST(NULL AS STRING)";
    List<RejectedSample> out = new ArrayList<>();
    for (Row r : d.select(col("doc_id"), expr(stage).as("stage"), col("rule"), col("value"), col("threshold"), expr(text).as("snippet"), expr(lang).as("language"),
            expr("row_number() OVER (PARTITION BY rule ORDER BY doc_id)").as("rn"))
        .where(col("rn").leq(n)).orderBy("rule", "rn").collectAsList()) {
      out.add(new RejectedSample(r.getString(0), r.getString(1), r.getString(2), LakeQuery.dbl(r, 3), LakeQuery.dbl(r, 4),
          Snippets.scrubbed(r.getString(5), r.getString(6), SNIPPET_CHARS)));
    }
    return out;
  }

  /**
   * The {@code n} largest duplicate clusters, up to {@value #CLUSTER_MEMBERS} members each (the kept one
   * first); with {@code texts}, each member's scrubbed snippet from {@code silver/filtered}.
   */
  List<ClusterSample> clusters(int n, boolean texts) {
    if (n <= 0) return List.of();
    Dataset<Row> clusters = df(Lake.SILVER_DUP_CLUSTERS).where("cluster_size > 1");
    List<Row> top = clusters.groupBy("cluster_id").agg(expr("max(cluster_size)").as("size"))
        .orderBy(col("size").desc(), col("cluster_id")).limit(n).collectAsList();
    if (top.isEmpty()) return List.of();
    List<String> ids = top.stream().map(r -> r.getString(0)).toList();
    Dataset<Row> members = clusters.where(col("cluster_id").isin(ids.toArray()))
        .select(col("cluster_id"), col("doc_id"), col("kept"), col("match"), col("similarity"),
            expr("row_number() OVER (PARTITION BY cluster_id ORDER BY kept DESC, similarity DESC, doc_id)").as("rn"))
        .where(col("rn").leq(CLUSTER_MEMBERS));
    if (texts) {
      Dataset<Row> docs = df(Lake.SILVER_FILTERED).select(col("doc_id"), expr("substring(coalesce(text, ''), 1, " + RAW_CHARS + ")").as("snippet"),
          col("language"));
      members = members.join(docs, members.col("doc_id").equalTo(docs.col("doc_id")), "left")
          .select(members.col("cluster_id"), members.col("doc_id"), col("kept"), col("match"), col("similarity"), col("rn"), col("snippet"),
              col("language"));
    } else {
      members = members.withColumn("snippet", expr("CAST(NULL AS STRING)")).withColumn("language", expr("CAST(NULL AS STRING)"));
    }
    Map<String, List<ClusterMember>> byCluster = new LinkedHashMap<>();
    for (String id : ids) byCluster.put(id, new ArrayList<>());
    for (Row r : members.orderBy("cluster_id", "rn").collectAsList()) {
      byCluster.get(r.getString(0)).add(new ClusterMember(r.getString(1), !r.isNullAt(2) && r.getBoolean(2), r.getString(3), LakeQuery.dbl(r, 4),
          r.isNullAt(6) ? null : Snippets.scrubbed(r.getString(6), r.getString(7), SNIPPET_CHARS)));
    }
    List<ClusterSample> out = new ArrayList<>();
    for (Row r : top) out.add(new ClusterSample(r.getString(0), ((Number) r.get(1)).intValue(), byCluster.get(r.getString(0))));
    return out;
  }

  /** Up to {@code n} scrubbed documents that held PII (the first by doc_id), a snippet around the first tag. */
  List<PiiSample> pii(int n) {
    if (n <= 0) return List.of();
    List<PiiSample> out = new ArrayList<>();
    for (Row r : df(Lake.SILVER_CLEAN).where("exists(map_values(pii_counts), v -> v > 0)")
        .select(col("doc_id"), col("pii_counts"), expr("substring(coalesce(text, ''), 1, 20000)"))
        .orderBy("doc_id").limit(n).collectAsList()) {
      out.add(new PiiSample(r.getString(0), LakeQuery.sortedByValue(LakeQuery.longMap(r, 1)), Snippets.aroundFirstTag(r.getString(2), SNIPPET_CHARS)));
    }
    return out;
  }
}
