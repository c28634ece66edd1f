package dev.sieve.cli;

import static org.apache.spark.sql.functions.col;

import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.tokenize.Splits;
import dev.sieve.tokenize.TokenizeSettings;
import dev.sieve.train.JobSpec;
import dev.sieve.train.KubernetesLauncher;
import dev.sieve.train.Launcher;
import dev.sieve.train.Launchers;
import dev.sieve.train.LocalLauncher;
import dev.sieve.train.SlurmLauncher;
import dev.sieve.train.TrainPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sieve train submit|status|logs|cancel|plan|eval|generate}: training runs (the training program in its own
 * JVM, DJL + PyTorch) on the local process backend, a Slurm cluster or Kubernetes, in
 * {@code <lake>/runs/<run_id>}; status, logs and cancel follow the backend recorded in its
 * {@code launch.json}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    subcommands = {TrainCommand.Submit.class, TrainCommand.Status.class, TrainCommand.Logs.class, TrainCommand.Cancel.class,
        TrainCommand.Plan.class, TrainCommand.Eval.class, TrainCommand.Generate.class},
    description = "Launch and watch training runs (DJL + PyTorch in their own process).")
final class TrainCommand extends GroupCommand {
  /** The launch backend options of {@code train submit}. */
  static final class BackendOptions {
    @Option(names = "--backend", defaultValue = "local", paramLabel = "NAME",
        description = "Where the run goes: local (a process here), slurm (sbatch) or kubernetes (a batch/v1 Job) (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--cpus", defaultValue = "1", paramLabel = "N", description = "slurm/kubernetes: CPUs for the run (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--gpus", defaultValue = "0", paramLabel = "N", description = "slurm/kubernetes: GPUs (--gres=gpu:N, nvidia.com/gpu) (default: ${DEFAULT-VALUE}).")
    int gpus;

    @Option(names = "--mem", paramLabel = "SIZE", description = "slurm: --mem (e.g. 16G); kubernetes: the memory request and limit (e.g. 16Gi; default 4Gi).")
    String mem;

    @Option(names = "--slurm-partition", paramLabel = "NAME", description = "slurm: the partition (default: the cluster's default).")
    String partition;

    @Option(names = "--slurm-time", defaultValue = "01:00:00", paramLabel = "LIMIT", description = "slurm: the time limit, MM, HH:MM:SS or D-HH:MM:SS (default: ${DEFAULT-VALUE}).")
    String time;

    @Option(names = "--k8s-image", paramLabel = "IMAGE", description = "kubernetes: the container image (a JDK 17+ and Sieve's jars in /opt/sieve/lib).")
    String image;

    @Option(names = "--k8s-namespace", defaultValue = "default", paramLabel = "NS", description = "kubernetes: the namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--k8s-pvc", paramLabel = "CLAIM", description = "kubernetes: a PVC holding the run folder (default: a hostPath at the run folder's path).")
    String claim;

    @Option(names = "--k8s-mount", paramLabel = "PATH", description = "kubernetes: a host path the pod needs read-only at the same path (shards, tokenizer); repeatable.")
    List<String> mounts = new ArrayList<>();

