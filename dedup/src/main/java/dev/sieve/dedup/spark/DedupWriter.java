package dev.sieve.dedup.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.StageRun;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Dedup phase 4, {@code rewrite}: applies a batch's clusters to the lake and closes the ledger.
 * Three commits, in this order: {@code silver/deduped} (the new singletons and every kept member
 * inserted, every dropped member deleted — an earlier survivor a better new duplicate replaced
 * leaves in the same commit), {@code silver/dup_clusters} (the touched clusters' rows, MERGEd on
 * {@code doc_id}), then the band index ({@link BandIndex#add}), which marks the batch done. With
 * {@code --full} the first two are overwritten instead; an increment whose clusters hold only its own
 * documents appends to them ({@link #appendOnly}), so that the stages after it read only what
 * {@code silver/deduped} gained.
 *
 * <p>Ledger: in = the new documents, out = those kept, dropped = {@code exact_duplicates} +
 * {@code near_duplicates}; {@code silver/deduped} gains the new survivors less the retracted
 * earlier ones (what its commit says it inserted and deleted, {@link CommitMetrics}), the index
 * gains one row per new document. With clusters formed on the driver ({@link DriverClusters}) the
 * removal, retraction and cluster counts come with them: no Spark pass counts anything here.
 */
final class DedupWriter {
  private DedupWriter() {}

  static DedupJob.Result write(DedupBatch b, Buckets.Edges edges, Clusters clusters, Phases phases) {
    phases.start("rewrite");
    StageRun run = b.run();
    Dataset<Row> rows = clusters.rows();
    Dataset<Row> newIds = b.newIds();
    Dataset<Row> dropped = rows.where(col("kept").equalTo(false));
    long exactRemoved = 0, nearRemoved = 0, retracted = 0, clusterCount;
    DriverClusters.Summary summary = clusters.summary();
    if (summary != null) {
      exactRemoved = summary.exactRemoved();
      nearRemoved = summary.nearRemoved();
      retracted = summary.retracted();
      clusterCount = summary.clusters();
    } else {
      for (Row r : rows.join(newIds, "doc_id").groupBy(col("kept"), col("match")).count().collectAsList()) {
        if (r.getBoolean(0)) continue;
        if (r.getString(1).equals("exact")) exactRemoved += r.getLong(2);
        else nearRemoved += r.getLong(2);
      }
      if (b.hasIndex()) {
        Dataset<Row> oldDropped = dropped.join(b.oldIndex().select(col("doc_id")), "doc_id");
        if (clusters.oldClusters() != null) {
          oldDropped = oldDropped.join(clusters.oldClusters().where(col("kept").equalTo(false)).select(col("doc_id")), "doc_id", "left_anti");
        }
        retracted = oldDropped.count();
      }
      clusterCount = rows.select(col("cluster_id")).distinct().count();
    }
    long kept = b.in() - exactRemoved - nearRemoved;
    long dedupedBefore = run.output(Lake.SILVER_DEDUPED);
    run.output(Lake.SILVER_MINHASH_INDEX);
    run.output(Lake.SILVER_DUP_CLUSTERS); // measured (rows_gained), not checked: clusters are rewritten as they grow

    // silver/deduped: insert the new singletons and every kept member, delete every dropped one, in one commit.
    String dedupedPath = b.path(Lake.SILVER_DEDUPED);
    Dataset<Row> keepIds = newIds.join(rows.select(col("doc_id")), "doc_id", "left_anti").withColumn("cluster_id", lit(null).cast("string"))
        .union(rows.where(col("kept")).select(col("doc_id"), col("cluster_id")));
    // Without an index (a first run, --full) every kept document is new: its row comes from line
    // dedup's cached read. Otherwise kept members of earlier clusters are in it too: the snapshot
    // (one scan; a union of the two reads costs more jobs than it saves).
    Dataset<Row> keepRows = (b.hasIndex() ? b.filtered() : b.fresh()).join(keepIds, "doc_id").drop("run_id").withColumn("run_id", lit(run.runId()));
    // What the commit did to silver/deduped, from its own metrics (a rerun after a crash finds
    // some of it done already): rows inserted less rows deleted; --full replaces the table whole.
    long versionBefore = DeltaTables.version(run.spark(), dedupedPath);
    String clustersPath = b.path(Lake.SILVER_DUP_CLUSTERS);
    boolean append = appendOnly(b, summary, dedupedPath, clustersPath);
    long dedupedVersion = append ? DeltaTables.append(keepRows, dedupedPath) : DeltaTables.overwriteOr(b.full(), keepRows, dedupedPath,
        () -> DeltaTables.insertUpdateDelete(keepRows, dropped.select(col("doc_id")), dedupedPath, "doc_id", "cluster_id", "run_id"));
    run.wrote(Lake.SILVER_DEDUPED, dedupedVersion);
    long dedupedGain = b.full() ? kept - dedupedBefore : CommitMetrics.rowsGained(run.spark(), dedupedPath, versionBefore, dedupedVersion);

    run.wrote(Lake.SILVER_DUP_CLUSTERS, append ? DeltaTables.append(rows, clustersPath) : DeltaTables.overwriteOr(b.full(), rows, clustersPath,
        () -> DeltaTables.merge(rows, clustersPath, DeltaTables.OnMatch.UPDATE, "doc_id")));

    BandIndex.add(b); // last: the index marks these documents as done
    phases.done(kept + " kept, " + exactRemoved + " exact and " + nearRemoved + " near duplicates removed"
        + (retracted > 0 ? ", " + retracted + " earlier documents replaced by better new ones" : ""));

    run.in(b.in());
    run.out(kept);
    run.count("kept", kept);
    run.dropped("exact_duplicates", exactRemoved);
    run.dropped("near_duplicates", nearRemoved);
    // New survivors in; earlier survivors a better new duplicate replaced, out (--full: replaced whole).
    run.gained(Lake.SILVER_DEDUPED, dedupedGain);
    run.gained(Lake.SILVER_MINHASH_INDEX, b.in());
    run.count("retracted", retracted);
    run.count("clusters", clusterCount);
    return new DedupJob.Result(run.runId(), b.in(), kept, exactRemoved, nearRemoved, retracted, clusterCount, edges.candidates(),
        edges.verified(), clusters.rounds(), b.lsh(), DedupJob.Lines.NONE);
  }

  /**
   * Whether the batch's rows can be appended to {@code silver/deduped} and {@code silver/dup_clusters}
   * instead of MERGEd: an increment whose clusters (formed on the driver) hold only documents of
   * this batch changes no earlier row, and when both tables are still at the versions the last
   * succeeded run of the stage left them at, no run killed half-way wrote any of the batch's rows
   * already (a MERGE would then update them, an append would add them twice).
   */
  private static boolean appendOnly(DedupBatch b, DriverClusters.Summary summary, String dedupedPath, String clustersPath) {
    if (b.full() || summary == null || summary.earlierMembers() > 0) return false;
    StageRun run = b.run();
    StageRun.EarlierRun last = run.lastSucceededWriting(java.util.List.of(Lake.SILVER_DEDUPED, Lake.SILVER_DUP_CLUSTERS));
    return last != null
        && DeltaTables.exists(run.spark(), dedupedPath) && DeltaTables.exists(run.spark(), clustersPath)
        && last.written().get(Lake.SILVER_DEDUPED) == DeltaTables.version(run.spark(), dedupedPath)
        && last.written().get(Lake.SILVER_DUP_CLUSTERS) == DeltaTables.version(run.spark(), clustersPath);
  }

}
