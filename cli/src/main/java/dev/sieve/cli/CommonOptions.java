package dev.sieve.cli;

import dev.sieve.core.Lake;
import dev.sieve.core.RunIds;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every stage command takes: {@code --lake}, {@code --config}, {@code --run-id}. */
public final class CommonOptions {
  @Option(names = "--lake", paramLabel = "PATH", description = "Lake root: a folder or any Hadoop URI (default: ${DEFAULT-VALUE}).",
      defaultValue = Lake.DEFAULT_ROOT)
  String lake;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config, one section per stage (default: built-in defaults).")
  Path config;

  @Option(names = "--run-id", paramLabel = "ID", description = "Run id to record (default: <stage>-<UTC time>-<random>).")
  String runId;

  public Lake lake() {
    return new Lake(lake);
  }

  public SieveConfig config() {
    return SieveConfig.load(config);
  }

  public String runId(String stage) {
    if (runId == null) return RunIds.newRunId(stage);
    try {
      return RunIds.validate(runId);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("bad value for '--run-id': " + e.getMessage());
    }
  }
}
