package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import dev.sieve.dedup.DedupSettings;
import dev.sieve.dedup.Jaccard;
import dev.sieve.dedup.MinHasher;
import dev.sieve.dedup.Shingler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code buckets} phase of a small batch, on the driver: the same edges, candidate and
 * verified counts as the Spark path of {@link Buckets} (exact-key and band-key buckets, each member
 * linked to the bucket's smallest {@code doc_id}, near candidates that are no exact edge, verified
 * against {@code dedup.threshold}), from one collect of the batch's cached keys, one scan of the
 * band index for the earlier documents sharing a key with them, and (with {@code verify: jaccard})
 * one read of the candidates' texts — instead of a shuffle per join, distinct and aggregation (24
 * Spark jobs on the demo lake). A batch of at most {@link #MAX_DOCS} documents; its band keys (25
 * longs each at the default LSH) take a few MB of driver memory.
 */
final class DriverBuckets {
  /** Largest batch (new documents) bucketed on the driver. */
  static final long MAX_DOCS = 100_000;

  /** The limit in force: {@link #MAX_DOCS}; tests set -1 to send every batch down the Spark path. */
  static long maxDocs = MAX_DOCS;

  /** Rows of {@link Buckets.Edges#pairs}. */
  static final StructType EDGES = new StructType()
      .add("src", DataTypes.StringType, false)
      .add("dst", DataTypes.StringType, false)
      .add("exact", DataTypes.BooleanType, false);

  private static final StructType IDS = new StructType().add("doc_id", DataTypes.StringType, false);

  private DriverBuckets() {}

  /** Whether {@code b} is small enough to bucket on the driver. */
  static boolean fits(DedupBatch b) {
    return b.in() <= maxDocs;
  }

  /** A document's keys: {@code exact_hash}, {@code band_keys} (null without a signature) and {@code signature}. */
  private record Keys(String docId, String exactHash, List<Long> bandKeys, byte[] signature) {
    static Keys of(Row r) {
      return new Keys(r.getString(0), r.getString(1), r.isNullAt(2) ? null : r.getList(2), r.isNullAt(3) ? null : (byte[]) r.get(3));
    }
  }

  /** The batch's duplicate edges, found on the driver ({@code pairs} a local dataset). */
  static Buckets.Edges find(DedupBatch b) {
    DedupSettings s = b.settings();
    SparkSession spark = b.spark();
    List<Keys> fresh = new ArrayList<>();
    for (Row r : b.signatures().select(col("doc_id"), col("exact_hash"), col("band_keys"), col("signature")).collectAsList()) {
      fresh.add(Keys.of(r));
    }
    // Buckets are keyed by the new documents' keys; earlier documents only join buckets that exist.
    Map<String, List<String>> exactBuckets = new LinkedHashMap<>();
    Map<List<Long>, List<String>> bandBuckets = new LinkedHashMap<>();
    Map<String, Keys> byId = new HashMap<>();
    for (Keys k : fresh) {
      byId.put(k.docId(), k);
      if (s.exact) exactBuckets.computeIfAbsent(k.exactHash(), x -> new ArrayList<>()).add(k.docId());
      if (s.near && k.bandKeys() != null) {
        for (int i = 0; i < k.bandKeys().size(); i++) bandBuckets.computeIfAbsent(List.of((long) i, k.bandKeys().get(i)), x -> new ArrayList<>()).add(k.docId());
      }
    }
    if (b.hasIndex()) {
      for (Keys k : earlier(b, exactBuckets.keySet(), bandBuckets.keySet())) {
        byId.put(k.docId(), k);
        List<String> e = exactBuckets.get(k.exactHash());
        if (e != null) e.add(k.docId());
        if (s.near && k.bandKeys() != null) {
          for (int i = 0; i < k.bandKeys().size(); i++) {
            List<String> m = bandBuckets.get(List.of((long) i, k.bandKeys().get(i)));
            if (m != null) m.add(k.docId());
          }
        }
      }
    }
    List<Row> edges = new ArrayList<>();
    Set<List<String>> exactPairs = new HashSet<>();
    for (List<String> members : exactBuckets.values()) {
      for (List<String> p : star(members)) {
        exactPairs.add(p);
        edges.add(RowFactory.create(p.get(0), p.get(1), true));
      }
    }
    Set<List<String>> near = new LinkedHashSet<>();
    for (List<String> members : bandBuckets.values()) {
      for (List<String> p : star(members)) if (!exactPairs.contains(p)) near.add(p);
    }
    Map<String, String> texts = s.verify.equals("jaccard") ? texts(b, near) : Map.of();
    Shingler shingler = new Shingler(s.wordNgram, s.cjkNgram);
    for (List<String> p : near) {
      Double sim = similarity(s.verify, byId.get(p.get(0)), byId.get(p.get(1)), texts, shingler);
      if (sim != null && sim >= s.threshold) edges.add(RowFactory.create(p.get(0), p.get(1), false));
    }
    return new Buckets.Edges(spark.createDataFrame(edges, EDGES), near.size(), edges.size());
  }

