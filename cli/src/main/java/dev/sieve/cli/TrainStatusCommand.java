package dev.sieve.cli;

import dev.sieve.core.Lake;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.train.Launcher;
import dev.sieve.train.Launchers;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sieve train status RUN_ID}: a run's state and last metrics; a finished run's metrics go to gold/training_metrics. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a run's state and last metrics; a finished run's metrics are loaded into gold/training_metrics.")
final class TrainStatusCommand extends LakeCommand {
  @Parameters(paramLabel = "RUN_ID")
  String runId;

  @Override
  public Integer call() throws Exception {
    Path dir = TrainRuns.runDir(common.lake(), runId);
    Launcher.Job h = Launchers.attach(dir);
    PrintWriter out = out();
    Launcher.State s = h.state();
    out.printf("train: run %s %s (%s) in %s%n", runId, s.name().toLowerCase(), TrainRuns.describe(h), dir);
    TrainRuns.summary(out, dir);
    if (s.done()) {
      SparkSession spark = SparkSessions.getOrCreate(common.config().spark());
      long n = TrainingMetricsTable.load(spark, common.lake(), runId, dir, s);
      out.printf("  %d metrics lines -> %s%n", n, common.lake().path(Lake.GOLD_TRAINING_METRICS));
    }
    out.flush();
    return ExitCodes.OK;
  }
}
