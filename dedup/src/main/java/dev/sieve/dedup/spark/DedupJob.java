package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.Stage;
import dev.sieve.core.spark.StageRun;
import dev.sieve.dedup.DedupSettings;
import dev.sieve.dedup.KeepPolicy;
import dev.sieve.dedup.LshParams;
import dev.sieve.dedup.MinHasher;
import io.delta.tables.DeltaTable;
import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Dedup: {@code silver/filtered} → {@code silver/deduped} (one document per duplicate cluster),
 * {@code silver/dup_clusters} (every member of every cluster: cluster, kept document, how it
 * matched, its similarity to the kept one) and {@code silver/minhash_index} (the persisted band
 * index: exact key, signature and band keys of every document deduped so far).
 *
 * <p>Phases: <b>signatures</b> of the documents not yet in the index; <b>buckets</b>: candidate
 * edges from equal exact keys and equal LSH band keys, among the new documents and between new
 * and indexed ones, each bucket member linked to the bucket's smallest id (linear in bucket
 * size), then verified; <b>components</b>: connected components ({@link ConnectedComponents}) of
 * the verified edges plus the stored clusters the new documents touch; <b>rewrite</b>: the keep
 * policy picks one document per component and the three tables are MERGEd, the index last (it
 * is what marks documents as done, so a run killed before it is simply redone).
 *
 * <p>Incremental runs give the new documents the same decision deduping everything at once
 * would: components only grow, every component a new document joins is recomputed whole, and
 * when a new document outranks the one an old cluster kept, that old one leaves
 * {@code silver/deduped} in the same commit that adds the new one.
 */
public final class DedupJob {
  public static final String STAGE = "dedup";

  private DedupJob() {}

