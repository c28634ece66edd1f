package dev.sieve.cli;

import dev.sieve.train.Launcher;
import dev.sieve.train.Launchers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sieve train cancel RUN_ID}: kills a run; its checkpoints stay. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Kill a run (its checkpoints stay; submit the same --run-id to resume).")
final class TrainCancelCommand extends LakeCommand {
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
