package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Slurm backend against scripted command answers: the exact argv, script and state mapping. */
class SlurmLauncherTest {
  @TempDir Path tmp;

  /** Answers commands from a queue and records every argv. */
  static final class FakeSlurm implements CommandRunner {
    final List<List<String>> calls = new ArrayList<>();
    final Deque<Result> answers = new ArrayDeque<>();

    FakeSlurm answer(int code, String out, String err) {
      answers.add(new Result(code, out, err));
      return this;
    }

    @Override
    public Result run(List<String> argv) {
      calls.add(List.copyOf(argv));
      return answers.isEmpty() ? new Result(1, "", "no answer scripted") : answers.poll();
    }
  }

  static SlurmLauncher.Options options() {
    return new SlurmLauncher.Options("gpu", "02:30:00", 8, 2, "32G", "proj1", List.of("-Xmx8g"), "/opt/jdk/bin/java", "/shared/sieve/lib/*",
        List.of("--constraint=a100"), List.of("module load java/17"));
  }

  @Test
  void scriptHasTheDirectivesAndTheTrainingCommand() {
    Path run = tmp.resolve("runs/r1");
    Path spec = run.resolve("spec.yaml");
    String s = new SlurmLauncher(options(), new FakeSlurm()).script(spec, run);
    String expected = "#!/bin/bash\n"
        + "#SBATCH --job-name=sieve-train-r1\n"
        + "#SBATCH --output=" + run + "/train.log\n"
        + "#SBATCH --open-mode=append\n"
        + "#SBATCH --chdir=" + run + "\n"
        + "#SBATCH --nodes=1\n"
        + "#SBATCH --ntasks=1\n"
        + "#SBATCH --cpus-per-task=8\n"
        + "#SBATCH --gres=gpu:2\n"
        + "#SBATCH --mem=32G\n"
        + "#SBATCH --time=02:30:00\n"
        + "#SBATCH --partition=gpu\n"
        + "#SBATCH --account=proj1\n"
        + "#SBATCH --requeue\n"
        + "#SBATCH --constraint=a100\n";
    assertTrue(s.startsWith(expected), s);
    assertTrue(s.contains("\nset -eo pipefail\nmodule load java/17\n"), s);
    assertTrue(s.endsWith("\nexec /opt/jdk/bin/java -Dai.djl.offline=true -Xmx8g -cp '/shared/sieve/lib/*' dev.sieve.train.TrainMain --spec "
        + spec + " --run-dir " + run + "\n"), s);
  }

  @Test
  void defaultsUseThisJvmAndClassPathAndLeaveOutWhatIsUnset() {
    Path run = tmp.resolve("runs/r2");
    String s = new SlurmLauncher(SlurmLauncher.Options.defaults(), new FakeSlurm()).script(run.resolve("spec.yaml"), run);
    assertFalse(s.contains("--partition"), s);
    assertFalse(s.contains("--gres"), s);
    assertFalse(s.contains("--mem"), s);
    assertTrue(s.contains("#SBATCH --cpus-per-task=1\n#SBATCH --time=01:00:00\n"), s);
    assertTrue(s.contains(SlurmLauncher.shellQuote(System.getProperty("java.class.path"))), s);
    assertTrue(s.contains("dev.sieve.train.TrainMain --spec"), s);
  }

  @Test
  void pathsWithSpacesAreQuoted() {
    Path run = tmp.resolve("my runs/r 3");
    String s = new SlurmLauncher(SlurmLauncher.Options.defaults(), new FakeSlurm()).script(run.resolve("spec.yaml"), run);
    assertTrue(s.contains("#SBATCH --output=\"" + run + "/train.log\"\n"), s);
    assertTrue(s.contains("--run-dir '" + run + "'\n"), s);
    assertEquals("'it'\\''s'", SlurmLauncher.shellQuote("it's"));
  }

