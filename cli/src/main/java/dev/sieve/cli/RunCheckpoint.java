package dev.sieve.cli;

import dev.sieve.core.config.ConfigException;
import dev.sieve.train.Checkpoints;
import dev.sieve.train.RunModel;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checkpoint of a run that {@code sieve train eval} and {@code sieve train generate} read, and the model opened from it. */
final class RunCheckpoint {
  private RunCheckpoint() {}

  /** A run's checkpoint folder for {@code --checkpoint STEP}, or null (the newest) when {@code step} is null. */
  static Path of(Path runDir, Long step) {
    if (step == null) return null;
    Path ck = Checkpoints.dir(runDir).resolve("step-" + step);
    if (!Files.isRegularFile(ck.resolve("params.bin"))) {
      throw new ConfigException("bad value for '--checkpoint': no checkpoint step-" + step + " in " + runDir);
    }
    return ck;
  }

  /** The run's model from checkpoint {@code ck} (null: the newest); a {@link ConfigException} naming RUN_ID when the run has none. */
  static RunModel open(Path dir, Path ck) {
    try {
      return RunModel.open(dir, ck);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("bad value for 'RUN_ID': " + e.getMessage());
    }
  }
}