  /** What a run did. */
  public record Result(String runId, long in, long kept, long exactRemoved, long nearRemoved, long retracted, long clusters,
                       long candidatePairs, long verifiedPairs, int componentRounds, LshParams lsh) {}

  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, boolean full) {
    return run(spark, lake, config, runId, full, System.err);
  }

  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, boolean full, PrintStream progress) {
    DedupSettings settings = config.section("dedup", DedupSettings.class);
    return Stage.run(spark, lake, STAGE, config, runId, run -> new DedupJob.Work(spark, lake, settings, run, progress).dedup(full));
  }

  /** Jaccard similarity estimated from two stored signatures; null when either is missing (a text without tokens). */
  private static final UserDefinedFunction ESTIMATE = org.apache.spark.sql.functions.udf(
      (UDF2<byte[], byte[], Double>) (a, b) -> a == null || b == null ? null : MinHasher.estimate(MinHasher.fromBytes(a), MinHasher.fromBytes(b)),
      DataTypes.DoubleType);

  /** Schema of the band index rows. */
  static final List<String> INDEX_COLUMNS = List.of("doc_id", "exact_hash", "signature", "band_keys", "quality_score", "length",
      "fetch_time");

  private static final class Work {
    private final SparkSession spark;
    private final Lake lake;
    private final DedupSettings settings;
    private final StageRun run;
    private final PrintStream progress;
    private final LshParams lsh;
    private long phaseStart = System.nanoTime();
    private String phase;

    Work(SparkSession spark, Lake lake, DedupSettings settings, StageRun run, PrintStream progress) {
      this.spark = spark;
      this.lake = lake;
      this.settings = settings;
      this.run = run;
      this.progress = progress;
      this.lsh = settings.lshParams();
    }

    Result dedup(boolean full) {
      String filteredPath = lake.path(Lake.SILVER_FILTERED);
      String indexPath = lake.path(Lake.SILVER_MINHASH_INDEX);
      String clustersPath = lake.path(Lake.SILVER_DUP_CLUSTERS);
      String dedupedPath = lake.path(Lake.SILVER_DEDUPED);
      long filteredVersion = run.readInput(Lake.SILVER_FILTERED, "sieve filter");
      if (full && DeltaTables.exists(spark, indexPath)) {
        // Invalidate the index first: if this run dies later, the next one starts over.
        DeltaTable.forPath(spark, indexPath).delete();
      }
      boolean haveIndex = DeltaTables.exists(spark, indexPath);
      if (haveIndex) checkIndexParams(indexPath);
      run.count("bands", lsh.bands());
      run.count("rows", lsh.rows());

      Dataset<Row> filtered = DeltaTables.read(spark, filteredPath, filteredVersion);
      Dataset<Row> oldIdx = haveIndex ? DeltaTables.read(spark, indexPath).select(cols(INDEX_COLUMNS)) : null;
      Dataset<Row> batch = filtered.select(col("doc_id"), col("text"), col("quality_score"), col("fetch_time"));
      if (oldIdx != null) batch = batch.join(oldIdx.select(col("doc_id")), "doc_id", "left_anti");

      // Phase 1: signatures.
      phase("signatures");
      LongAccumulator hashed = spark.sparkContext().longAccumulator("dedup_signatures");
      Dataset<Row> sigs = batch.mapPartitions(new ComputeSignatures(settings, lsh, hashed), ExpressionEncoder.apply(ComputeSignatures.OUTPUT))
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        long in;
        try (var line = new dev.sieve.core.spark.ProgressLine(() -> "dedup: signatures " + hashed.value() + " documents", 2000, progress)) {
          in = sigs.count();
        }
        done(in + " new documents (LSH " + lsh + ", threshold " + settings.threshold + ")");
        if (in == 0) return new Result(run.runId(), 0, 0, 0, 0, 0, 0, 0, 0, 0, lsh);
        return afterSignatures(full, in, sigs, oldIdx, filtered, indexPath, clustersPath, dedupedPath);
      } finally {
        sigs.unpersist();
      }
    }

    private Result afterSignatures(boolean full, long in, Dataset<Row> sigs, Dataset<Row> oldIdx, Dataset<Row> filtered,
                                   String indexPath, String clustersPath, String dedupedPath) {
      // Phase 2: buckets → candidate edges → verified edges.
      phase("buckets");
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
        Dataset<Row> verified = verify(near, sigs, oldIdx, filtered).where(col("similarity").geq(settings.threshold))
            .select(col("src"), col("dst"), lit(false).as("exact"));
        edges = edges == null ? verified : edges.union(verified);
      }
      edges = edges.persist(StorageLevel.MEMORY_AND_DISK());
      try {
        long verifiedPairs = edges.count();
        run.count("candidate_pairs", candidates);
        run.count("duplicate_edges", verifiedPairs);
        done(candidates + " near-duplicate candidate pairs, " + verifiedPairs + " duplicate edges");

        // Phase 3: components, over the new edges and the stored clusters they touch.
        phase("components");
        Dataset<Row> graph = edges.select(col("src"), col("dst"));
        boolean haveClusters = !full && DeltaTables.exists(spark, clustersPath);
        Dataset<Row> oldClusters = haveClusters ? DeltaTables.read(spark, clustersPath).select(col("doc_id"), col("cluster_id"), col("kept")) : null;
        if (oldClusters != null) {
          Dataset<Row> endpoints = graph.select(col("src").as("doc_id")).union(graph.select(col("dst").as("doc_id"))).distinct();
          Dataset<Row> touched = oldClusters.join(endpoints, "doc_id").select(col("cluster_id")).distinct();
          graph = graph.union(oldClusters.join(touched, "cluster_id").select(col("doc_id").as("src"), col("cluster_id").as("dst")));
        }
        if (settings.checkpointDir != null) spark.sparkContext().setCheckpointDir(settings.checkpointDir);
        int[] rounds = {0};
        Dataset<Row> components = ConnectedComponents.run(graph, r -> {
          rounds[0] = r;
          progress.print("\rdedup: components round " + r + "   ");
          progress.flush();
        });
        if (rounds[0] > 0) progress.print("\r");
        run.count("component_rounds", rounds[0]);
        done(rounds[0] + " rounds");

        // Phase 4: keep policy and rewrite.
        phase("rewrite");
        Dataset<Row> attrs = sigs.select(cols(INDEX_COLUMNS));
        if (oldIdx != null) attrs = attrs.union(oldIdx.join(components.select(col("doc_id")), "doc_id").select(cols(INDEX_COLUMNS)));
        Dataset<Row> members = components.join(attrs, "doc_id");
        WindowSpec byCluster = Window.partitionBy("root").orderBy(order(settings.keepPolicy()));
        Dataset<Row> ranked = members
            .withColumn("rank", row_number().over(byCluster))
            .withColumn("kept_doc_id", first(col("doc_id")).over(byCluster))
            .withColumn("kept_exact", first(col("exact_hash")).over(byCluster))
            .withColumn("kept_signature", first(col("signature")).over(byCluster))
            .withColumn("cluster_size", count(lit(1)).over(Window.partitionBy("root")).cast("int"));
        Dataset<Row> clusters = ranked.select(
                col("doc_id"), col("root").as("cluster_id"), col("kept_doc_id"), col("rank").equalTo(1).as("kept"),
                when(col("exact_hash").equalTo(col("kept_exact")), lit("exact")).otherwise(lit("near")).as("match"),
                when(col("exact_hash").equalTo(col("kept_exact")), lit(1.0))
                    .otherwise(ESTIMATE.apply(col("signature"), col("kept_signature"))).as("similarity"),
                col("cluster_size"), lit(run.runId()).as("run_id"))
            .persist(StorageLevel.MEMORY_AND_DISK());
        try {
          return rewrite(full, in, candidates, verifiedPairs, rounds[0], sigs, filtered, clusters, oldClusters, oldIdx, indexPath,
              clustersPath, dedupedPath);
        } finally {
          clusters.unpersist();
        }
      } finally {
        edges.unpersist();
      }
    }

    private Result rewrite(boolean full, long in, long candidates, long verifiedPairs, int rounds, Dataset<Row> sigs, Dataset<Row> filtered,
                           Dataset<Row> clusters, Dataset<Row> oldClusters, Dataset<Row> oldIdx, String indexPath, String clustersPath,
                           String dedupedPath) {
      Dataset<Row> newIds = sigs.select(col("doc_id"));
      Dataset<Row> dropped = clusters.where(col("kept").equalTo(false));
      long exactRemoved = 0, nearRemoved = 0, newKeptInClusters = 0;
      for (Row r : clusters.join(newIds, "doc_id").groupBy(col("kept"), col("match")).count().collectAsList()) {
        if (r.getBoolean(0)) newKeptInClusters += r.getLong(2);
        else if (r.getString(1).equals("exact")) exactRemoved += r.getLong(2);
        else nearRemoved += r.getLong(2);
      }
      long kept = in - exactRemoved - nearRemoved;
      long retracted = 0;
      if (oldIdx != null) {
        Dataset<Row> oldDropped = dropped.join(oldIdx.select(col("doc_id")), "doc_id");
        if (oldClusters != null) oldDropped = oldDropped.join(oldClusters.where(col("kept").equalTo(false)).select(col("doc_id")), "doc_id", "left_anti");
        retracted = oldDropped.count();
      }
      long clusterCount = clusters.select(col("cluster_id")).distinct().count();
      long dedupedBefore = run.output(Lake.SILVER_DEDUPED);
      run.output(Lake.SILVER_MINHASH_INDEX);

      // silver/deduped: insert the new singletons and every kept member, delete every dropped one, in one commit.
      Dataset<Row> keepIds = newIds.join(clusters.select(col("doc_id")), "doc_id", "left_anti").withColumn("cluster_id", lit(null).cast("string"))
          .union(clusters.where(col("kept")).select(col("doc_id"), col("cluster_id")));
      Dataset<Row> keepRows = filtered.join(keepIds, "doc_id").drop("run_id").withColumn("run_id", lit(run.runId()));
      // What the commit below will do to silver/deduped, measured before it: a rerun after a crash
      // finds some of it done already.
      long dedupedGain = full ? kept - dedupedBefore
          : DeltaTables.countNew(keepRows, dedupedPath, "doc_id")
              - DeltaTables.countExisting(dropped.select(col("doc_id")).join(keepRows.select(col("doc_id")), "doc_id", "left_anti"), dedupedPath, "doc_id");
      if (full) {
        keepRows.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true").save(dedupedPath);
      } else {
        DeltaTables.insertUpdateDelete(keepRows, dropped.select(col("doc_id")), dedupedPath, "doc_id", "cluster_id", "run_id");
      }
      run.wrote(Lake.SILVER_DEDUPED, DeltaTables.version(spark, dedupedPath));

      if (full) {
        clusters.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true").save(clustersPath);
      } else {
        DeltaTables.merge(clusters, clustersPath, DeltaTables.OnMatch.UPDATE, "doc_id");
      }
      run.wrote(Lake.SILVER_DUP_CLUSTERS, DeltaTables.version(spark, clustersPath));

      // Last: the index marks these documents as done.
      Dataset<Row> indexRows = sigs.withColumn("index_params", lit(settings.indexParams())).withColumn("run_id", lit(run.runId()));
      run.wrote(Lake.SILVER_MINHASH_INDEX, DeltaTables.merge(indexRows, indexPath, DeltaTables.OnMatch.KEEP, "doc_id"));
      done(kept + " kept, " + exactRemoved + " exact and " + nearRemoved + " near duplicates removed"
          + (retracted > 0 ? ", " + retracted + " earlier documents replaced by better new ones" : ""));

      run.in(in);
      run.out(kept);
      run.count("kept", kept);
      run.dropped("exact_duplicates", exactRemoved);
      run.dropped("near_duplicates", nearRemoved);
      // New survivors in; earlier survivors a better new duplicate replaced, out (--full: replaced whole).
      run.gained(Lake.SILVER_DEDUPED, dedupedGain);
      run.gained(Lake.SILVER_MINHASH_INDEX, in);
      run.count("retracted", retracted);
      run.count("clusters", clusterCount);
      return new Result(run.runId(), in, kept, exactRemoved, nearRemoved, retracted, clusterCount, candidates, verifiedPairs, rounds, lsh);
    }

    /** Candidate pairs with their similarity: estimated from signatures, or the true Jaccard of the texts. */
    private Dataset<Row> verify(Dataset<Row> near, Dataset<Row> sigs, Dataset<Row> oldIdx, Dataset<Row> filtered) {
      if (settings.verify.equals("jaccard")) {
        Dataset<Row> endpoints = near.select(col("src").as("doc_id")).union(near.select(col("dst").as("doc_id"))).distinct();
        Dataset<Row> texts = filtered.select(col("doc_id"), col("text")).join(endpoints, "doc_id");
        Dataset<Row> pairs = near
            .join(texts.select(col("doc_id").as("src"), col("text").as("src_text")), "src")
            .join(texts.select(col("doc_id").as("dst"), col("text").as("dst_text")), "dst")
            .select(col("src"), col("dst"), col("src_text"), col("dst_text"));
        return pairs.mapPartitions(new VerifyJaccard(settings.wordNgram, settings.cjkNgram), ExpressionEncoder.apply(VerifyJaccard.OUTPUT));
      }
      Dataset<Row> signatures = sigs.select(col("doc_id"), col("signature"));
      if (oldIdx != null) {
        Dataset<Row> endpoints = near.select(col("src").as("doc_id")).union(near.select(col("dst").as("doc_id"))).distinct();
        signatures = signatures.union(oldIdx.select(col("doc_id"), col("signature")).join(endpoints, "doc_id"));
      }
      Dataset<Row> withSigs = near
          .join(signatures.select(col("doc_id").as("src"), col("signature").as("a")), "src")
          .join(signatures.select(col("doc_id").as("dst"), col("signature").as("b")), "dst");
      Column similarity = settings.verify.equals("none") ? lit(1.0) : ESTIMATE.apply(col("a"), col("b"));
      return withSigs.select(col("src"), col("dst"), similarity.as("similarity"));
    }

    private void checkIndexParams(String indexPath) {
      List<Row> params = DeltaTables.read(spark, indexPath).select(col("index_params")).distinct().limit(2).collectAsList();
      String want = settings.indexParams();
      for (Row r : params) {
        if (!want.equals(r.getString(0))) {
          throw new ConfigException("dedup settings changed since the band index was built (index: " + r.getString(0) + "; now: " + want
              + "): run 'sieve dedup --full' to rebuild it");
        }
      }
    }

    private void phase(String name) {
      phase = name;
      phaseStart = System.nanoTime();
      spark.sparkContext().setJobDescription("sieve dedup: " + name);
    }

    private void done(String what) {
      progress.printf("dedup: %-10s %s (%.1f s)%n", phase, what, (System.nanoTime() - phaseStart) / 1e9);
      progress.flush();
    }
  }

  /**
   * Edges linking every member of a bucket (rows sharing the {@code by} columns) to the bucket's
   * smallest {@code doc_id}: a bucket of k members gives k − 1 edges, never k².
   */
  static Dataset<Row> starEdges(Dataset<Row> members, String... by) {
    Column[] keys = new Column[by.length];
    for (int i = 0; i < by.length; i++) keys[i] = col(by[i]);
    Dataset<Row> mins = members.groupBy(keys).agg(min("doc_id").as("dst"));
    return members.join(mins, by).where(col("doc_id").notEqual(col("dst"))).select(col("doc_id").as("src"), col("dst"));
  }

  /** Window order of a keep policy: the first row of each cluster is the survivor. */
  static Column[] order(KeepPolicy policy) {
    return switch (policy) {
      case HIGHEST_QUALITY -> new Column[] {col("quality_score").desc_nulls_last(), col("doc_id").asc()};
      case LONGEST -> new Column[] {col("length").desc(), col("doc_id").asc()};
      case EARLIEST -> new Column[] {col("fetch_time").asc_nulls_last(), col("doc_id").asc()};
      case SMALLEST_ID -> new Column[] {col("doc_id").asc()};
    };
  }

  private static Column[] cols(List<String> names) {
    return names.stream().map(n -> col(n)).toArray(Column[]::new);
  }
}
