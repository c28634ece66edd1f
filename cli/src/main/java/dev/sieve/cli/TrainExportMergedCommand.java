package dev.sieve.cli;

import dev.sieve.core.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sieve train export-merged RUN_ID [--checkpoint STEP] --out DIR}: a run's checkpoint as a
 * full model ({@link dev.sieve.train.RunModel#exportMerged}): for a PEFT run, its adapters merged
 * into the base weights.
 */
@Command(name = "export-merged", mixinStandardHelpOptions = true,
    description = {"Write a run's checkpoint (the newest unless --checkpoint) as a run folder of its own holding full weights:",
        "a PEFT run's adapters merged into its base checkpoint (W + alpha/rank * B A for LoRA, the trained biases for",
        "BitFit). DIR gets spec.yaml and checkpoints/step-N (params.bin, state.json; no optimizer state); it serves as",
        "init_from, and under <lake>/runs/<id> as a RUN_ID for train eval and train generate. A prompt-tuning run",
        "has nothing to merge (its virtual tokens are an input): refused, exit 2; eval and generate use it as it is."})
final class TrainExportMergedCommand extends LakeCommand {
  @Parameters(paramLabel = "RUN_ID")
  String runId;

  @Option(names = "--checkpoint", paramLabel = "STEP", description = "Export checkpoint step-STEP (default: the newest).")
  Long step;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to write (must not hold checkpoints yet).")
  Path out;

  @Override
  public Integer call() {
    Path dir = TrainRuns.runDir(common.lake(), runId);
    try (dev.sieve.train.RunModel m = RunCheckpoint.open(dir, RunCheckpoint.of(dir, step))) {
      Path ck;
      try {
        ck = m.exportMerged(out.toAbsolutePath());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("bad value for '--out': " + e.getMessage());
      } catch (UnsupportedOperationException e) { // a prompt-tuning run
        throw new ConfigException("bad value for 'RUN_ID': run " + runId + " cannot be exported merged: " + e.getMessage());
      }
      PrintWriter w = out();
      String peft = m.spec().peft == null ? "no adapters (a full run): weights copied" : "peft " + m.spec().peft.method + " merged into its base";
      w.printf("export-merged: run %s, checkpoint step-%d, %s; %d parameters -> %s%n", runId, m.step(), peft, m.model().parameterCount(), ck);
      w.flush();
    }
    return ExitCodes.OK;
  }
}
