package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.StageRun;
import dev.sieve.dedup.DedupSettings;
import io.delta.tables.DeltaTable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code silver/minhash_index}, the persisted band index: one row per document deduped so far
 * ({@link #COLUMNS}, plus {@code index_params} and {@code run_id}), so a later run hashes only its
 * new documents. A run writes it last: a document in the index is done, and a run killed before
 * that commit is simply redone.
 */
final class BandIndex {
  private BandIndex() {}

  /**
   * What the index holds per document and the later phases read: {@code doc_id}, {@code exact_hash}
   * (hex), {@code signature} (MinHash, bytes), {@code band_keys} (array of long, one per band),
   * {@code quality_score}, {@code length} (characters), {@code fetch_time}.
   */
  static final List<String> COLUMNS = List.of("doc_id", "exact_hash", "signature", "band_keys", "quality_score", "length",
      "fetch_time");

  static Column[] columns() {
    return COLUMNS.stream().map(n -> col(n)).toArray(Column[]::new);
  }

  /**
   * The stored index a run dedups against ({@link #COLUMNS}), or null when there is none. With
   * {@code --full} it is emptied first, so a run that dies later leaves the next one starting over,
   * and the run has none (null: nothing to read back).
   *
   * @throws ConfigException when the index was built with other shingling, MinHash or LSH settings
   */
  static Dataset<Row> open(StageRun run, DedupSettings settings, boolean full) {
    SparkSession spark = run.spark();
    String indexPath = run.lake().path(Lake.SILVER_MINHASH_INDEX);
    if (full && DeltaTables.exists(spark, indexPath)) DeltaTable.forPath(spark, indexPath).delete();
    if (full || !DeltaTables.exists(spark, indexPath)) return null;
    checkParams(spark, indexPath, settings);
    return DeltaTables.read(spark, indexPath).select(columns());
  }

  /**
   * Appends the batch's signatures to the index: the run's last commit. A plain append (one
   * write, where a MERGE scans the index for matches first) is enough: the batch is exactly the
   * documents the index did not hold at the version this run read, {@code doc_id} is unique in
   * {@code silver/filtered}, and the lake lock keeps any other run from adding to the index meanwhile.
   */
  static void add(DedupBatch b) {
    Dataset<Row> rows = b.signatures().withColumn("index_params", lit(b.settings().indexParams())).withColumn("run_id", lit(b.run().runId()));
    b.run().wrote(Lake.SILVER_MINHASH_INDEX, DeltaTables.append(rows, b.path(Lake.SILVER_MINHASH_INDEX)));
  }

  private static void checkParams(SparkSession spark, String indexPath, DedupSettings settings) {
    // One scan that stops at the first row made with other settings (no distinct: no shuffle).
    String want = settings.indexParams();
    List<Row> params = DeltaTables.read(spark, indexPath).select(col("index_params")).where(not(col("index_params").eqNullSafe(want)))
        .limit(1).collectAsList();
    for (Row r : params) {
      if (!want.equals(r.getString(0))) {
        throw new ConfigException("dedup settings changed since the band index was built (index: " + r.getString(0) + "; now: " + want
            + "): run 'sieve dedup --full' to rebuild it");
      }
    }
  }
}
