package dev.sieve.cli.inspect;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.sieve.cli.inspect.LakeSnapshot.Curve;
import dev.sieve.cli.inspect.LakeSnapshot.CurvePoint;
import dev.sieve.cli.inspect.LakeSnapshot.TrainingRun;
import dev.sieve.cli.inspect.LakeSnapshot.TrainingSummary;
import dev.sieve.core.Lake;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The training runs of a lake ({@code gold/training_metrics}): per run its steps, losses, best and
 * last validation loss and learning rate, and a loss curve of at most about
 * {@value SnapshotReader#CURVE_POINTS} points. One aggregate query, and one per run's curve.
 */
final class TrainingReader {
  private TrainingReader() {}

  static TrainingSummary training(LakeQuery q) {
    Dataset<Row> d = q.df(Lake.GOLD_TRAINING_METRICS);
    String val = LakeQuery.has(d, "val_loss") ? "val_loss" : "CAST(NULL AS DOUBLE)";
    String lr = LakeQuery.has(d, "lr") ? "lr" : "CAST(NULL AS DOUBLE)";
    String event = LakeQuery.has(d, "event") ? "event" : "CAST(NULL AS STRING)";
    // Step lines only: metrics.jsonl also holds event lines (start, checkpoint, resume, rollback, done),
    // some with a step and a loss, and a rolled-back or resumed run repeats steps, so steps are counted
    // as distinct steps with a training loss.
    d = d.select(col("run_id"), expr("CAST(step AS BIGINT)").as("step"), expr("CAST(loss AS DOUBLE)").as("loss"),
        expr("CAST(" + val + " AS DOUBLE)").as("val_loss"), expr("CAST(" + lr + " AS DOUBLE)").as("lr"), expr(event).as("event"))
        .where("step IS NOT NULL AND event IS NULL");
    List<TrainingRun> runs = new ArrayList<>();
    for (Row r : d.groupBy("run_id").agg(expr("count(DISTINCT IF(loss IS NULL, NULL, step))"), expr("max(step)"), expr("min_by(loss, IF(loss IS NULL, NULL, step))"),
            expr("max_by(loss, IF(loss IS NULL, NULL, step))"), expr("min(loss)"), expr("max_by(val_loss, IF(val_loss IS NULL, NULL, step))"),
            expr("min(val_loss)"), expr("max_by(lr, IF(lr IS NULL, NULL, step))"))
        .orderBy("run_id").collectAsList()) {
      runs.add(new TrainingRun(r.getString(0), r.getLong(1), r.getLong(2), LakeQuery.dbl(r, 3), LakeQuery.dbl(r, 4), LakeQuery.dbl(r, 5),
          LakeQuery.dbl(r, 6), LakeQuery.dbl(r, 7), LakeQuery.dbl(r, 8)));
    }
    List<Curve> curves = new ArrayList<>();
    for (TrainingRun run : runs) curves.add(curve(d, run));
    return new TrainingSummary(runs, curves);
  }

  /** Every k-th step of {@code run}, every evaluated step and the last: at most about {@value SnapshotReader#CURVE_POINTS} points. */
  private static Curve curve(Dataset<Row> steps, TrainingRun run) {
    long stride = Math.max(1, (run.lastStep() + SnapshotReader.CURVE_POINTS - 1) / SnapshotReader.CURVE_POINTS);
    List<CurvePoint> pts = new ArrayList<>();
    for (Row r : steps.where(col("run_id").equalTo(run.runId()))
        .where("step % " + stride + " = 0 OR val_loss IS NOT NULL OR step = " + run.lastStep())
        .groupBy("step").agg(expr("avg(loss)"), expr("avg(val_loss)")).orderBy("step").collectAsList()) {
      pts.add(new CurvePoint(r.getLong(0), LakeQuery.dbl(r, 1), LakeQuery.dbl(r, 2)));
    }
    return new Curve(run.runId(), pts);
  }
}
