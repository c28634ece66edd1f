package dev.sieve.pii.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaIncrement;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.ProgressLine;
import dev.sieve.core.spark.Stage;
import dev.sieve.core.spark.StageRun;
import dev.sieve.pii.PiiSettings;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * PII scrubbing: {@code silver/deduped} → {@code silver/clean}, the same documents with personal
 * data in {@code text} and {@code title} replaced by typed tags and {@code pii_counts} (kind →
 * count). Raw values never leave the executor that found them: only counts reach the driver,
 * the stage run and the logs.
 *
 * <p>Incremental: documents already in {@code silver/clean} are skipped, and documents dedup
 * withdrew from {@code silver/deduped} (a better duplicate arrived) are deleted from
 * {@code silver/clean} in the same commit that adds the new ones. When {@code silver/deduped} only
 * gained rows since the last run, only those rows are read (not the whole table, see
 * {@link DeltaIncrement#pending}) and appended: nothing can have been withdrawn (unless the
 * quarantine holds a document a detector failed on: then the whole table is read, to retry it). A document a detector fails on
 * goes to {@code _sieve/quarantine} (doc id and error class, no text) and stays out of
 * {@code silver/clean}; the next run tries it again.
 */
public final class PiiJob {
  public static final String STAGE = "pii";

  private PiiJob() {}

  /** What a run did: documents in, written, quarantined, documents with PII, spans per kind. */
  public record Result(String runId, long in, long clean, long quarantined, long withdrawn, long docsWithPii, Map<String, Long> spans) {}

  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, boolean full) {
    return run(spark, lake, config, runId, full, System.err);
  }

  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, boolean full, PrintStream progress) {
    PiiSettings settings = config.section("pii", PiiSettings.class);
    return Stage.run(spark, lake, STAGE, config, runId, run -> scrub(spark, lake, settings, run, full, progress));
  }

  /** Whether {@code _sieve/quarantine} holds a document a detector failed on ({@code error_kind = 'pii_error'}). */
  private static boolean failedBefore(SparkSession spark, Lake lake) {
    String path = lake.path(Lake.QUARANTINE);
    return DeltaTables.exists(spark, path) && !DeltaTables.read(spark, path).where(col("error_kind").equalTo("pii_error")).isEmpty();
  }

  private static Result scrub(SparkSession spark, Lake lake, PiiSettings settings, StageRun run, boolean full, PrintStream progress) {
    String cleanPath = lake.path(Lake.SILVER_CLEAN);
    long dedupedVersion = run.readInput(Lake.SILVER_DEDUPED, "sieve dedup");
    if (!full && run.inputsUnchanged()) return new Result(run.runId(), 0, 0, 0, 0, 0, new TreeMap<>());
    Dataset<Row> deduped = DeltaTables.read(spark, lake.path(Lake.SILVER_DEDUPED), dedupedVersion);
    Dataset<Row> todo = deduped;
    Dataset<Row> withdrawn = null;
    boolean incremental = !full && DeltaTables.exists(spark, cleanPath);
    boolean append = false;
    if (incremental) {
      // Only what silver/deduped gained since the last run, when it only gained: then no document
      // left it (nothing to withdraw from silver/clean) and the new ones are appended, not MERGEd.
      // A document a detector failed on is tried again by the next run: while the quarantine holds
      // one, the whole of silver/deduped is compared with silver/clean (the failed one is in neither
      // what deduped gained nor silver/clean).
      DeltaIncrement.Pending pending = failedBefore(spark, lake)
          ? new DeltaIncrement.Pending(deduped.join(DeltaTables.read(spark, cleanPath).select(col("doc_id")), "doc_id", "left_anti"), true)
          : DeltaIncrement.pending(run, Lake.SILVER_DEDUPED, dedupedVersion, "doc_id", Lake.SILVER_CLEAN);
      todo = pending.rows();
      append = !pending.whole();
      if (pending.whole()) {
        Dataset<Row> done = DeltaTables.read(spark, cleanPath).select(col("doc_id"));
        withdrawn = done.join(deduped.select(col("doc_id")), "doc_id", "left_anti");
      }
    }
    StructType out = ScrubDocs.outputSchema(todo.schema());
    LongAccumulator scanned = spark.sparkContext().longAccumulator("pii_documents");
    spark.sparkContext().setJobDescription("sieve pii: scrub");
    Dataset<Row> scrubbed = todo.mapPartitions(new ScrubDocs(todo.schema(), settings, scanned), ExpressionEncoder.apply(out))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row totals;
      try (var line = new ProgressLine(() -> "pii: " + scanned.value() + " documents scrubbed", 2000, progress)) {
        totals = scrubbed.agg(org.apache.spark.sql.functions.count(lit(1)),
            sum(when(col("pii_error").isNotNull(), 1).otherwise(0)),
            sum(when(size(col("pii_counts")).gt(0), 1).otherwise(0))).first();
      }
      long in = totals.getLong(0);
      long quarantined = in == 0 ? 0 : totals.getLong(1);
      long docsWithPii = in == 0 ? 0 : totals.getLong(2);
      Map<String, Long> spans = new TreeMap<>();
      if (in > 0) {
        for (Row r : scrubbed.select(explode(col("pii_counts"))).groupBy(col("key")).agg(sum(col("value"))).collectAsList()) {
          spans.put(r.getString(0), r.getLong(1));
        }
      }
      long withdrawnCount = withdrawn == null ? 0 : withdrawn.count();
      // Nothing new: done, unless there is no silver/clean yet (or --full): then it is written, empty
      // if silver/deduped is, so tokenize can follow.
      if (in == 0 && withdrawnCount == 0 && incremental) return new Result(run.runId(), 0, 0, 0, 0, 0, spans);

      long cleanBefore = run.output(Lake.SILVER_CLEAN);
      Dataset<Row> ok = scrubbed.where(col("pii_error").isNull()).drop("pii_error", "run_id").withColumn("run_id", lit(run.runId()));
      Dataset<Row> toDelete = withdrawn;
      run.wrote(Lake.SILVER_CLEAN, append ? DeltaTables.append(ok, cleanPath) : DeltaTables.overwriteOr(!incremental, ok, cleanPath,
          () -> DeltaTables.insertUpdateDelete(ok, toDelete, cleanPath, "doc_id")));
      if (quarantined > 0) {
        Dataset<Row> bad = scrubbed.where(col("pii_error").isNotNull()).select(
            coalesce(col("source_file"), lit("silver/deduped")).as("source_file"), col("source_offset"), lit("pii_error").as("error_kind"),
            concat(lit("pii detector failed on doc "), col("doc_id"), lit(": "), col("pii_error")).as("message"),
            lit(null).cast("string").as("snippet"), lit(run.runId()).as("run_id"), current_timestamp().as("quarantined_at"));
        run.wrote(Lake.QUARANTINE, DeltaTables.merge(bad, lake.path(Lake.QUARANTINE), DeltaTables.OnMatch.UPDATE, "source_file",
            "source_offset", "error_kind"));
      }
      long clean = in - quarantined;
      run.in(in);
      run.out(clean);
      run.dropped("quarantined_pii_error", quarantined);
      // Documents dedup withdrew from silver/deduped leave silver/clean too (--full: replaced whole).
      run.gained(Lake.SILVER_CLEAN, clean - (incremental ? withdrawnCount : cleanBefore));
      run.count("documents_with_pii", docsWithPii);
      run.count("withdrawn", withdrawnCount);
      spans.forEach((k, n) -> run.count("pii_" + k, n));
      progress.printf("pii: %,d documents, %,d with personal data, spans %s%n", in, docsWithPii, spans);
      return new Result(run.runId(), in, clean, quarantined, withdrawnCount, docsWithPii, spans);
    } finally {
      scrubbed.unpersist();
    }
  }
}
