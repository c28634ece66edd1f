package dev.sieve.train;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the backend of a run folder from its {@code launch.json}. */
public final class Launchers {
  private Launchers() {}

  /** The {@code backend} recorded in {@code RUN_DIR/launch.json}; {@code local} when it names none (older runs). */
  public static String backendOf(Path runDir) {
    if (!Files.isRegularFile(runDir.resolve(RunFiles.LAUNCH))) throw new IllegalArgumentException("no launch.json in " + runDir);
    Object b = RunFiles.readLaunch(runDir).get("backend");
    return b == null ? LocalLauncher.BACKEND : b.toString();
  }

  /** A handle on a run launched earlier by any backend, the cluster ones configured from the environment. */
  public static Launcher.Job attach(Path runDir) {
    String backend = backendOf(runDir);
    return switch (backend) {
      case LocalLauncher.BACKEND -> LocalLauncher.attach(runDir);
      case SlurmLauncher.BACKEND -> SlurmLauncher.attach(runDir);
      case KubernetesLauncher.BACKEND -> KubernetesLauncher.attach(runDir);
      default -> throw new IllegalArgumentException("unknown backend '" + backend + "' in " + runDir.resolve(RunFiles.LAUNCH));
    };
  }
}
