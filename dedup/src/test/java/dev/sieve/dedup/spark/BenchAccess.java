package dev.sieve.dedup.spark;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.generate.GroundTruth;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/** The test helpers of this package, for {@code bench/dedup}. */
public final class BenchAccess {
  private BenchAccess() {}

  public static List<String[]> texts(Path corpus) throws Exception {
    return IncrementalDedupTest.texts(corpus);
  }

  public static void writeFiltered(SparkSession spark, Lake lake, Map<String, String> texts, SaveMode mode) {
    List<DedupJobTest.D> docs = new ArrayList<>();
    texts.forEach((id, t) -> docs.add(new DedupJobTest.D(id, t, Integer.parseInt(id.substring(0, 6), 16) / (double) (1 << 24), null)));
    DedupJobTest.write(spark, lake, docs, mode);
  }

  public static DedupJob.Result dedup(SparkSession spark, Lake lake, SieveConfig config) {
    return DedupJob.run(spark, lake, config, "bench", false, System.err);
  }

  /** Planted-pair recall and true-Jaccard precision (no all-pairs pass). */
  public static Scores score(GroundTruth truth, Map<String, String> texts, Map<String, String> keys, Map<String, String> cluster,
                             Set<String> removed, double threshold) {
    return new Scores(DedupEvaluation.score(truth, texts, keys, cluster, removed, threshold, false));
  }

  /** Public view of {@link DedupEvaluation.Scores}. */
  public record Scores(DedupEvaluation.Scores s) {
    public double plantedRecall() { return s.plantedRecall(); }
    public double precision() { return s.precision(); }
    public String table() { return s.table(); }
  }
}
