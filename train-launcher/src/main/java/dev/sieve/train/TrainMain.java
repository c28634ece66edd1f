package dev.sieve.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java dev.sieve.train.TrainMain --spec FILE --run-dir DIR}: runs (or resumes) one training
 * job and writes {@code RUN_DIR/exit.json} ({@code status: succeeded | failed}, {@code exit_code},
 * {@code message}) as its last act. Exit codes: 0 done, 2 bad usage or spec, 1 failure.
 */
public final class TrainMain {
  private TrainMain() {}

  /**
   * The command line that runs this program for one run, the same on every backend:
   * {@code <java> -Dai.djl.offline=true <jvmArgs> -cp <classPath> dev.sieve.train.TrainMain --spec <spec> --run-dir <runDir>}
   * (spec and run folder made absolute).
   */
  static List<String> commandLine(String java, List<String> jvmArgs, String classPath, Path spec, Path runDir) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add(TrainMain.class.getName());
    cmd.add("--spec");
    cmd.add(spec.toAbsolutePath().toString());
    cmd.add("--run-dir");
    cmd.add(runDir.toAbsolutePath().toString());
    return cmd;
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String[] args) {
    Path spec = null;
    Path runDir = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--spec") && i + 1 < args.length) spec = Path.of(args[++i]);
      else if (args[i].equals("--run-dir") && i + 1 < args.length) runDir = Path.of(args[++i]);
      else {
        System.err.println("usage: TrainMain --spec FILE --run-dir DIR (unexpected '" + args[i] + "')");
        return 2;
      }
    }
    if (spec == null || runDir == null) {
      System.err.println("usage: TrainMain --spec FILE --run-dir DIR");
      return 2;
    }
    try {
      Files.createDirectories(runDir);
      Files.deleteIfExists(runDir.resolve("exit.json"));
    } catch (IOException e) {
      System.err.println("cannot create run dir " + runDir + ": " + e.getMessage());
      return 1;
    }
    JobSpec js;
    try {
      // Relative paths in the spec are relative to the lake the run folder is in (<lake>/runs/<id>).
      js = JobSpec.load(spec).resolvePaths(JobSpec.lakeOf(runDir));
      js.requireData();
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      writeExit(runDir, 2, e.getMessage());
      return 2;
    }
    Trainer.configureEngine();
    try (Trainer t = new Trainer(js, runDir)) {
      System.out.println("training on " + t.device() + ", run dir " + runDir);
      Trainer.Result r = t.run();
      String msg = "done: " + r.steps() + " steps, loss " + r.lastLoss() + ", val_loss " + r.lastValLoss() + ", rollbacks " + r.rollbacks();
      System.out.println(msg);
      writeExit(runDir, 0, msg);
      return 0;
    } catch (RuntimeException e) {
      e.printStackTrace();
      writeExit(runDir, 1, String.valueOf(e.getMessage()));
      return 1;
    }
  }

  static void writeExit(Path runDir, int code, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", code == 0 ? "succeeded" : "failed");
    m.put("exit_code", code);
    m.put("message", message);
    m.put("end_time", Instant.now().toString());
    try {
      Path tmp = runDir.resolve("exit.json.tmp");
      Files.writeString(tmp, new ObjectMapper().writeValueAsString(m));
      Files.move(tmp, runDir.resolve("exit.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      System.err.println("cannot write exit.json: " + e.getMessage());
    }
  }
}
