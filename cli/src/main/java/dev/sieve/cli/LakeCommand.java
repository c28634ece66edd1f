package dev.sieve.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command that works on a lake shares: picocli's {@link CommandSpec} and the
 * {@link CommonOptions} ({@code --lake}, {@code --config}, {@code --run-id}); picocli reads the
 * annotated fields of this superclass as if each command declared them.
 */
abstract class LakeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  CommonOptions common;

  /** Where the command prints: picocli's out stream, so tests and callers can capture it. */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