  @Test
  void badTimeLimitIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> SlurmLauncher.Options.defaults().withTime("2 hours"));
    SlurmLauncher.Options.defaults().withTime("1-12:00:00");
    SlurmLauncher.Options.defaults().withTime("90");
  }

  @Test
  void submitWritesTheScriptRunsSbatchParsableAndRecordsTheJob() throws Exception {
    Path run = tmp.resolve("runs/r4");
    Path spec = tmp.resolve("job.yaml");
    Files.writeString(spec, "max_steps: 1\n");
    Files.createDirectories(run);
    Files.writeString(run.resolve("exit.json"), "{\"status\":\"failed\"}");
    FakeSlurm slurm = new FakeSlurm().answer(0, "4242;cluster1\n", "");
    SlurmLauncher.SlurmJob job = new SlurmLauncher(options(), slurm).submit(spec, run);
    assertEquals("4242", job.id());
    assertEquals(List.of(List.of("sbatch", "--parsable", run.resolve("sbatch.sh").toString())), slurm.calls);
    assertEquals(new SlurmLauncher(options(), slurm).script(spec, run), Files.readString(run.resolve("sbatch.sh")));
    assertFalse(Files.exists(run.resolve("exit.json")), "a stale exit file would end the new run at once");
    Map<String, Object> info = RunFiles.readLaunch(run);
    assertEquals("slurm", info.get("backend"));
    assertEquals("4242", info.get("job_id"));
    assertEquals("slurm", Launchers.backendOf(run));
    assertEquals("4242", new SlurmLauncher(options(), slurm).job(run).id());
  }

  @Test
  void sbatchFailureSaysWhy() {
    Path run = tmp.resolve("runs/r5");
    FakeSlurm slurm = new FakeSlurm().answer(1, "", "sbatch: error: invalid partition specified: nope\n");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SlurmLauncher(options(), slurm).submit(run.resolve("s.yaml"), run));
    assertTrue(e.getMessage().contains("invalid partition"), e.getMessage());
  }

  @Test
  void stateAsksSqueueThenSacctThenScontrolThenTheRunFolder() throws Exception {
    Path run = tmp.resolve("runs/r6");
    Files.createDirectories(run);
    RunFiles.writeLaunch(run, new java.util.LinkedHashMap<>(Map.of("backend", "slurm", "job_id", "77")));
    List<String> squeue = List.of("squeue", "-h", "-j", "77", "-o", "%T");
    List<String> sacct = List.of("sacct", "-n", "-X", "-j", "77", "-o", "State");
    List<String> scontrol = List.of("scontrol", "show", "job", "-o", "77");

    FakeSlurm slurm = new FakeSlurm().answer(0, "PENDING\n", "");
    assertEquals(Launcher.State.PENDING, SlurmLauncher.attach(run, slurm).state());
    assertEquals(List.of(squeue), slurm.calls);

    slurm = new FakeSlurm().answer(0, "RUNNING\n", "");
    assertEquals(Launcher.State.RUNNING, SlurmLauncher.attach(run, slurm).state());

    slurm = new FakeSlurm().answer(0, "", "").answer(0, " CANCELLED by 0 \n", "");
    assertEquals(Launcher.State.CANCELLED, SlurmLauncher.attach(run, slurm).state());
    assertEquals(List.of(squeue, sacct), slurm.calls);

    slurm = new FakeSlurm().answer(1, "", "slurm_load_jobs error: Invalid job id specified").answer(0, "   COMPLETED \n", "");
    assertEquals(Launcher.State.SUCCEEDED, SlurmLauncher.attach(run, slurm).state());

    slurm = new FakeSlurm().answer(0, "", "").answer(1, "", "Slurm accounting storage is disabled")
        .answer(0, "JobId=77 JobName=sieve-train-r6 UserId=root(0) JobState=TIMEOUT Reason=TimeLimit\n", "");
    assertEquals(Launcher.State.FAILED, SlurmLauncher.attach(run, slurm).state());
    assertEquals(List.of(squeue, sacct, scontrol), slurm.calls);

    // Forgotten by Slurm: exit.json decides, else a recorded cancel, else failed.
    slurm = new FakeSlurm();
    assertEquals(Launcher.State.FAILED, SlurmLauncher.attach(run, slurm).state());
    Files.writeString(run.resolve("exit.json"), "{\"status\":\"succeeded\"}");
    assertEquals(Launcher.State.SUCCEEDED, SlurmLauncher.attach(run, new FakeSlurm()).state());
  }

  @Test
  void slurmStatesMapToTheCommonOnes() {
    assertEquals(Launcher.State.PENDING, SlurmLauncher.mapState("REQUEUED").orElseThrow());
    assertEquals(Launcher.State.RUNNING, SlurmLauncher.mapState("COMPLETING").orElseThrow());
    assertEquals(Launcher.State.FAILED, SlurmLauncher.mapState("OUT_OF_MEMORY").orElseThrow());
    assertEquals(Launcher.State.FAILED, SlurmLauncher.mapState("NODE_FAIL").orElseThrow());
    assertEquals(Launcher.State.CANCELLED, SlurmLauncher.mapState("CANCELLED+").orElseThrow());
    assertTrue(SlurmLauncher.mapState("").isEmpty());
    assertTrue(SlurmLauncher.mapState("WHATEVER").isEmpty());
  }

  @Test
  void cancelRunsScancelAndRecordsIt() throws Exception {
    Path run = tmp.resolve("runs/r7");
    Files.createDirectories(run);
    RunFiles.writeLaunch(run, new java.util.LinkedHashMap<>(Map.of("backend", "slurm", "job_id", "88")));
    FakeSlurm slurm = new FakeSlurm().answer(0, "", "").answer(0, "CANCELLED\n", "");
    SlurmLauncher.attach(run, slurm).cancel();
    assertEquals(List.of("scancel", "88"), slurm.calls.get(0));
    assertEquals(List.of("squeue", "-h", "-j", "88", "-o", "%T"), slurm.calls.get(1));
    assertTrue(RunFiles.readLaunch(run).containsKey("cancel_time"));
    assertEquals(Launcher.State.CANCELLED, SlurmLauncher.attach(run, new FakeSlurm()).state(), "forgotten by Slurm, cancelled by us");
  }
}
