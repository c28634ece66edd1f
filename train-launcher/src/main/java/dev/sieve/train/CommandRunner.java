package dev.sieve.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external command and returns its exit code and output. {@link SlurmLauncher} runs
 * {@code sbatch}, {@code squeue}, {@code sacct}, {@code scontrol} and {@code scancel} through one,
 * so tests can check the exact argv without a cluster.
 */
@FunctionalInterface
public interface CommandRunner {
  /** What a command did. A command that could not be started has exit code 127. */
  record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  Result run(List<String> argv);

  /** Real processes, each given at most {@code timeout}. */
  static CommandRunner system(Duration timeout) {
    return argv -> {
      Process p;
      try {
        p = new ProcessBuilder(argv).start();
      } catch (IOException e) {
        return new Result(127, "", argv.get(0) + ": " + e.getMessage());
      }
      try {
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          return new Result(124, "", String.join(" ", argv) + ": no answer in " + timeout.toSeconds() + " s");
        }
        return new Result(p.exitValue(), out.join(), err.join());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        return new Result(130, "", "interrupted");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
