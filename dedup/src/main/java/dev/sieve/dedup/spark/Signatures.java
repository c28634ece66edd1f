package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.col;

import dev.sieve.core.spark.ProgressLine;
import dev.sieve.core.spark.StageRun;
import dev.sieve.dedup.DedupSettings;
import dev.sieve.dedup.LshParams;
import dev.sieve.dedup.MinHasher;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Dedup phase 1, {@code signatures}: the exact key, MinHash signature and LSH band keys
 * ({@link ComputeSignatures}) of every {@code silver/filtered} document the band index does not
 * hold yet. Writes nothing; the rows are cached for the later phases and become the index's new
 * rows at the end of the run.
 */
final class Signatures {
  private Signatures() {}

  /**
   * Jaccard similarity estimated from two stored signatures ({@code binary, binary → double} in
   * [0, 1]); null when either is missing (a text without tokens).
   */
  static final UserDefinedFunction ESTIMATE = org.apache.spark.sql.functions.udf(
      (UDF2<byte[], byte[], Double>) (a, b) -> a == null || b == null ? null : MinHasher.estimate(MinHasher.fromBytes(a), MinHasher.fromBytes(b)),
      DataTypes.DoubleType);

  /**
   * Hashes the new documents and counts them.
   *
   * @param filtered the {@code silver/filtered} snapshot as the later phases see it
   * @param fresh its new documents, those the band index does not hold (needs {@code doc_id, text,
   *     quality_score, fetch_time}): the batch
   * @param oldIndex the stored band index, or null
   * @return the batch every later phase works on (its signatures cached: close it)
   */
  static DedupBatch compute(StageRun run, DedupSettings settings, LshParams lsh, boolean full, Dataset<Row> filtered, Dataset<Row> fresh,
                            Dataset<Row> oldIndex, Phases phases) {
    phases.start("signatures");
    LongAccumulator hashed = run.spark().sparkContext().longAccumulator("dedup_signatures");
    Dataset<Row> sigs = fresh.select(col("doc_id"), col("text"), col("quality_score"), col("fetch_time")).mapPartitions(new ComputeSignatures(settings, lsh, hashed), ExpressionEncoder.apply(ComputeSignatures.OUTPUT))
        .persist(StorageLevel.MEMORY_AND_DISK());
    long in;
    try (var line = new ProgressLine(() -> "dedup: signatures " + hashed.value() + " documents", 2000, phases.progress())) {
      in = sigs.count();
    } catch (RuntimeException | Error e) {
      sigs.unpersist();
      throw e;
    }
    DedupBatch batch = new DedupBatch(run, settings, lsh, full, filtered, fresh, oldIndex, sigs, in);
    phases.done(in + " new documents (LSH " + lsh + ", threshold " + settings.threshold + ")");
    return batch;
  }
}
