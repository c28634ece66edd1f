package dev.sieve.cli;

import picocli.CommandLine.Command;

/** {@code sieve config}: validate a config file and print the resolved config (defaults filled in). */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Check a config file and print the resolved config, every default filled in.")
final class ConfigCommand extends LakeCommand {
  @Override
  public Integer call() {
    var config = common.config();
    out().print(config.toYaml());
    out().println("# config hash: " + config.hash());
    out().flush();
    return ExitCodes.OK;
  }
}
