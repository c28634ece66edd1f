package dev.sieve.cli;

import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.train.JobSpec;
import dev.sieve.train.Launcher;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sieve train submit}: resolves a job spec against the lake and launches it ({@link TrainRuns#launch}). */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = {"Start a training or fine-tuning run from a job spec (YAML) on the local process backend, Slurm or Kubernetes.",
        "Empty data.shards are filled with the dataset's train shards from gold/shard_manifest (validation",
        "shards likewise), model.vocab_size 0 with the dataset tokenizer's size. The run lives in",
        "<lake>/runs/<run_id>; relaunching the same --run-id resumes from its newest checkpoint."})
final class TrainSubmitCommand extends LakeCommand {
  @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The job spec (YAML).")
  Path specFile;

  @Option(names = "--dataset", paramLabel = "NAME", description = "Shard dataset (default: tokenize.dataset).")
  String dataset;

  @Option(names = "--wait", description = "Wait for the run to end, then load its metrics into gold/training_metrics.")
  boolean wait;

  @Mixin
  TrainBackendOptions backend;

  @Override
  public Integer call() throws Exception {
    SieveConfig config = common.config();
    JobSpec job = JobSpec.load(specFile);
    Launcher launcher = backend.launcher();
    SparkSession spark = SparkSessions.getOrCreate(config.spark());
    String runId = common.runId("train");
    Launcher.Job h = TrainRuns.launch(launcher, spark, common.lake(), runId, TrainRuns.resolve(spark, common.lake(), config, job, dataset), wait,
        out());
    return !wait || h.state() == Launcher.State.SUCCEEDED ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