    Launcher launcher() {
      try {
        return switch (backend) {
          case LocalLauncher.BACKEND -> new LocalLauncher(List.of("-Xmx2g"));
          case SlurmLauncher.BACKEND -> new SlurmLauncher(SlurmLauncher.Options.defaults().withPartition(partition).withTime(time)
              .withResources(cpus, gpus, mem));
          case KubernetesLauncher.BACKEND -> {
            if (image == null || image.isBlank()) throw new ConfigException("bad value for '--k8s-image': --backend kubernetes needs a container image");
            yield new KubernetesLauncher(KubernetesLauncher.Options.of(image).withNamespace(namespace)
                .withResources(Integer.toString(cpus), mem != null ? mem : "4Gi", gpus).withClaim(claim).withDataMounts(mounts));
          }
          default -> throw new ConfigException("bad value for '--backend': '" + backend + "' (local, slurm or kubernetes)");
        };
      } catch (IllegalArgumentException e) {
        throw new ConfigException("bad value for '" + (e.getMessage().contains("time") ? "--slurm-time" : "--cpus") + "': " + e.getMessage());
      }
    }
  }

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = {"Start a training or fine-tuning run from a job spec (YAML) on the local process backend, Slurm or Kubernetes.",
          "Empty data.shards are filled with the dataset's train shards from gold/shard_manifest (validation",
          "shards likewise), model.vocab_size 0 with the dataset tokenizer's size. The run lives in",
          "<lake>/runs/<run_id>; relaunching the same --run-id resumes from its newest checkpoint."})
  static final class Submit extends LakeCommand {
    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The job spec (YAML).")
    Path specFile;

    @Option(names = "--dataset", paramLabel = "NAME", description = "Shard dataset (default: tokenize.dataset).")
    String dataset;

    @Option(names = "--wait", description = "Wait for the run to end, then load its metrics into gold/training_metrics.")
    boolean wait;

    @Mixin
    BackendOptions backend;

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

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show a run's state and last metrics; a finished run's metrics are loaded into gold/training_metrics.")
  static final class Status extends LakeCommand {
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

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "Print the end of a run's train.log.")
  static final class Logs extends LakeCommand {
    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = {"-n", "--lines"}, defaultValue = "40", description = "Lines to show (default: ${DEFAULT-VALUE}).")
    int lines;

    @Override
    public Integer call() {
      out().println(Launchers.attach(TrainRuns.runDir(common.lake(), runId)).logs(lines));
      out().flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Kill a run (its checkpoints stay; submit the same --run-id to resume).")
  static final class Cancel extends LakeCommand {
    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Override
    public Integer call() {
      Launcher.Job h = Launchers.attach(TrainRuns.runDir(common.lake(), runId));
      h.cancel();
      out().printf("train: run %s cancelled (%s)%n", runId, h.state().name().toLowerCase());
      out().flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "plan", mixinStandardHelpOptions = true,
      description = {"Chinchilla-optimal sizing (Hoffmann et al. 2022: about 20 tokens per parameter, C = 6·N·D) for a",
          "parameter count, a FLOP budget or a job spec's model, checked against the tokens the dataset's train",
          "shards hold."})
  static final class Plan extends LakeCommand {
    @Option(names = "--params", paramLabel = "N", description = "Model parameters.")
    Double params;

    @Option(names = "--flops", paramLabel = "C", description = "Compute budget in FLOPs.")
    Double flops;

    @Option(names = "--spec", paramLabel = "FILE", description = "Size the model of this job spec.")
    Path specFile;

    @Option(names = "--dataset", paramLabel = "NAME", description = "Shard dataset (default: tokenize.dataset).")
    String dataset;

    @Override
    public Integer call() {
      SieveConfig config = common.config();
      int given = (params != null ? 1 : 0) + (flops != null ? 1 : 0) + (specFile != null ? 1 : 0);
      if (given != 1) throw new ConfigException("bad value for '--params': give exactly one of --params, --flops, --spec");
      String ds = dataset != null ? dataset : config.section("tokenize", TokenizeSettings.class).dataset;
      long available = 0;
      SparkSession spark = SparkSessions.getOrCreate(config.spark());
      String manifest = common.lake().path(Lake.GOLD_SHARD_MANIFEST);
      if (DeltaTables.exists(spark, manifest)) {
        Row r = DeltaTables.read(spark, manifest).where(col("dataset").equalTo(ds).and(col("split").equalTo(Splits.TRAIN)))
            .agg(org.apache.spark.sql.functions.sum("tokens")).first();
        available = r.isNullAt(0) ? 0 : r.getLong(0);
      }
      TrainPlan.Plan p;
      if (flops != null) {
        p = TrainPlan.forBudget(flops, available);
      } else if (params != null) {
        p = TrainPlan.forParameters(params.longValue(), available);
      } else {
        JobSpec job = TrainRuns.resolve(spark, common.lake(), config, JobSpec.load(specFile), dataset);
        p = TrainPlan.forParameters(TrainPlan.parameters(job.model, job.model.vocabSize), available);
      }
      PrintWriter out = out();
      out.printf("plan: %,d parameters -> %,d tokens (20 per parameter), %.3g FLOPs (6·N·D)%n", p.parameters(), p.tokens(), p.flops());
      out.printf("  dataset '%s' train shards hold %,d tokens: %s%n", ds, p.availableTokens(),
          p.enough() ? "enough" : String.format("short by %,d tokens (%.1f epochs needed)", p.shortfall(),
              p.availableTokens() == 0 ? Double.POSITIVE_INFINITY : p.tokens() / (double) p.availableTokens()));
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** A run's checkpoint folder: {@code --checkpoint STEP}, or null for the newest. */
  static Path checkpoint(Path runDir, Long step) {
    if (step == null) return null;
    Path ck = dev.sieve.train.Checkpoints.dir(runDir).resolve("step-" + step);
    if (!java.nio.file.Files.isRegularFile(ck.resolve("params.bin"))) {
      throw new ConfigException("bad value for '--checkpoint': no checkpoint step-" + step + " in " + runDir);
    }
    return ck;
  }

  @Command(name = "eval", mixinStandardHelpOptions = true,
      description = {"Validation loss and perplexity of a run's checkpoint (the newest unless --checkpoint), per validation",
          "shard of its spec and pooled, with each shard's tokens per source and language from gold/shard_manifest.",
          "Written to RUN_DIR/eval.jsonl; a finished run's eval rows (event 'eval') are loaded into gold/training_metrics."})
  static final class Eval extends LakeCommand {
    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--checkpoint", paramLabel = "STEP", description = "Evaluate checkpoint step-STEP (default: the newest).")
    Long step;

    @Option(names = "--max-batches", defaultValue = "0", paramLabel = "N",
        description = "Batches of batch_size samples per shard at most; 0 = every sample (default: ${DEFAULT-VALUE}).")
    int maxBatches;

    @Override
    public Integer call() throws Exception {
      if (maxBatches < 0) throw new ConfigException("bad value for '--max-batches': " + maxBatches + " (0 or more)");
      Path dir = TrainRuns.runDir(common.lake(), runId);
      List<dev.sieve.train.RunModel.ShardLoss> losses;
      long ckStep;
      String device;
      String block;
      try (dev.sieve.train.RunModel m = open(dir, checkpoint(dir, step))) {
        losses = m.evaluate(maxBatches);
        ckStep = m.step();
        device = m.device();
        block = m.spec().model.block;
      } catch (IllegalArgumentException e) {
        throw new ConfigException("bad value for 'RUN_ID': " + e.getMessage());
      }
      SparkSession spark = SparkSessions.getOrCreate(common.config().spark());
      List<java.util.Map<String, Object>> lines = TrainingMetricsTable.evalLines(spark, common.lake(), losses, ckStep, device);
      TrainingMetricsTable.writeEval(dir, lines);
      PrintWriter out = out();
      out.printf("eval: run %s, checkpoint step-%d (block %s) on %s%n", runId, ckStep, block, device);
      for (java.util.Map<String, Object> l : lines) {
        out.printf("  %-60s %6d samples %9d tokens  loss %.4f  perplexity %.2f%s%n", l.get("shard"), l.get("samples"), l.get("tokens"),
            (Double) l.get("val_loss"), (Double) l.get("perplexity"), l.containsKey("tokens_by_source")
                ? "  sources " + l.get("tokens_by_source") + " languages " + l.get("tokens_by_language") : "");
      }
      Launcher.State s = Launchers.attach(dir).state();
      if (s.done()) {
        long n = TrainingMetricsTable.load(spark, common.lake(), runId, dir, s);
        out.printf("  %d metrics and eval lines -> %s%n", n, common.lake().path(Lake.GOLD_TRAINING_METRICS));
      } else {
        out.printf("  the run is %s: eval.jsonl reaches gold/training_metrics when it ends (sieve train status)%n", s.name().toLowerCase());
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  private static dev.sieve.train.RunModel open(Path dir, Path ck) {
    try {
      return dev.sieve.train.RunModel.open(dir, ck);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("bad value for 'RUN_ID': " + e.getMessage());
    }
  }

  @Command(name = "generate", mixinStandardHelpOptions = true,
      description = {"Sample text from a run's checkpoint (the newest unless --checkpoint) with the run's tokenizer:",
          "temperature 0 is greedy; stops at end-of-text or after --max-tokens."})
  static final class Generate extends LakeCommand {
    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--prompt", defaultValue = "", paramLabel = "TEXT", description = "The text to continue (default: empty, a new document).")
    String prompt;

    @Option(names = "--max-tokens", defaultValue = "50", paramLabel = "N", description = "New tokens at most (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0.8", paramLabel = "T", description = "Softmax temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "40", paramLabel = "K", description = "Sample among the K likeliest tokens; 0 = all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--seed", defaultValue = "1234", paramLabel = "N", description = "Seed of the draws: the same seed gives the same text (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint", paramLabel = "STEP", description = "Use checkpoint step-STEP (default: the newest).")
    Long step;

    @Override
    public Integer call() {
      if (maxTokens < 1) throw new ConfigException("bad value for '--max-tokens': " + maxTokens + " (at least 1)");
      if (!(temperature >= 0) || Double.isInfinite(temperature)) throw new ConfigException("bad value for '--temperature': " + temperature + " (0 or more)");
      if (topK < 0) throw new ConfigException("bad value for '--top-k': " + topK + " (0 or more)");
      Path dir = TrainRuns.runDir(common.lake(), runId);
      try (dev.sieve.train.RunModel m = open(dir, checkpoint(dir, step))) {
        dev.sieve.train.RunModel.Generation g = m.generate(prompt, maxTokens, new dev.sieve.train.Sampler(temperature, topK), seed);
        PrintWriter out = out();
        out.printf("generate: run %s, checkpoint step-%d (block %s), temperature %s, top-k %d, seed %d%n", runId, m.step(), m.spec().model.block,
            temperature, topK, seed);
        out.println(prompt + g.text());
        out.printf("  (%d prompt tokens, %d new tokens%s)%n", g.promptTokens().length, g.newTokens().length,
            g.stoppedAtEndOfText() ? ", stopped at end-of-text" : "");
        out.flush();
      }
      return ExitCodes.OK;
    }
  }
}
