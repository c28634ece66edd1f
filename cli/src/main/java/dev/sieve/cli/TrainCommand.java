package dev.sieve.cli;

import picocli.CommandLine.Command;

/**
 * {@code sieve train submit|status|logs|cancel|plan|eval|generate|export-merged}: training runs (the training program in its own
 * JVM, DJL + PyTorch) on the local process backend, a Slurm cluster or Kubernetes, in
 * {@code <lake>/runs/<run_id>}; status, logs and cancel follow the backend recorded in its
 * {@code launch.json}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    subcommands = {TrainSubmitCommand.class, TrainStatusCommand.class, TrainLogsCommand.class, TrainCancelCommand.class,
        TrainPlanCommand.class, TrainEvalCommand.class, TrainGenerateCommand.class, TrainExportMergedCommand.class},
    description = "Launch and watch training runs (DJL + PyTorch in their own process).")
final class TrainCommand extends GroupCommand {}
