package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import dev.sieve.dedup.KeepPolicy;
import dev.sieve.dedup.MinHasher;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code components} phase of a small graph, on the driver: at most {@link #MAX_EDGES}
 * duplicate edges (and the members of the stored clusters they touch) are collected, joined by
 * union-find, and each cluster ranked by the keep policy in plain Java, with the same result as
 * the Spark path ({@link ConnectedComponents} and a window): clusters named by their smallest
 * {@code doc_id}, the same survivor, match and similarity. A batch of a few million documents
 * has a graph this size; it costs one collect of the edges and one of the members' attributes
 * instead of two Spark jobs per Large-Star/Small-Star round, a window and three counting passes.
 */
final class DriverClusters {
  /**
   * Largest edge count clustered on the driver: 100,000 edges touch at most 200,000 documents,
   * whose attributes (a 1 KiB signature each at 256 permutations) take about 250 MB of driver memory.
   */
  static final long MAX_EDGES = 100_000;

  /** The limit in force: {@link #MAX_EDGES}; tests set -1 to send every graph down the Spark path. */
  static long maxEdges = MAX_EDGES;

  /** Rows of {@code silver/dup_clusters} ({@link Clusters#rows}), as the Spark path writes them. */
  static final StructType ROWS = new StructType()
      .add("doc_id", DataTypes.StringType)
      .add("cluster_id", DataTypes.StringType)
      .add("kept_doc_id", DataTypes.StringType)
      .add("kept", DataTypes.BooleanType)
      .add("match", DataTypes.StringType)
      .add("similarity", DataTypes.DoubleType)
      .add("cluster_size", DataTypes.IntegerType)
      .add("run_id", DataTypes.StringType);

  private static final StructType IDS = new StructType().add("doc_id", DataTypes.StringType, false);

  private DriverClusters() {}

  /**
   * What the rewrite phase would otherwise count in Spark.
   *
   * @param earlierMembers members of the clusters that are not documents of this batch (0: every
   *     cluster the batch touched is made of its own documents, so no earlier row changes)
   */
  record Summary(long exactRemoved, long nearRemoved, long retracted, long clusters, long earlierMembers) {}

  /** One member's attributes ({@link BandIndex#COLUMNS}) and whether it is a document of this batch. */
  private record Member(String docId, String exactHash, byte[] signature, Double quality, int length, Timestamp fetchTime,
                        boolean fresh) {}

  /**
   * @param edges {@code src, dst} of the batch, already collected ({@code ≤ MAX_EDGES})
   * @param oldClusters stored clusters ({@code doc_id, cluster_id, kept}) or null
   */
  static Clusters of(DedupBatch b, List<Row> edges, Dataset<Row> oldClusters) {
    SparkSession spark = b.spark();
    Ids ids = new Ids();
    for (Row e : edges) ids.union(ids.id(e.getString(0)), ids.id(e.getString(1)));
    Map<String, Boolean> oldKept = new HashMap<>();
    if (oldClusters != null && ids.size() > 0) {
      // Every member of each stored cluster an edge touches joins that cluster's component.
      Dataset<Row> endpoints = broadcast(spark.createDataFrame(ids.rows(), IDS));
      Dataset<Row> touched = oldClusters.join(endpoints, "doc_id").select(col("cluster_id")).distinct();
      for (Row r : oldClusters.join(broadcast(touched), "cluster_id").select(col("doc_id"), col("cluster_id"), col("kept")).collectAsList()) {
        ids.union(ids.id(r.getString(0)), ids.id(r.getString(1)));
        oldKept.put(r.getString(0), r.getBoolean(2));
      }
    }
    if (ids.size() == 0) return new Clusters(spark.createDataFrame(List.of(), ROWS), oldClusters, 0, new Summary(0, 0, 0, 0, 0));

    // The members' attributes: new documents from the batch's signatures, earlier ones from the index.
    Dataset<Row> nodes = broadcast(spark.createDataFrame(ids.rows(), IDS));
    Dataset<Row> attrs = b.signatures().select(BandIndex.columns()).join(nodes, "doc_id").withColumn("fresh", org.apache.spark.sql.functions.lit(true));
    if (b.hasIndex()) {
      attrs = attrs.union(b.oldIndex().join(nodes, "doc_id").select(BandIndex.columns()).withColumn("fresh", org.apache.spark.sql.functions.lit(false)));
    }
    Member[] members = new Member[ids.size()];
    for (Row r : attrs.collectAsList()) {
      Member m = new Member(r.getAs("doc_id"), r.getAs("exact_hash"), r.getAs("signature"), r.getAs("quality_score"),
          r.<Integer>getAs("length"), r.getAs("fetch_time"), r.<Boolean>getAs("fresh"));
      members[ids.id(m.docId())] = m;
    }

    // A component is named by its smallest node, as ConnectedComponents names it.
    Map<Integer, String> roots = new HashMap<>();
    for (int i = 0; i < members.length; i++) roots.merge(ids.find(i), ids.name(i), (x, y) -> compareIds(x, y) <= 0 ? x : y);
    Map<Integer, List<Member>> components = new HashMap<>();
    for (int i = 0; i < members.length; i++) {
      if (members[i] == null) continue; // a stored cluster member no longer in the index: as a join drops it
      components.computeIfAbsent(ids.find(i), k -> new ArrayList<>()).add(members[i]);
    }
    Comparator<Member> order = order(b.settings().keepPolicy());
    String runId = b.run().runId();
    List<Row> rows = new ArrayList<>(members.length);
    long exactRemoved = 0, nearRemoved = 0, retracted = 0, earlier = 0;
    for (Map.Entry<Integer, List<Member>> e : components.entrySet()) {
      List<Member> c = e.getValue();
      String root = roots.get(e.getKey());
      c.sort(order);
      Member kept = c.get(0);
      for (Member m : c) {
        boolean isKept = m == kept;
        boolean exact = m.exactHash().equals(kept.exactHash());
        Double similarity = exact ? Double.valueOf(1.0)
            : m.signature() == null || kept.signature() == null ? null
            : Double.valueOf(MinHasher.estimate(MinHasher.fromBytes(m.signature()), MinHasher.fromBytes(kept.signature())));
        rows.add(RowFactory.create(m.docId(), root, kept.docId(), isKept, exact ? "exact" : "near", similarity, c.size(), runId));
        if (!m.fresh()) earlier++;
        if (isKept) continue;
        if (m.fresh()) {
          if (exact) exactRemoved++;
          else nearRemoved++;
        } else if (!Boolean.FALSE.equals(oldKept.get(m.docId()))) {
          retracted++; // an earlier document that was kept (or in no cluster) and now is not
        }
      }
    }
    Dataset<Row> out = spark.createDataFrame(rows, ROWS);
    return new Clusters(out, oldClusters, 0, new Summary(exactRemoved, nearRemoved, retracted, components.size(), earlier));
  }

  /** The window order of {@link Clusters#order}: the first member survives. */
  static Comparator<Member> order(KeepPolicy policy) {
    Comparator<Member> byId = (x, y) -> compareIds(x.docId(), y.docId());
    return switch (policy) {
      case HIGHEST_QUALITY -> Comparator.comparing(Member::quality, Comparator.nullsLast(Comparator.<Double>reverseOrder())).thenComparing(byId);
      case LONGEST -> Comparator.comparingInt(Member::length).reversed().thenComparing(byId);
      case EARLIEST -> Comparator.comparing(Member::fetchTime, Comparator.nullsLast(Comparator.<Timestamp>naturalOrder())).thenComparing(byId);
      case SMALLEST_ID -> byId;
    };
  }

  /** Spark's string order (UTF-8 bytes, i.e. code points), which differs from {@link String#compareTo} only around surrogates. */
  static int compareIds(String x, String y) {
    int n = Math.min(x.length(), y.length());
    for (int i = 0; i < n; ) {
      int a = x.codePointAt(i), c = y.codePointAt(i);
      if (a != c) return Integer.compare(a, c);
      i += Character.charCount(a);
    }
    return Integer.compare(x.length(), y.length());
  }

  /** Union-find over string ids (path halving, union by size). */
  private static final class Ids {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private int[] parent = new int[1024];
    private int[] size = new int[1024];

    int size() {
      return names.size();
    }

    String name(int i) {
      return names.get(i);
    }

    int id(String name) {
      Integer i = index.get(name);
      if (i != null) return i;
      int n = names.size();
      if (n == parent.length) {
        parent = java.util.Arrays.copyOf(parent, n * 2);
        size = java.util.Arrays.copyOf(size, n * 2);
      }
      parent[n] = n;
      size[n] = 1;
      names.add(name);
      index.put(name, n);
      return n;
    }

    int find(int x) {
      while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
      }
      return x;
    }

    void union(int x, int y) {
      int a = find(x), c = find(y);
      if (a == c) return;
      if (size[a] < size[c]) {
        int t = a;
        a = c;
        c = t;
      }
      parent[c] = a;
      size[a] += size[c];
    }

    List<Row> rows() {
      List<Row> out = new ArrayList<>(names.size());
      for (String n : names) out.add(RowFactory.create(n));
      return out;
    }
  }
}
