package dev.sieve.tokenize.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import dev.sieve.core.spark.ProgressLine;
import dev.sieve.core.spark.StageRun;
import dev.sieve.tokenize.MixtureWeights;
import dev.sieve.tokenize.Splits;
import dev.sieve.tokenize.TokenizeSettings;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

/**
 * How many copies of each encoded document the shards get ({@link MixtureWeights}: natural,
 * temperature or explicit over the groups' train tokens; validation documents always once), and
 * the batch's totals per split that the {@link dev.sieve.tokenize.ShardPlan} is made from.
 */
final class Mixture {
  private Mixture() {}

  /**
   * Per-split totals of a mixed batch.
   *
   * @param tokensBySplit tokens per split, copies counted
   * @param documents encoded documents (each once)
   * @param downsampled documents the mixture gave 0 copies
   * @param copies sequences the shards must hold (Σ copies)
   */
  record Totals(Map<String, Long> tokensBySplit, long documents, long downsampled, long copies) {}

  /**
   * @param encoded {@link TokenizeDocs#OUTPUT} rows
   * @param status the progress line while Spark computes
   * @return {@code encoded} plus {@code copies} (int ≥ 0)
   */
  static Dataset<Row> copies(Dataset<Row> encoded, TokenizeSettings settings, StageRun run, PrintStream progress, Supplier<String> status) {
    Dataset<Row> mixed = encoded.withColumn("copies", lit(1));
    if (settings.mixture.mode.equals("natural")) return mixed;
    // Group sizes in tokens of the train split: what the shares are shares of.
    Map<String, Long> sizes = new TreeMap<>();
    try (var line = new ProgressLine(status, 2000, progress)) {
      for (Row r : encoded.where(col("split").equalTo(Splits.TRAIN)).groupBy("grp").agg(sum(col("n_tokens"))).collectAsList()) {
        sizes.put(r.getString(0), r.getLong(1));
      }
    }
    if (sizes.isEmpty()) return mixed;
    MixtureWeights mixture = settings.mixture.mode.equals("temperature")
        ? MixtureWeights.temperature(sizes, settings.mixture.alpha, settings.mixture.maxRepeats, settings.seed)
        : MixtureWeights.explicit(sizes, settings.mixture.weights, settings.mixture.maxRepeats, settings.seed);
    run.count("mixture_groups", sizes.size());
    progress.printf("tokenize: mixture %s over %s: target token shares %s%n", settings.mixture.mode, settings.mixture.by, mixture.shares());
    var repeats = udf((UDF2<String, String, Integer>) mixture::repeats, DataTypes.IntegerType);
    return encoded.withColumn("copies", when(col("split").equalTo(Splits.TRAIN), repeats.apply(col("grp"), col("doc_id"))).otherwise(lit(1)));
  }

  /** Totals of a mixed batch (one Spark job). */
  static Totals tally(Dataset<Row> mixed, PrintStream progress, Supplier<String> status) {
    Map<String, Long> tokensBySplit = new TreeMap<>();
    long documents = 0, downsampled = 0, copies = 0;
    try (var line = new ProgressLine(status, 2000, progress)) {
      for (Row r : mixed.groupBy("split").agg(sum(col("n_tokens").multiply(col("copies"))), org.apache.spark.sql.functions.count(lit(1)),
              sum(when(col("copies").equalTo(0), 1).otherwise(0)), sum(col("copies")))
          .collectAsList()) {
        tokensBySplit.put(r.getString(0), r.getLong(1));
        documents += r.getLong(2);
        downsampled += r.getLong(3);
        copies += r.getLong(4);
      }
    }
    return new Totals(tokensBySplit, documents, downsampled, copies);
  }
}
