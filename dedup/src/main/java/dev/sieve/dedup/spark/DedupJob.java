package dev.sieve.dedup.spark;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.Stage;
import dev.sieve.core.spark.StageRun;
import dev.sieve.dedup.DedupSettings;
import dev.sieve.dedup.LshParams;
import java.io.PrintStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Dedup: {@code silver/filtered} → {@code silver/deduped} (one document per duplicate cluster),
 * {@code silver/dup_clusters} (every member of every cluster: cluster, kept document, how it
 * matched, its similarity to the kept one) and {@code silver/minhash_index} (the persisted band
 * index: exact key, signature and band keys of every document deduped so far).
 *
 * <p>First {@link LineDedup}: the new documents' lines counted into {@code silver/line_counts} and
 * the lines that occur on many documents (boilerplate) removed from them, before MinHash, as
 * CCNet orders it; a document left too short goes to {@code silver/rejected}. Then four phases
 * over one {@link DedupBatch}, as datatrove's MinHash steps: {@link Signatures} of
 * the documents not yet in the {@link BandIndex}; {@link Buckets}: candidate edges from equal
 * exact keys and equal LSH band keys, verified; {@link Clusters}: connected components of the
 * edges plus the stored clusters they touch, one survivor each by the keep policy;
 * {@link DedupWriter}: two tables MERGEd and the index appended, last (it is what marks documents as
 * done, so a run killed before it is simply redone).
 *
 * <p>Incremental runs give the new documents the same decision deduping everything at once
 * would: components only grow, every component a new document joins is recomputed whole, and
 * when a new document outranks the one an old cluster kept, that old one leaves
 * {@code silver/deduped} in the same commit that adds the new one.
 */
public final class DedupJob {
  public static final String STAGE = "dedup";

  private DedupJob() {}

  /** What a run did. */
  public record Result(String runId, long in, long kept, long exactRemoved, long nearRemoved, long retracted, long clusters,
                       long candidatePairs, long verifiedPairs, int componentRounds, LshParams lsh, Lines lines) {}

  /**
   * What line dedup did in a run ({@link LineDedup}).
   *
   * @param docs new documents whose lines were counted
   * @param tooShort documents rejected as {@code line_dedup_too_short} (part of {@link Result#in})
   * @param docsTouched documents that lost at least one line
   * @param linesRemoved lines removed
   * @param charsRemoved characters removed (UTF-16 units)
   * @param hashesCounted distinct line hashes counted (rows appended to {@code silver/line_counts})
   */
  public record Lines(long docs, long tooShort, long docsTouched, long linesRemoved, long charsRemoved, long hashesCounted) {
    static final Lines NONE = new Lines(0, 0, 0, 0, 0, 0);

    static Lines of(LineDedup.Outcome o) {
      return new Lines(o.docs(), o.tooShort(), o.docsTouched(), o.linesRemoved(), o.charsRemoved(), o.hashesCounted());
    }
  }

  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, boolean full) {
    return run(spark, lake, config, runId, full, System.err);
  }

  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, boolean full, PrintStream progress) {
    DedupSettings settings = config.section("dedup", DedupSettings.class);
    return Stage.run(spark, lake, STAGE, config, runId, run -> dedup(run, settings, full, progress));
  }

  private static Result dedup(StageRun run, DedupSettings settings, boolean full, PrintStream progress) {
    LshParams lsh = settings.lshParams();
    Phases phases = new Phases(run.spark(), progress);
    long filteredVersion = run.readInput(Lake.SILVER_FILTERED, "sieve filter");
    if (!full && run.inputsUnchanged()) return new Result(run.runId(), 0, 0, 0, 0, 0, 0, 0, 0, 0, lsh, Lines.NONE);
    Dataset<Row> oldIndex = BandIndex.open(run, settings, full);
    run.count("bands", lsh.bands());
    run.count("rows", lsh.rows());
    Dataset<Row> filtered = DeltaTables.read(run.spark(), run.lake().path(Lake.SILVER_FILTERED), filteredVersion);

    try (LineDedup.Outcome lines = LineDedup.run(run, settings, full, filtered, filteredVersion, oldIndex, phases);
         DedupBatch batch = Signatures.compute(run, settings, lsh, full, lines.filtered(), lines.fresh(), oldIndex, phases)) {
      // Documents line dedup left too short are in and dropped here; the rest go on to MinHash.
      run.in(lines.tooShort());
      run.dropped(LineDedup.RULE_TOO_SHORT, lines.tooShort());
      if (batch.in() == 0) {
        createEmptyOutput(run, lines.filtered());
        return new Result(run.runId(), lines.tooShort(), 0, 0, 0, 0, 0, 0, 0, 0, lsh, Lines.of(lines));
      }
      try (Buckets.Edges edges = Buckets.find(batch, phases);
           Clusters clusters = Clusters.of(batch, edges, phases)) {
        DedupJob.Result r = DedupWriter.write(batch, edges, clusters, phases);
        return new Result(r.runId(), r.in() + lines.tooShort(), r.kept(), r.exactRemoved(), r.nearRemoved(), r.retracted(), r.clusters(),
            r.candidatePairs(), r.verifiedPairs(), r.componentRounds(), r.lsh(), Lines.of(lines));
      }
    }
  }

  /**
   * A first run with nothing to dedup (every document filtered out) still leaves an empty
   * {@code silver/deduped}, with the columns a non-empty run writes, so pii and tokenize can follow.
   */
  private static void createEmptyOutput(StageRun run, Dataset<Row> filtered) {
    String path = run.lake().path(Lake.SILVER_DEDUPED);
    if (DeltaTables.exists(run.spark(), path)) return;
    Dataset<Row> empty = filtered.limit(0).drop("run_id")
        .withColumn("cluster_id", org.apache.spark.sql.functions.lit(null).cast("string"))
        .withColumn("run_id", org.apache.spark.sql.functions.lit(run.runId()));
    run.output(Lake.SILVER_DEDUPED);
    run.wrote(Lake.SILVER_DEDUPED, DeltaTables.overwrite(empty, path));
    run.gained(Lake.SILVER_DEDUPED, 0);
  }
}
