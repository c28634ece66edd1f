package dev.sieve.tokenize.spark;

import static org.apache.spark.sql.functions.col;

import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.spark.DeltaIncrement;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.StageRun;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code gold/shard_manifest}, one row per shard ({@link WriteShards#MANIFEST}): which
 * {@code silver/clean} documents a dataset already holds, and the commit that makes a batch's
 * shards visible (MERGE on {@code dataset, path}; with {@code --full} the dataset's earlier rows go
 * in the same commit).
 */
final class ShardManifest {
  private ShardManifest() {}

  /**
   * What the written shards hold.
   *
   * @param sequences sequences over all shards (one per document copy)
   * @param tokens tokens over all shards, end-of-text tokens included
   * @param languageShares share of the tokens per language, in [0, 1]
   */
  record Totals(long sequences, long tokens, Map<String, Double> languageShares) {
    static Totals of(List<Row> manifest) {
      long sequences = 0, tokens = 0;
      Map<String, Long> byLanguage = new TreeMap<>();
      for (Row m : manifest) {
        sequences += m.getLong(m.fieldIndex("sequences"));
        tokens += m.getLong(m.fieldIndex("tokens"));
        Map<String, Long> l = m.getJavaMap(m.fieldIndex("tokens_by_language"));
        l.forEach((k, v) -> byLanguage.merge(k, v, Long::sum));
      }
      Map<String, Double> shares = new TreeMap<>();
      for (Map.Entry<String, Long> e : byLanguage.entrySet()) shares.put(e.getKey(), e.getValue() / (double) tokens);
      return new Totals(sequences, tokens, shares);
    }
  }

  /**
   * The documents of {@code input} ({@code silver/clean} or {@code silver/decontaminated}) at
   * {@code version} that {@code dataset} does not hold yet: those added since the version of
   * {@code input} its last batch read (all of them with {@code --full} or without a manifest). When
   * the commits since that version only added rows, only the files they added are read
   * ({@link DeltaIncrement#added}); otherwise the whole table, anti-joined with that version's ids.
   * Counts {@code input_rows_read} on the run (rows read before the anti-join).
   *
   * @throws ConfigException when the dataset's last batch was read from the other table (turning
   *     decontamination on or off changes tokenize's input): the shards then hold documents the new
   *     input would not give, or miss some, and only {@code --full} rebuilds them consistently
   */
  static Dataset<Row> unseen(StageRun run, String input, long version, String dataset, boolean full) {
    SparkSession spark = run.spark();
    Lake lake = run.lake();
    String manifestPath = lake.path(Lake.GOLD_SHARD_MANIFEST);
    List<Row> lasts = full || !DeltaTables.exists(spark, manifestPath) ? List.of()
        : DeltaTables.read(spark, manifestPath).where(col("dataset").equalTo(dataset)).orderBy(col("source_version").desc(),
            col("written_at").desc()).select("source_version", "run_id", "written_at").limit(1).collectAsList();
    if (lasts.isEmpty()) return DeltaIncrement.whole(spark, lake.path(input), version).countOn(run);
    Row last = lasts.get(0);
    String readBefore = inputOf(run.versionsReadBy(last.getString(1)));
    if (readBefore != null && !readBefore.equals(input)) {
      throw new ConfigException("tokenize reads " + input + " now, but dataset '" + dataset + "' was tokenized from " + readBefore
          + " (decontaminate.benchmarks was turned " + (Lake.SILVER_DECONTAMINATED.equals(input) ? "on" : "off")
          + "): run 'sieve tokenize --full' to rebuild its shards from " + input);
    }
    // Rows are unique on doc_id in input, so what the commits since added is what the dataset lacks.
    var added = DeltaIncrement.added(spark, lake.path(input), last.getLong(0), version, last.getTimestamp(2).toInstant());
    if (added.isPresent()) return added.get().countOn(run);
    Dataset<Row> done = DeltaTables.read(spark, lake.path(input), last.getLong(0)).select(col("doc_id"));
    return DeltaIncrement.whole(spark, lake.path(input), version).countOn(run).join(done, "doc_id", "left_anti");
  }


  /** The document table ({@code silver/clean} or {@code silver/decontaminated}) in a tokenize run's {@code versions_read}, or null. */
  private static String inputOf(Map<String, Long> read) {
    if (read.containsKey(Lake.SILVER_DECONTAMINATED)) return Lake.SILVER_DECONTAMINATED;
    if (read.containsKey(Lake.SILVER_CLEAN)) return Lake.SILVER_CLEAN;
    return null;
  }

  /**
   * Commits a batch's manifest rows: the moment its shards become visible.
   *
   * @return the rows the manifest gains (with {@code --full}, less the dataset's rows it replaces)
   */
  static long commit(StageRun run, List<Row> manifest, String dataset, boolean full) {
    SparkSession spark = run.spark();
    String manifestPath = run.lake().path(Lake.GOLD_SHARD_MANIFEST);
    Dataset<Row> rows = spark.createDataFrame(manifest, WriteShards.MANIFEST);
    run.output(Lake.GOLD_SHARD_MANIFEST);
    long datasetShardsBefore = !full || !DeltaTables.exists(spark, manifestPath) ? 0
        : DeltaTables.read(spark, manifestPath).where(col("dataset").equalTo(dataset)).count();
    if (full && DeltaTables.exists(spark, manifestPath)) {
      run.wrote(Lake.GOLD_SHARD_MANIFEST,
          DeltaTables.mergeReplacing(rows, manifestPath, "t.dataset = '" + dataset.replace("'", "''") + "'", "dataset", "path"));
    } else {
      run.wrote(Lake.GOLD_SHARD_MANIFEST, DeltaTables.merge(rows, manifestPath, DeltaTables.OnMatch.UPDATE, "dataset", "path"));
    }
    return manifest.size() - datasetShardsBefore;
  }
}
