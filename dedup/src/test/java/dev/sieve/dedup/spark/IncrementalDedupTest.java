package dev.sieve.dedup.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.DocIds;
import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.generate.GeneratedCorpus;
import dev.sieve.generate.GroundTruth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deduping a corpus in two batches gives exactly the tables deduping it at once gives: same
 * clusters, same survivors — including clusters where a document of the second batch outranks the
 * one the first batch kept, which must then leave {@code silver/deduped}.
 */
class IncrementalDedupTest {
  private final SparkSession spark = TestSpark.session();

  @Test
  void twoBatchesEqualOneRun(@TempDir Path dir) throws Exception {
    Path corpus = GeneratedLake.corpus(3000, 23);
    List<List<DedupJobTest.D>> batches = batches(corpus, 1500);
    List<DedupJobTest.D> first = batches.get(0);
    List<DedupJobTest.D> second = batches.get(1);
    Lake once = new Lake(dir.resolve("once").toString());
    List<DedupJobTest.D> all = new ArrayList<>(first);
    all.addAll(second);
    DedupJobTest.write(spark, once, all, SaveMode.ErrorIfExists);
    DedupJob.Result r = DedupJob.run(spark, once, SieveConfig.defaults(), "once", false);
    assertTrue(r.exactRemoved() > 5 && r.nearRemoved() > 5, r.toString());

    Lake twice = new Lake(dir.resolve("twice").toString());
    DedupJobTest.write(spark, twice, first, SaveMode.ErrorIfExists);
    DedupJob.Result a = DedupJob.run(spark, twice, SieveConfig.defaults(), "batch-1", false);
    DedupJobTest.write(spark, twice, second, SaveMode.Append);
    DedupJob.Result b = DedupJob.run(spark, twice, SieveConfig.defaults(), "batch-2", false);
    assertEquals(first.size(), a.in());
    assertEquals(second.size(), b.in(), "the second run hashes only the new documents");
    assertTrue(b.retracted() > 0, "some new documents outrank the ones batch 1 kept: " + b);
    Row run2 = DeltaTables.read(spark, twice.path(Lake.STAGE_RUNS)).where("stage = 'dedup' AND run_id = 'batch-2'").head();
    java.util.Map<String, Long> counts = new java.util.TreeMap<>(run2.<String, Long>getJavaMap(run2.fieldIndex("counts")));
    counts.keySet().removeIf(k -> !k.startsWith("input_"));
    assertEquals(java.util.Map.of("input_rows_read", (long) second.size()), counts,
        "only the rows silver/filtered gained are read, not the whole table anti-joined with the index");

    assertEquals(clusters(once), clusters(twice));
    assertEquals(deduped(once), deduped(twice));
    assertEquals(r.kept(), deduped(twice).size());
  }

  private TreeSet<String> clusters(Lake lake) {
    TreeSet<String> out = new TreeSet<>();
    for (Row row : DeltaTables.read(spark, lake.path(Lake.SILVER_DUP_CLUSTERS))
        .select("doc_id", "cluster_id", "kept_doc_id", "kept", "match", "cluster_size").collectAsList()) {
      out.add(row.mkString(" "));
    }
    return out;
  }

  private TreeSet<String> deduped(Lake lake) {
    TreeSet<String> out = new TreeSet<>();
    for (Row row : DeltaTables.read(spark, lake.path(Lake.SILVER_DEDUPED)).select("doc_id", "cluster_id").collectAsList()) {
      out.add(row.mkString(" "));
    }
    return out;
  }

  /** (key, text) of the JSONL and WuDao documents, as written. */
  /**
   * The corpus' documents as two batches: generator index below {@code split}, then the rest; ids
   * from the key, quality a fixed function of the id.
   */
  static List<List<DedupJobTest.D>> batches(Path corpus, int split) throws java.io.IOException {
    Map<String, Integer> index = new HashMap<>();
    for (JsonNode n : GroundTruth.read(corpus).ofType("doc")) index.put(n.get("key").asText(), n.get("index").asInt());
    List<DedupJobTest.D> first = new ArrayList<>();
    List<DedupJobTest.D> second = new ArrayList<>();
    for (String[] d : texts(corpus)) {
      String id = DocIds.of("test", d[0], "0");
      double quality = Integer.parseInt(id.substring(0, 6), 16) / (double) (1 << 24);
      (index.get(d[0]) < split ? first : second).add(new DedupJobTest.D(id, d[1], quality, null));
    }
    return List.of(first, second);
  }

  static List<String[]> texts(Path corpus) {
    List<String[]> out = new ArrayList<>();
    for (GeneratedCorpus.Doc d : new GeneratedCorpus(corpus).documents()) out.add(new String[] {d.key(), d.text()});
    return out;
  }
}
