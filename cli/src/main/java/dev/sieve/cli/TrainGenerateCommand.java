package dev.sieve.cli;

import dev.sieve.core.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sieve train generate RUN_ID}: samples text from a checkpoint with the run's tokenizer ({@link dev.sieve.train.Sampler}). */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Sample text from a run's checkpoint (the newest unless --checkpoint) with the run's tokenizer:",
        "temperature 0 is greedy; stops at end-of-text or after --max-tokens."})
final class TrainGenerateCommand extends LakeCommand {
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
    try (dev.sieve.train.RunModel m = RunCheckpoint.open(dir, RunCheckpoint.of(dir, step))) {
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
