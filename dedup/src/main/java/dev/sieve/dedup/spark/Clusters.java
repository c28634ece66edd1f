package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.dedup.KeepPolicy;
import java.io.PrintStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;

/**
 * Dedup phase 3, {@code components}: the duplicate clusters a batch forms or joins, and each
 * cluster's survivor. Clusters are the connected components of the batch's duplicate edges plus
 * the stored {@code silver/dup_clusters} clusters they touch — by union-find on the driver for a
 * graph of at most {@link DriverClusters#MAX_EDGES} edges ({@link DriverClusters}), else in Spark
 * ({@link ConnectedComponents}) — so a
 * cluster a new document joins is recomputed whole; the keep policy ({@code dedup.keep}) ranks
 * each cluster's members and the first survives. Writes nothing; records
 * {@code component_rounds}.
 *
 * @param rows one row per member of every touched cluster, the {@code silver/dup_clusters} shape:
 *     {@code doc_id, cluster_id} (the component's smallest {@code doc_id}), {@code kept_doc_id},
 *     {@code kept} (boolean), {@code match} ({@code exact} or {@code near}, against the kept one),
 *     {@code similarity} (double, 1.0 for exact), {@code cluster_size} (int), {@code run_id}; cached
 * @param oldClusters the stored clusters ({@code doc_id, cluster_id, kept}), or null on a first or
 *     {@code --full} run
 * @param rounds Large-Star/Small-Star rounds the components took (0 when clustered on the driver)
 * @param summary the rewrite phase's counts, when the clusters were formed on the driver
 *     ({@link DriverClusters}); null when they are Spark datasets to count
 */
record Clusters(Dataset<Row> rows, Dataset<Row> oldClusters, int rounds, DriverClusters.Summary summary) implements AutoCloseable {

  /** Finds the clusters of a batch's edges and picks their survivors (cached: close them). */
  static Clusters of(DedupBatch b, Buckets.Edges edges, Phases phases) {
    phases.start("components");
    SparkSession spark = b.spark();
    Dataset<Row> graph = edges.pairs().select(col("src"), col("dst"));
    String clustersPath = b.path(Lake.SILVER_DUP_CLUSTERS);
    boolean haveClusters = !b.full() && DeltaTables.exists(spark, clustersPath);
    Dataset<Row> oldClusters = haveClusters ? DeltaTables.read(spark, clustersPath).select(col("doc_id"), col("cluster_id"), col("kept")) : null;
    if (edges.verified() <= DriverClusters.maxEdges) {
      // A small graph: union-find on the driver, no rounds.
      Clusters c = DriverClusters.of(b, graph.collectAsList(), oldClusters);
      b.run().count("component_rounds", 0);
      phases.done(c.summary().clusters() + " clusters (union-find on the driver)");
      return c;
    }
    if (oldClusters != null) {
      Dataset<Row> endpoints = Buckets.endpoints(graph);
      Dataset<Row> touched = oldClusters.join(endpoints, "doc_id").select(col("cluster_id")).distinct();
      graph = graph.union(oldClusters.join(touched, "cluster_id").select(col("doc_id").as("src"), col("cluster_id").as("dst")));
    }
    if (b.settings().checkpointDir != null) spark.sparkContext().setCheckpointDir(b.settings().checkpointDir);
    int[] rounds = {0};
    PrintStream progress = phases.progress();
    Dataset<Row> components = ConnectedComponents.run(graph, r -> {
      rounds[0] = r;
      progress.print("\rdedup: components round " + r + "   ");
      progress.flush();
    });
    if (rounds[0] > 0) progress.print("\r");
    b.run().count("component_rounds", rounds[0]);
    phases.done(rounds[0] + " rounds");
    return new Clusters(keep(b, components), oldClusters, rounds[0], null);
  }

  /** Ranks each component's members by the keep policy: the {@link #rows} shape, cached. */
  private static Dataset<Row> keep(DedupBatch b, Dataset<Row> components) {
    Dataset<Row> attrs = b.signatures().select(BandIndex.columns());
    if (b.hasIndex()) attrs = attrs.union(b.oldIndex().join(components.select(col("doc_id")), "doc_id").select(BandIndex.columns()));
    Dataset<Row> members = components.join(attrs, "doc_id");
    WindowSpec byCluster = Window.partitionBy("root").orderBy(order(b.settings().keepPolicy()));
    Dataset<Row> ranked = members
        .withColumn("rank", row_number().over(byCluster))
        .withColumn("kept_doc_id", first(col("doc_id")).over(byCluster))
        .withColumn("kept_exact", first(col("exact_hash")).over(byCluster))
        .withColumn("kept_signature", first(col("signature")).over(byCluster))
        .withColumn("cluster_size", count(lit(1)).over(Window.partitionBy("root")).cast("int"));
    return ranked.select(
            col("doc_id"), col("root").as("cluster_id"), col("kept_doc_id"), col("rank").equalTo(1).as("kept"),
            when(col("exact_hash").equalTo(col("kept_exact")), lit("exact")).otherwise(lit("near")).as("match"),
            when(col("exact_hash").equalTo(col("kept_exact")), lit(1.0))
                .otherwise(Signatures.ESTIMATE.apply(col("signature"), col("kept_signature"))).as("similarity"),
            col("cluster_size"), lit(b.run().runId()).as("run_id"))
        .persist(StorageLevel.MEMORY_AND_DISK());
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

  @Override
  public void close() {
    rows.unpersist();
  }
}
