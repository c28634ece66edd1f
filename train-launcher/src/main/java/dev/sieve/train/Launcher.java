package dev.sieve.train;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A launch backend: starts {@link TrainMain} on a spec and a run folder somewhere (a process on
 * this machine, a Slurm batch job, a Kubernetes Job) and watches it. Every backend records what
 * it started in {@code RUN_DIR/launch.json} (with a {@code backend} key: {@code local},
 * {@code slurm} or {@code kubernetes}), so {@link Launchers#attach} finds the run again from another
 * process. Training output stays the training program's: {@code metrics.jsonl},
 * {@code checkpoints/}, {@code exit.json}; a run started again on the same folder resumes from its
 * newest checkpoint whatever started it.
 */
public interface Launcher {
  /** Where a run stands, the same words for every backend. */
  enum State {
    PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    /** True for the states a run never leaves. */
    public boolean done() {
      return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
  }

  /** The name recorded in {@code launch.json}. */
  String backend();

  /** Starts a run of {@code spec} in {@code runDir} (created when missing). */
  Job submit(Path spec, Path runDir);

  /** A handle on a run this backend started earlier, from its {@code launch.json}. */
  Job job(Path runDir);

  /** One submitted run. */
  interface Job {
    /** The backend's id: a pid, a Slurm job id, a Kubernetes Job name. */
    String id();

    Path runDir();

    State state();

    /** The last {@code lines} lines of the run's log. */
    String logs(int lines);

    /** Stops the run; checkpoints already written stay. */
    void cancel();

    /** Waits up to {@code timeout}; true when the run has ended. */
    default boolean waitFor(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        if (state().done()) return true;
        if (System.nanoTime() > deadline) return false;
        try {
          Thread.sleep(2000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }
}
