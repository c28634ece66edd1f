package dev.sieve.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code sieve config}: validate a config file and print the resolved config (defaults filled in). */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Check a config file and print the resolved config, every default filled in.")
final class ConfigCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    var config = common.config();
    spec.commandLine().getOut().print(config.toYaml());
    spec.commandLine().getOut().println("# config hash: " + config.hash());
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
