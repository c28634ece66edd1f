package dev.sieve.core.spark;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * The one skeleton every stage runs through:
 *
 * <ol>
 *   <li>take the lake's {@link LakeLock} (a second run on the same lake stops at once, naming the
 *       holder);
 *   <li>record the runs that died in flight (their marker files under {@code _sieve/running}) as
 *       {@code FAILED} (abandoned); then open its {@link StageRun} (its own marker; every Delta
 *       commit tagged with run id, stage and config hash);
 *   <li>run the stage's body, which reads its inputs, writes its tables and keeps the ledger:
 *       {@link StageRun#in}, {@link StageRun#out}, {@link StageRun#dropped} by reason, and what each
 *       output table gained ({@link StageRun#output} before writing, {@link StageRun#gained} after);
 *   <li>{@link StageRun#reconcile}: documents in = out + Σ dropped, and each output table gained
 *       what the stage says, or the run fails with one line naming the numbers;
 *   <li>append its row to {@code _sieve/stage_runs}: {@code SUCCEEDED} — or {@code FAILED} with
 *       the error, for any exception — and remember a succeeded run's input versions for
 *       {@link NoNewInput#check} (a command's "nothing new" decision before Spark starts; the rows
 *       of such runs, pending until now, are appended in step 2).
 * </ol>
 *
 * <p>A stage returns its result only after the run is recorded as succeeded, so a command never
 * prints counts that did not land.
 */
public final class Stage {
  private Stage() {}

  private static StageRun startMarkingAbandoned(SparkSession spark, Lake lake, String stage, String configJson,
                                                String configHash, String runId) {
    // Holding the lock: runs that found nothing new before Spark started get their rows now.
    PendingRuns.flush(spark, lake);
    // Holding the lock, any marker of a run in flight belongs to a run that died.
    long abandoned = StageRun.markAbandoned(spark, lake, stage, runId);
    if (abandoned > 0) System.err.println("sieve " + stage + ": recorded " + abandoned + " run(s) that died in flight as FAILED (abandoned)");
    return StageRun.start(spark, lake, stage, configJson, configHash, runId);
  }

  /**
   * Runs {@code body} as stage {@code stage} of run {@code runId} on {@code lake}.
   *
   * @return what the body returned, once the run reconciled and was recorded as succeeded
   * @throws LakeLock.LakeBusyException when another run holds the lake (nothing recorded)
   * @throws StageRun.ReconciliationException when the counts do not add up (run recorded FAILED)
   */
  public static <R> R run(SparkSession spark, Lake lake, String stage, SieveConfig config, String runId, Function<StageRun, R> body) {
    return run(spark, lake, stage, config.toJson(), config.hash(), runId, body);
  }

  /** {@link #run(SparkSession, Lake, String, SieveConfig, String, Function)} for settings that are not a Sieve config (a training job spec). */
  public static <R> R run(SparkSession spark, Lake lake, String stage, String configJson, String configHash, String runId,
                          Function<StageRun, R> body) {
    try (LakeLock lock = LakeLock.acquire(spark.sparkContext().hadoopConfiguration(), lake, stage, runId);
         StageRun run = startMarkingAbandoned(spark, lake, stage, configJson, configHash, runId)) {
      try {
        R result = body.apply(run);
        run.reconcile();
        run.succeed();
        NoNewInput.remember(spark, lake, run.record());
        return result;
      } catch (RuntimeException | Error e) {
        run.fail(e);
        NoNewInput.forget(spark, lake, run.record());
        throw e;
      }
    }
  }
}
