package dev.sieve.dedup.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TestSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bucketing and clustering on the driver ({@link DriverBuckets}; union-find, {@link DriverClusters})
 * and in Spark (joins and aggregations; Large-Star/Small-Star and a window) write the same {@code silver/dup_clusters} and {@code silver/deduped} rows and
 * report the same counts: one lake deduped at once on the driver, another in two batches with
 * every graph sent down the Spark path (so incremental runs are checked on that path too).
 */
class DriverClustersTest {
  private final SparkSession spark = TestSpark.session();

  @Test
  void driverAndSparkPathsAgree(@TempDir Path dir) throws Exception {
    Path corpus = GeneratedLake.corpus(2000, 31);
    List<List<DedupJobTest.D>> batches = IncrementalDedupTest.batches(corpus, 1000);
    List<DedupJobTest.D> first = batches.get(0);
    List<DedupJobTest.D> second = batches.get(1);
    List<DedupJobTest.D> all = new ArrayList<>(first);
    all.addAll(second);
    Lake driver = new Lake(dir.resolve("driver").toString());
    DedupJobTest.write(spark, driver, all, SaveMode.ErrorIfExists);
    DedupJob.Result d = DedupJob.run(spark, driver, SieveConfig.defaults(), "driver", false);
    assertEquals(0, d.componentRounds(), "a small graph is clustered on the driver");

    Lake sparkLake = new Lake(dir.resolve("spark").toString());
    DedupJob.Result a, b;
    DriverClusters.maxEdges = -1;
    DriverBuckets.maxDocs = -1;
    try {
      DedupJobTest.write(spark, sparkLake, first, SaveMode.ErrorIfExists);
      a = DedupJob.run(spark, sparkLake, SieveConfig.defaults(), "spark-1", false);
      DedupJobTest.write(spark, sparkLake, second, SaveMode.Append);
      b = DedupJob.run(spark, sparkLake, SieveConfig.defaults(), "spark-2", false);
    } finally {
      DriverClusters.maxEdges = DriverClusters.MAX_EDGES;
      DriverBuckets.maxDocs = DriverBuckets.MAX_DOCS;
    }
    assertTrue(a.componentRounds() > 0 && b.componentRounds() > 0, "the Spark path ran its rounds");
    assertTrue(d.exactRemoved() > 5 && d.nearRemoved() > 5, d.toString());
    assertEquals(d.kept(), a.kept() + b.kept() - b.retracted());
    assertEquals(d.clusters(), rows(sparkLake, "cluster_id").size());
    assertEquals(rows(driver, "doc_id", "cluster_id", "kept_doc_id", "kept", "match", "similarity", "cluster_size"),
        rows(sparkLake, "doc_id", "cluster_id", "kept_doc_id", "kept", "match", "similarity", "cluster_size"));
    assertEquals(deduped(driver), deduped(sparkLake));
  }

  private TreeSet<String> rows(Lake lake, String... columns) {
    TreeSet<String> out = new TreeSet<>();
    for (Row row : DeltaTables.read(spark, lake.path(Lake.SILVER_DUP_CLUSTERS)).selectExpr(columns).collectAsList()) out.add(row.mkString(" "));
    return out;
  }

  private TreeSet<String> deduped(Lake lake) {
    TreeSet<String> out = new TreeSet<>();
    for (Row row : DeltaTables.read(spark, lake.path(Lake.SILVER_DEDUPED)).select("doc_id", "cluster_id").collectAsList()) {
      out.add(row.mkString(" "));
    }
    return out;
  }
}