  /** {@code (member, smallest member)} for every other member of a bucket, as {@link Buckets#starEdges}. */
  private static List<List<String>> star(List<String> members) {
    List<List<String>> out = new ArrayList<>();
    if (members.size() < 2) return out;
    String min = members.get(0);
    for (String m : members) if (DriverClusters.compareIds(m, min) < 0) min = m;
    for (String m : members) if (!m.equals(min)) out.add(List.of(m, min));
    return out;
  }

  private static Double similarity(String verify, Keys a, Keys c, Map<String, String> texts, Shingler shingler) {
    return switch (verify) {
      case "none" -> 1.0;
      case "jaccard" -> {
        String x = texts.get(a.docId()), y = texts.get(c.docId());
        yield x == null || y == null ? null : Jaccard.of(shingler.shingles(x), shingler.shingles(y));
      }
      default -> a.signature() == null || c.signature() == null ? null
          : MinHasher.estimate(MinHasher.fromBytes(a.signature()), MinHasher.fromBytes(c.signature()));
    };
  }

  /** The band index rows (earlier documents) sharing an exact key or a band key with the batch: one scan, filtered by broadcast key sets. */
  private static List<Keys> earlier(DedupBatch b, Set<String> exact, Set<List<Long>> bands) {
    if (exact.isEmpty() && bands.isEmpty()) return List.of();
    HashSet<Long> bandCodes = new HashSet<>();
    for (List<Long> k : bands) bandCodes.add(code(k.get(0), k.get(1)));
    var jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(b.spark().sparkContext());
    Broadcast<HashSet<String>> e = jsc.broadcast(new HashSet<>(exact));
    Broadcast<HashSet<Long>> k = jsc.broadcast(bandCodes);
    try {
      List<Keys> out = new ArrayList<>();
      for (Row r : b.oldIndex().filter(new SharesKey(e, k)).select(col("doc_id"), col("exact_hash"), col("band_keys"), col("signature"))
          .collectAsList()) {
        out.add(Keys.of(r));
      }
      return out;
    } finally {
      e.destroy();
      k.destroy();
    }
  }

  /** One long per (band, key): a prefilter only (collisions are sorted out on the driver by the exact pair). */
  static long code(long band, long key) {
    return key * 0x9E3779B97F4A7C15L + band;
  }

  /**
   * The texts of the candidates' ends, as {@code verify: jaccard} reads them in Spark: the batch's
   * (cleaned) from line dedup's cached read, earlier documents' from the snapshot.
   */
  private static Map<String, String> texts(DedupBatch b, Set<List<String>> pairs) {
    Map<String, String> out = new HashMap<>();
    if (pairs.isEmpty()) return out;
    Set<String> ids = new LinkedHashSet<>();
    for (List<String> p : pairs) ids.addAll(p);
    collectTexts(b.fresh(), ids, out);
    ids.removeAll(out.keySet());
    if (!ids.isEmpty() && b.hasIndex()) collectTexts(b.filtered(), ids, out);
    return out;
  }

  private static void collectTexts(Dataset<Row> docs, Set<String> ids, Map<String, String> out) {
    List<Row> idRows = new ArrayList<>();
    for (String id : ids) idRows.add(RowFactory.create(id));
    Dataset<Row> nodes = broadcast(docs.sparkSession().createDataFrame(idRows, IDS));
    for (Row r : docs.select(col("doc_id"), col("text")).join(nodes, "doc_id").collectAsList()) out.put(r.getString(0), r.getString(1));
  }

  /** Executor side of the index scan: keeps the rows whose exact key or one of whose band keys the batch has. */
  private static final class SharesKey implements FilterFunction<Row> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<HashSet<String>> exact;
    private final Broadcast<HashSet<Long>> bands;

    SharesKey(Broadcast<HashSet<String>> exact, Broadcast<HashSet<Long>> bands) {
      this.exact = exact;
      this.bands = bands;
    }

    @Override
    public boolean call(Row r) {
      if (exact.value().contains(r.<String>getAs("exact_hash"))) return true;
      int i = r.fieldIndex("band_keys");
      if (r.isNullAt(i)) return false;
      List<Long> keys = r.getList(i);
      HashSet<Long> set = bands.value();
      for (int j = 0; j < keys.size(); j++) if (set.contains(code(j, keys.get(j)))) return true;
      return false;
    }
  }
}
