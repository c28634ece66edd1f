package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Slurm backend against a real cluster: real {@code sbatch}, {@code squeue}, {@code scontrol},
 * {@code scancel}, and real training jobs. Skipped, saying why, where {@code sbatch} is not
 * installed or the cluster does not answer {@code sinfo}; {@code train-launcher/src/test/slurm/start-slurm.sh}
 * starts a single-node cluster on this machine. The run folders are on this machine's disk, which
 * the single node shares.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlurmClusterTest {
  @TempDir static Path tmp;
  static final CommandRunner SH = CommandRunner.system(Duration.ofSeconds(30));
  String tok;
  Path train;
  Path valid;
  String partition;

  static boolean onPath(String exe) {
    for (String d : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/usr/sbin").split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, exe))) return true;
    }
    return false;
  }

  @BeforeAll
  void cluster() throws IOException {
    assumeTrue(onPath("sbatch"), "Slurm integration test skipped: 'sbatch' is not installed "
        + "(apt-get install -y slurm-wlm munge, then train-launcher/src/test/slurm/start-slurm.sh as root)");
    CommandRunner.Result r = SH.run(List.of("sinfo", "-h", "-o", "%P %T"));
    assumeTrue(r.ok() && r.stdout().matches("(?s).*\\b(idle|mixed|allocated|completing)\\b.*"),
        "Slurm integration test skipped: the cluster does not answer 'sinfo' with a usable node (exit " + r.exitCode() + ": "
            + (r.stdout() + r.stderr()).strip() + "); start one with train-launcher/src/test/slurm/start-slurm.sh");
    partition = r.stdout().strip().lines().filter(l -> l.contains("*")).findFirst().orElse(r.stdout().strip().lines().findFirst().orElseThrow())
        .split("\\s+")[0].replace("*", "");
    tok = TrainFixtures.tokenizer(tmp.resolve("tok"));
    train = tmp.resolve("shards/train");
    valid = tmp.resolve("shards/valid");
    TrainFixtures.shard(train, tok, 1, 400);
    TrainFixtures.shard(valid, tok, 2, 60);
  }

  SlurmLauncher launcher() {
    return new SlurmLauncher(SlurmLauncher.Options.defaults().withPartition(partition).withTime("00:10:00").withResources(1, 0, "2G")
        .withJvmArgs(List.of("-Xmx1g", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1")));
  }

  Path spec(String name, long steps, String extra) throws IOException {
    Path spec = tmp.resolve(name + ".yaml");
    Files.writeString(spec, TrainFixtures.spec(tok, train, valid, steps, extra));
    return spec;
  }

  static List<Map<String, Object>> events(Path run, String event) {
    return MetricsLog.read(run.resolve("metrics.jsonl")).stream().filter(l -> event.equals(l.get("event"))).toList();
  }

  static void waitUntil(Duration timeout, String what, java.util.function.BooleanSupplier ok) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ok.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(500);
    }
  }

  @Test
  @Order(1)
  void aSubmittedJobTrainsToTheEnd() throws Exception {
    Path run = tmp.resolve("runs/slurm-ok");
    SlurmLauncher.SlurmJob job = launcher().submit(spec("ok", 30, "checkpoint_interval: 10\neval_interval: 10\n"), run);
    assertTrue(job.id().matches("\\d+"), job.id());
    assertEquals("slurm", Launchers.backendOf(run));
    assertTrue(job.waitFor(Duration.ofMinutes(5)), "job " + job.id() + " did not end: " + job.state() + "\n" + job.logs(40));
    assertEquals(Launcher.State.SUCCEEDED, job.state(), job.logs(40));
    assertEquals(Launcher.State.SUCCEEDED, Launchers.attach(run).state());
    assertEquals(1, events(run, "done").size());
    long steps = MetricsLog.read(run.resolve("metrics.jsonl")).stream().filter(l -> l.get("event") == null && l.get("loss") != null).count();
    assertEquals(30, steps);
    assertTrue(Files.isDirectory(run.resolve("checkpoints/step-30")) || Files.isDirectory(run.resolve("checkpoints/step-20")));
    String log = job.logs(200);
    assertTrue(log.contains("sieve: slurm job " + job.id() + " (restart 0)"), log);
  }

  @Test
  @Order(2)
  void aRequeuedJobResumesFromItsNewestCheckpoint() throws Exception {
    Path run = tmp.resolve("runs/slurm-requeue");
    SlurmLauncher.SlurmJob job = launcher().submit(spec("requeue", 40, "checkpoint_interval: 10\neval_interval: 0\ndebug: {step_sleep_ms: 150}\n"), run);
    waitUntil(Duration.ofMinutes(3), "checkpoint step-10 of job " + job.id(), () -> Files.isDirectory(run.resolve("checkpoints/step-10")));
    CommandRunner.Result rq = SH.run(List.of("scontrol", "requeue", job.id()));
    assertTrue(rq.ok(), rq.stderr());
    // Slurm holds a requeued job back for a while (Reason=BeginTime); let it start again now.
    waitUntil(Duration.ofMinutes(1), "job " + job.id() + " back in the queue", () -> job.state() == Launcher.State.PENDING);
    waitUntil(Duration.ofMinutes(1), "job " + job.id() + " released", () -> SH.run(List.of("scontrol", "update", "JobId=" + job.id(), "StartTime=now")).ok());
    assertTrue(job.waitFor(Duration.ofMinutes(5)), "job " + job.id() + " did not end: " + job.state() + "\n" + job.logs(40));
    assertEquals(Launcher.State.SUCCEEDED, job.state(), job.logs(40));
    assertTrue(events(run, "resume").size() >= 1, "no resume event after the requeue");
    assertEquals(1, events(run, "done").size());
    assertTrue(job.logs(400).contains("sieve: slurm job " + job.id() + " (restart 1)"), job.logs(400));
  }

  @Test
  @Order(3)
  void cancelStopsARunningJob() throws Exception {
    Path run = tmp.resolve("runs/slurm-cancel");
    SlurmLauncher.SlurmJob job = launcher().submit(spec("cancel", 1000, "eval_interval: 0\ndebug: {step_sleep_ms: 1000}\n"), run);
    waitUntil(Duration.ofMinutes(3), "job " + job.id() + " training", () -> job.state() == Launcher.State.RUNNING
        && Files.exists(run.resolve("metrics.jsonl")) && !events(run, "start").isEmpty());
    Launchers.attach(run).cancel();
    assertEquals(Launcher.State.CANCELLED, job.state());
    assertTrue(SH.run(List.of("squeue", "-h", "-j", job.id(), "-o", "%T")).stdout().isBlank(), "still queued");
    waitUntil(Duration.ofSeconds(30), "the training process to end", () -> ProcessHandle.allProcesses()
        .noneMatch(p -> p.info().commandLine().orElse("").contains("--run-dir " + run)));
    assertTrue(events(run, "done").isEmpty());
  }
}
