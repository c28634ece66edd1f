package dev.sieve.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@link TrainMain} as a Slurm batch job. {@link #submit} writes {@code RUN_DIR/sbatch.sh}
 * (job name, log appended to {@code RUN_DIR/train.log}, time limit, CPUs, GPUs, memory,
 * {@code --requeue}, and the same {@code java ... TrainMain --spec ... --run-dir ...} command as
 * {@link LocalLauncher}, with this JVM's class path unless the options give another), submits it
 * with {@code sbatch --parsable} and records the job id in {@code RUN_DIR/launch.json}
 * ({@code "backend": "slurm"}). A requeued or resubmitted job resumes from the newest checkpoint,
 * as any relaunch on the same run folder does.
 *
 * <p>The state comes from {@code squeue -h -j ID -o %T} while the job is in the queue, then from
 * {@code sacct -n -X -j ID -o State}; a cluster without accounting storage (sacct refuses) is
 * asked {@code scontrol show job -o ID} (which knows a job for {@code MinJobAge} after it ends), and
 * last the run folder ({@code exit.json}, or a cancel recorded in {@code launch.json}) decides.
 * {@link Job#cancel} runs {@code scancel ID}. The run folder must be on a file system the compute
 * nodes share with the submitting machine.
 */
public final class SlurmLauncher implements Launcher {
  public static final String BACKEND = "slurm";
  public static final String SCRIPT = "sbatch.sh";
  private static final Pattern JOB_ID = Pattern.compile("^(\\d+(?:_\\d+)?)(?:;\\S+)?$");

  /**
   * What the job asks Slurm for. Null or blank fields are left out of the script (the
   * partition's defaults apply); {@code gpus} 0 asks for none.
   *
   * @param partition {@code --partition}
   * @param time {@code --time}, in Slurm's forms ({@code MM}, {@code HH:MM:SS}, {@code D-HH:MM:SS})
   * @param cpus {@code --cpus-per-task}
   * @param gpus {@code --gres=gpu:N}
   * @param mem {@code --mem} (e.g. {@code 8G})
   * @param account {@code --account}
   * @param jvmArgs options for the training JVM
   * @param java the {@code java} to run on the node (default: this JVM's)
   * @param classPath the class path on the node (default: this JVM's, for a shared file system)
   * @param extraDirectives more {@code #SBATCH} options, e.g. {@code --constraint=a100}
   * @param setup shell lines run before java, e.g. {@code module load java/17}
   */
  public record Options(String partition, String time, int cpus, int gpus, String mem, String account, List<String> jvmArgs,
      String java, String classPath, List<String> extraDirectives, List<String> setup) {
    public Options {
      jvmArgs = List.copyOf(jvmArgs == null ? List.of() : jvmArgs);
      extraDirectives = List.copyOf(extraDirectives == null ? List.of() : extraDirectives);
      setup = List.copyOf(setup == null ? List.of() : setup);
      if (cpus < 0 || gpus < 0) throw new IllegalArgumentException("cpus and gpus must be >= 0");
      if (time != null && !time.isBlank() && !time.matches("\\d+(-\\d{1,2})?(:\\d{1,2}){0,2}|\\d+-\\d{1,2}|UNLIMITED|INFINITE")) {
        throw new IllegalArgumentException("bad Slurm time limit '" + time + "': use MM, HH:MM:SS or D-HH:MM:SS");
      }
    }

    /** One CPU, no GPU, one hour, the partition's default memory, {@code -Xmx2g}. */
    public static Options defaults() {
      return new Options(null, "01:00:00", 1, 0, null, null, List.of("-Xmx2g"), null, null, List.of(), List.of());
    }

    public Options withPartition(String p) {
      return new Options(p, time, cpus, gpus, mem, account, jvmArgs, java, classPath, extraDirectives, setup);
    }

    public Options withTime(String t) {
      return new Options(partition, t, cpus, gpus, mem, account, jvmArgs, java, classPath, extraDirectives, setup);
    }

    public Options withResources(int c, int g, String m) {
      return new Options(partition, time, c, g, m, account, jvmArgs, java, classPath, extraDirectives, setup);
    }

    public Options withJvmArgs(List<String> j) {
      return new Options(partition, time, cpus, gpus, mem, account, j, java, classPath, extraDirectives, setup);
    }
  }

  private final Options options;
  private final CommandRunner commands;

  public SlurmLauncher(Options options) {
    this(options, CommandRunner.system(Duration.ofSeconds(60)));
  }

  public SlurmLauncher(Options options, CommandRunner commands) {
    this.options = options;
    this.commands = commands;
  }

  @Override
  public String backend() {
    return BACKEND;
  }

  /** The job name: {@code sieve-train-<run folder name>}. */
  static String jobName(Path runDir) {
    return "sieve-train-" + runDir.toAbsolutePath().getFileName();
  }

  /** The training command on the node. */
  List<String> command(Path spec, Path runDir) {
    List<String> local = LocalLauncher.command(spec, runDir, options.jvmArgs());
    List<String> cmd = new ArrayList<>(local);
    if (options.java() != null && !options.java().isBlank()) cmd.set(0, options.java());
    if (options.classPath() != null && !options.classPath().isBlank()) cmd.set(cmd.indexOf("-cp") + 1, options.classPath());
    return cmd;
  }

  /** The batch script for a run. */
  public String script(Path spec, Path runDir) {
    Path dir = runDir.toAbsolutePath();
    for (String s : List.of(dir.toString(), spec.toAbsolutePath().toString())) {
      if (s.contains("\n") || s.contains("\r")) throw new IllegalArgumentException("a path with a line break cannot go into a batch script: " + s);
    }
    StringBuilder sb = new StringBuilder();
    sb.append("#!/bin/bash\n");
    sb.append("#SBATCH --job-name=").append(jobName(dir)).append('\n');
    sb.append("#SBATCH --output=").append(directivePath(dir.resolve(RunFiles.LOG))).append('\n');
    sb.append("#SBATCH --open-mode=append\n");
    sb.append("#SBATCH --chdir=").append(directivePath(dir)).append('\n');
    sb.append("#SBATCH --nodes=1\n");
    sb.append("#SBATCH --ntasks=1\n");
    if (options.cpus() > 0) sb.append("#SBATCH --cpus-per-task=").append(options.cpus()).append('\n');
    if (options.gpus() > 0) sb.append("#SBATCH --gres=gpu:").append(options.gpus()).append('\n');
    if (present(options.mem())) sb.append("#SBATCH --mem=").append(options.mem()).append('\n');
    if (present(options.time())) sb.append("#SBATCH --time=").append(options.time()).append('\n');
    if (present(options.partition())) sb.append("#SBATCH --partition=").append(options.partition()).append('\n');
    if (present(options.account())) sb.append("#SBATCH --account=").append(options.account()).append('\n');
    sb.append("#SBATCH --requeue\n");
    for (String d : options.extraDirectives()) sb.append("#SBATCH ").append(d).append('\n');
    sb.append("# A requeued job starts this script again: TrainMain resumes from the newest checkpoint\n");
    sb.append("# in the run folder, so preemption or a node failure costs at most one checkpoint interval.\n");
    sb.append("set -eo pipefail\n");
    for (String s : options.setup()) sb.append(s).append('\n');
    sb.append("echo \"sieve: slurm job ${SLURM_JOB_ID} (restart ${SLURM_RESTART_COUNT:-0}) on $(hostname) at $(date -Is)\"\n");
    sb.append("exec");
    for (String a : command(spec, dir)) sb.append(' ').append(shellQuote(a));
    sb.append('\n');
    return sb.toString();
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }

  /** sbatch reads a directive's value up to white space unless it is quoted. */
  private static String directivePath(Path p) {
    String s = p.toString();
    return s.matches("[A-Za-z0-9_./@%+=:,-]+") ? s : "\"" + s + "\"";
  }

  static String shellQuote(String s) {
    if (s.matches("[A-Za-z0-9_./@%+=:,-]+")) return s;
    return "'" + s.replace("'", "'\\''") + "'";
  }

  @Override
  public SlurmJob submit(Path spec, Path runDir) {
    Path dir = runDir.toAbsolutePath();
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve(RunFiles.EXIT));
      Path script = dir.resolve(SCRIPT);
      Files.writeString(script, script(spec, dir));
      script.toFile().setExecutable(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the batch script in " + dir, e);
    }
    List<String> argv = List.of("sbatch", "--parsable", dir.resolve(SCRIPT).toString());
    CommandRunner.Result r = commands.run(argv);
    String out = r.stdout().strip();
    Matcher m = JOB_ID.matcher(out.isEmpty() ? "" : out.lines().reduce((a, b) -> b).orElse(""));
    if (!r.ok() || !m.matches()) {
      throw new IllegalStateException("sbatch failed (exit " + r.exitCode() + "): " + (r.stderr().strip() + " " + out).strip());
    }
    String id = m.group(1);
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("backend", BACKEND);
    info.put("job_id", id);
    info.put("job_name", jobName(dir));
    info.put("script", dir.resolve(SCRIPT).toString());
    info.put("command", command(spec, dir));
    info.put("submit_time", Instant.now().toString());
    info.put("spec", JobSpec.recordedPath(runDir, spec));
    if (present(options.partition())) info.put("partition", options.partition());
    RunFiles.writeLaunch(dir, info);
    return new SlurmJob(dir, id, commands);
  }

  @Override
  public SlurmJob job(Path runDir) {
    return attach(runDir, commands);
  }

  /** A handle on a Slurm run from its {@code launch.json}, asking the cluster through real commands. */
  public static SlurmJob attach(Path runDir) {
    return attach(runDir, CommandRunner.system(Duration.ofSeconds(60)));
  }

  static SlurmJob attach(Path runDir, CommandRunner commands) {
    Map<String, Object> info = RunFiles.readLaunch(runDir);
    if (!BACKEND.equals(info.get("backend"))) throw new IllegalArgumentException(runDir + " is not a Slurm run (backend " + info.get("backend") + ")");
    return new SlurmJob(runDir.toAbsolutePath(), String.valueOf(info.get("job_id")), commands);
  }

  /** Slurm's job state words (squeue %T, sacct State, scontrol JobState) in the backends' terms. */
  static Optional<State> mapState(String slurm) {
    if (slurm == null || slurm.isBlank()) return Optional.empty();
    // sacct writes "CANCELLED by 0"; a truncated column ends in '+'.
    String s = slurm.strip().split("\\s+")[0].replace("+", "").toUpperCase(Locale.ROOT);
    return Optional.ofNullable(switch (s) {
      case "PENDING", "CONFIGURING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD", "SPECIAL_EXIT", "RESIZING" -> State.PENDING;
      case "RUNNING", "COMPLETING", "SIGNALING", "STAGE_OUT", "SUSPENDED", "STOPPED", "UPDATE_DB", "POWER_UP_NODE" -> State.RUNNING;
      case "COMPLETED" -> State.SUCCEEDED;
      case "CANCELLED" -> State.CANCELLED;
      case "FAILED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "PREEMPTED", "REVOKED" -> State.FAILED;
      default -> null;
    });
  }

  /** One Slurm job. */
  public static final class SlurmJob implements Launcher.Job {
    private static final Pattern JOB_STATE = Pattern.compile("\\bJobState=(\\S+)");
    private final Path runDir;
    private final String id;
    private final CommandRunner commands;

    SlurmJob(Path runDir, String id, CommandRunner commands) {
      this.runDir = runDir;
      this.id = id;
      this.commands = commands;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Path runDir() {
      return runDir;
    }

    /** The job's state word as Slurm says it, and which command said it; empty when no source knows the job. */
    Optional<String> slurmState() {
      CommandRunner.Result q = commands.run(List.of("squeue", "-h", "-j", id, "-o", "%T"));
      if (q.ok() && !q.stdout().isBlank()) return Optional.of(q.stdout().strip().lines().findFirst().orElse(""));
      CommandRunner.Result a = commands.run(List.of("sacct", "-n", "-X", "-j", id, "-o", "State"));
      if (a.ok() && !a.stdout().isBlank()) return Optional.of(a.stdout().strip().lines().findFirst().orElse(""));
      CommandRunner.Result c = commands.run(List.of("scontrol", "show", "job", "-o", id));
      if (c.ok()) {
        Matcher m = JOB_STATE.matcher(c.stdout());
        if (m.find()) return Optional.of(m.group(1));
      }
      return Optional.empty();
    }

    @Override
    public State state() {
      Optional<State> s = slurmState().flatMap(SlurmLauncher::mapState);
      if (s.isPresent()) return s.get();
      // Slurm has forgotten the job (no accounting, past MinJobAge): the run folder decides.
      Optional<String> exit = RunFiles.exitStatus(runDir);
      if (exit.isPresent()) return "succeeded".equals(exit.get()) ? State.SUCCEEDED : State.FAILED;
      if (RunFiles.cancelled(runDir)) return State.CANCELLED;
      return State.FAILED;
    }

    @Override
    public String logs(int lines) {
      return RunFiles.tail(runDir.resolve(RunFiles.LOG), lines);
    }

    /** {@code scancel ID}, recorded in {@code launch.json}; waits up to a minute for the job to leave. */
    @Override
    public void cancel() {
      CommandRunner.Result r = commands.run(List.of("scancel", id));
      if (!r.ok()) throw new IllegalStateException("scancel " + id + " failed (exit " + r.exitCode() + "): " + r.stderr().strip());
      RunFiles.recordCancel(runDir);
      waitFor(Duration.ofSeconds(60));
    }
  }
}
