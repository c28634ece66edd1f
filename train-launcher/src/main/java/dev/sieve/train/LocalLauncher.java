package dev.sieve.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link TrainMain} in a separate JVM on this machine (same {@code java}, same class path,
 * {@code -Dai.djl.offline=true}), with stdout and stderr appended to {@code RUN_DIR/train.log},
 * and records {@code RUN_DIR/launch.json} (pid, command, start time). The training program writes
 * {@code RUN_DIR/exit.json} when it ends; a run whose process is gone without one was killed.
 * Relaunching on the same run dir resumes from its newest checkpoint.
 */
public final class LocalLauncher implements Launcher {
  private static final ObjectMapper JSON = RunFiles.JSON;
  /** The {@code backend} recorded in {@code launch.json} (a launch.json without one is local too). */
  public static final String BACKEND = "local";

  /** What a run is doing. */
  public enum Status { RUNNING, SUCCEEDED, FAILED }

  private final List<String> jvmArgs;

  /** The backend with the JVM options of {@link #launch(Path, Path)}. */
  public LocalLauncher() {
    this(List.of("-Xmx1g"));
  }

  /** The backend with these JVM options for the training process. */
  public LocalLauncher(List<String> jvmArgs) {
    this.jvmArgs = List.copyOf(jvmArgs);
  }

  @Override
  public String backend() {
    return BACKEND;
  }

  @Override
  public Handle submit(Path spec, Path runDir) {
    return launch(spec, runDir, jvmArgs);
  }

  @Override
  public Handle job(Path runDir) {
    return attach(runDir);
  }

  /** The {@code java} command line for a run. */
  public static List<String> command(Path spec, Path runDir, List<String> jvmArgs) {
    String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return TrainMain.commandLine(java, jvmArgs, System.getProperty("java.class.path"), spec, runDir);
  }

  public static Handle launch(Path spec, Path runDir) {
    return launch(spec, runDir, List.of("-Xmx1g"));
  }

  public static Handle launch(Path spec, Path runDir, List<String> jvmArgs) {
    try {
      Files.createDirectories(runDir);
      Files.deleteIfExists(runDir.resolve("exit.json"));
      List<String> cmd = command(spec, runDir, jvmArgs);
      Path log = runDir.resolve("train.log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Process p = pb.start();
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("backend", BACKEND);
      info.put("pid", p.pid());
      info.put("command", cmd);
      info.put("start_time", Instant.now().toString());
      info.put("spec", JobSpec.recordedPath(runDir, spec));
      RunFiles.writeLaunch(runDir, info);
      return new Handle(runDir, p.pid(), p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot launch training in " + runDir, e);
    }
  }

  /** A handle on a run launched earlier (possibly by another process), from its {@code launch.json}. */
  public static Handle attach(Path runDir) {
    try {
      Map<?, ?> info = JSON.readValue(runDir.resolve("launch.json").toFile(), Map.class);
      return new Handle(runDir, ((Number) info.get("pid")).longValue(), null);
    } catch (IOException e) {
      throw new UncheckedIOException("no launch.json in " + runDir, e);
    }
  }

  /** One launched run. */
  public static final class Handle implements Launcher.Job {
    private final Path runDir;
    private final long pid;
    private final Process process; // null when attached

    Handle(Path runDir, long pid, Process process) {
      this.runDir = runDir;
      this.pid = pid;
      this.process = process;
    }

    public long pid() {
      return pid;
    }

    @Override
    public String id() {
      return Long.toString(pid);
    }

    /** {@link #status()} in the backends' common words (a cancelled local run reads FAILED, as it always has). */
    @Override
    public Launcher.State state() {
      return switch (status()) {
        case RUNNING -> Launcher.State.RUNNING;
        case SUCCEEDED -> Launcher.State.SUCCEEDED;
        case FAILED -> Launcher.State.FAILED;
      };
    }

    @Override
    public Path runDir() {
      return runDir;
    }

    private Optional<ProcessHandle> handle() {
      return process != null ? Optional.of(process.toHandle()) : ProcessHandle.of(pid);
    }

    public boolean alive() {
      return handle().map(ProcessHandle::isAlive).orElse(false);
    }

    /** Running while the process lives; then the exit file's status, or FAILED when it has none (killed). */
    public Status status() {
      if (alive()) return Status.RUNNING;
      Path exit = runDir.resolve("exit.json");
      if (Files.isRegularFile(exit)) {
        try {
          Map<?, ?> m = JSON.readValue(exit.toFile(), Map.class);
          return "succeeded".equals(m.get("status")) ? Status.SUCCEEDED : Status.FAILED;
        } catch (IOException e) {
          return Status.FAILED;
        }
      }
      if (process != null && process.exitValue() == 0) return Status.SUCCEEDED;
      return Status.FAILED;
    }

    /** The last {@code lines} lines of {@code train.log}. */
    @Override
    public String logs(int lines) {
      return RunFiles.tail(runDir.resolve(RunFiles.LOG), lines);
    }

    /** Kills the run and everything it started (SIGKILL); checkpoints already written stay. */
    @Override
    public void cancel() {
      handle().ifPresent(h -> {
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
      });
      waitFor(Duration.ofSeconds(30));
    }

    /** Waits up to {@code timeout}; true when the process has ended. */
    @Override
    public boolean waitFor(Duration timeout) {
      try {
        if (process != null) return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Optional<ProcessHandle> h = handle();
        if (h.isEmpty()) return true;
        h.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        return !alive();
      }
    }
  }
}
