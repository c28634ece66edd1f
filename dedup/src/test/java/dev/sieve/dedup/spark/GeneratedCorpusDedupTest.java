package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.generate.GroundTruth;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dedup of a 5,000-document generated corpus, ingested for real (WARC, WET, WuDao, JSONL; six
 * languages), scored against the planted duplicates per similarity level and against an exact
 * all-pairs Jaccard computation over the same texts.
 */
class GeneratedCorpusDedupTest {
  private final SparkSession spark = TestSpark.session();

  @Test
  void plantedAndAllPairsDuplicatesAreFound(@TempDir Path dir) throws Exception {
    Path corpus = GeneratedLake.corpus(5000, 11);
    Lake lake = GeneratedLake.ingest(spark, corpus, dir.resolve("lake"));
    Dataset<Row> filtered = GeneratedLake.asFiltered(GeneratedLake.bronze(spark, lake));
    GeneratedLake.writeFiltered(filtered, lake, SaveMode.ErrorIfExists);

    DedupJob.Result r = DedupJob.run(spark, lake, SieveConfig.defaults(), "dedup-1", false);
    long docs = filtered.count();
    assertEquals(docs, r.in());
    assertEquals(r.kept(), DeltaTables.count(spark, lake.path(Lake.SILVER_DEDUPED)));
    assertEquals(docs, r.kept() + r.exactRemoved() + r.nearRemoved());
    assertEquals(docs, DeltaTables.count(spark, lake.path(Lake.SILVER_MINHASH_INDEX)));

    Map<String, String> texts = new HashMap<>();
    Map<String, String> keys = new HashMap<>();
    for (Row row : filtered.select(col("doc_id"), col("text"), GeneratedLake.key().as("key")).collectAsList()) {
      texts.put(row.getString(0), row.getString(1));
      keys.put(row.getString(2), row.getString(0));
    }
    Map<String, String> cluster = new HashMap<>();
    Set<String> removed = new HashSet<>();
    for (Row row : DeltaTables.read(spark, lake.path(Lake.SILVER_DUP_CLUSTERS)).select("doc_id", "cluster_id", "kept").collectAsList()) {
      cluster.put(row.getString(0), row.getString(1));
      if (!row.getBoolean(2)) removed.add(row.getString(0));
    }
    DedupEvaluation.Scores s = DedupEvaluation.score(GroundTruth.read(corpus), texts, keys, cluster, removed, 0.8, true);
    System.out.println("dedup on " + docs + " generated documents (threshold 0.8, LSH " + r.lsh() + "):\n" + s.table());
    assertTrue(s.plantedAtThreshold() > 100, "the corpus plants enough pairs: " + s.plantedAtThreshold());
    assertTrue(s.plantedRecall() >= 0.95, "planted recall " + s.plantedRecall());
    assertTrue(s.precision() >= 0.95, "precision " + s.precision());
    assertTrue(s.allPairs() >= s.plantedAtThreshold() / 2, "all-pairs found pairs: " + s.allPairs());
    assertTrue(s.allPairsRecall() >= 0.95, "all-pairs recall " + s.allPairsRecall());
    // Pairs planted at 0.5 are well below the threshold: almost none end up merged.
    DedupEvaluation.Level low = s.byLevel().get("near 0.5");
    assertTrue(low.pairs() > 20 && low.recall() < 0.05, "0.5 pairs merged: " + low);
  }
}
