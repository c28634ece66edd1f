package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.col;

import dev.sieve.core.spark.StageRun;
import dev.sieve.dedup.DedupSettings;
import dev.sieve.dedup.LshParams;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What every dedup phase of one run shares: the run, its settings, the new documents'
 * signatures and the tables they are deduped against. Closing it releases the cached signatures.
 *
 * @param run the stage run (its ledger, run id, lake and session)
 * @param settings the {@code dedup} section of the config
 * @param lsh bands × rows of the LSH banding ({@link DedupSettings#lshParams()})
 * @param full {@code --full}: every document is new, the outputs are overwritten
 * @param filtered the {@code silver/filtered} snapshot this run reads (all its columns), as line
 *     dedup left it ({@link LineDedup.Outcome#filtered})
 * @param fresh the rows of {@code filtered} that are new: the batch's documents, from the cached
 *     read of line dedup ({@link LineDedup.Outcome#fresh})
 * @param oldIndex the stored band index ({@link BandIndex#COLUMNS}), or null when there is none
 *     (first run, or {@code --full})
 * @param signatures one row per new document, {@link ComputeSignatures#OUTPUT}: {@code doc_id,
 *     exact_hash, signature, band_keys, quality_score, length, fetch_time} (cached)
 * @param in how many new documents: the {@code in} of the ledger
 */
record DedupBatch(StageRun run, DedupSettings settings, LshParams lsh, boolean full, Dataset<Row> filtered, Dataset<Row> fresh, Dataset<Row> oldIndex,
                  Dataset<Row> signatures, long in) implements AutoCloseable {

  SparkSession spark() {
    return run.spark();
  }

  /** The lake path of {@code table} (a {@code Lake} table name). */
  String path(String table) {
    return run.lake().path(table);
  }

  boolean hasIndex() {
    return oldIndex != null;
  }

  /** {@code doc_id} of every new document. */
  Dataset<Row> newIds() {
    return signatures.select(col("doc_id"));
  }

  @Override
  public void close() {
    signatures.unpersist();
  }
}
