package dev.sieve.cli;

import dev.sieve.train.Launchers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sieve train logs RUN_ID}: the end of a run's train.log. */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print the end of a run's train.log.")
final class TrainLogsCommand extends LakeCommand {
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
