package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.spark.TaskFaults;
import dev.sieve.core.spark.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Spark standalone cluster: a master and two workers started from Spark's own jars (the
 * {@code deploy.master.Master} and {@code deploy.worker.Worker} entry points, a {@code SPARK_HOME}
 * assembled in {@code target/it/standalone/spark-home} from the cli module's provided-scope jars),
 * each worker launching one executor JVM of its own. The five stages (one {@code pipeline --no-train}) and {@code shards verify} are
 * submitted through {@code SparkSubmit --master spark://...} with {@code cli/target/sieve-spark.jar}
 * from a driver whose working directory is not the executors' ({@code --lake lake}, relative);
 * the tables must equal the embedded run's (rows and content hash). The event logs show that both
 * executors ran tasks, and that ingest's task that failed on one executor (the test-only
 * {@link TaskFaults} hook) was retried on the other.
 */
class StandaloneClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path dir;
  private static final List<Process> daemons = new ArrayList<>();
  private static String masterUrl;

  @BeforeAll
  static void startCluster() throws Exception {
    dir = ScaleHarness.freshDir("standalone");
    ScaleHarness.startEmbedded(); // the reference run, in this JVM while the cluster starts and the submits run
    Path home = dir.resolve("spark-home");
    Files.createDirectories(home.resolve("jars"));
    for (String jar : ScaleHarness.sparkJars()) {
      Path j = Path.of(jar);
      Path link = home.resolve("jars").resolve(j.getFileName().toString());
      if (!Files.exists(link)) Files.createSymbolicLink(link, j.toAbsolutePath());
    }
    Files.writeString(home.resolve("RELEASE"), "Spark 4.0.1 (jars from the sieve-cli module's provided scope, for StandaloneClusterIT)\n");

    int port = ScaleHarness.freePort();
    masterUrl = "spark://127.0.0.1:" + port;
    Path masterLog = dir.resolve("master.log");
    Process master = daemon(home, masterLog, "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(ScaleHarness.freePort()));
    assertTrue(ScaleHarness.waitForLog(masterLog, "I have been elected leader", 1, master, 120_000),
        "the master did not start:\n" + read(masterLog));
    for (int i = 1; i <= 2; i++) {
      Path work = dir.resolve("work-" + i);
      Files.createDirectories(work);
      daemon(home, dir.resolve("worker-" + i + ".log"), "org.apache.spark.deploy.worker.Worker", masterUrl,
          "--host", "127.0.0.1", "--cores", "1", "--memory", "1200m", "--webui-port", Integer.toString(ScaleHarness.freePort()),
          "--work-dir", work.toString());
    }
    assertTrue(ScaleHarness.waitForLog(masterLog, "Registering worker", 2, master, 180_000),
        "two workers did not register with the master:\n" + read(masterLog) + "\n" + read(dir.resolve("worker-1.log")));
  }

  @AfterAll
  static void stopCluster() {
    for (Process p : daemons) ScaleHarness.stop(p);
  }

  @Test
  void everyStageRunsOnTwoExecutorsAndEqualsTheEmbeddedRun() throws Exception {
    Path events = dir.resolve("events");
    Files.createDirectories(events);
    Path logs = dir.resolve("logs");
    Files.createDirectories(logs);
    List<String> confs = List.of(
        "spark.executor.extraJavaOptions=" + String.join(" ", ScaleHarness.testJvm()) + " " + String.join(" ", ScaleHarness.opens()),
        "spark.executor.memory=1g",
        "spark.executor.cores=1",
        "spark.cores.max=2",
        // Both executors up before the first task, so that both get work.
        "spark.scheduler.minRegisteredResourcesRatio=1.0",
        "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
        "spark.eventLog.enabled=true",
        "spark.eventLog.compress=false",
        "spark.eventLog.rolling.enabled=false",
        "spark.eventLog.dir=" + events.toUri(),
        // Ingest's first attempt of partition 0 fails; excluded from that executor, the retry goes to the other.
        TaskFaults.CONF + "=ingest:0",
        "spark.excludeOnFailure.enabled=true");
    long t0 = System.nanoTime();
    // The driver runs in dir, the lake is given relative to it (--lake lake), as a user on the
    // cluster's gateway would; the executors run in the workers' own work folders.
    ScaleHarness.runAndCompare("standalone cluster", logs, dir, masterUrl, List.of(), confs, "lake",
        ScaleHarness.corpus().toString(), TestSpark.session());
    assertTrue(Files.isDirectory(dir.resolve("lake/gold/shards/demo")), "the executors wrote the shards into the driver's lake");
    System.out.printf("StandaloneClusterIT: two submits %d s%n", (System.nanoTime() - t0) / 1_000_000_000);

    // What the event logs of the applications (pipeline, shards verify) say.
    int apps = 0;
    Set<String> executorsWithTasks = new TreeSet<>();
    List<JsonNode> injected = new ArrayList<>();
    Map<String, String> successExecutor = new HashMap<>(); // app/stage/index -> executor
    try (Stream<Path> files = Files.list(events)) {
      for (Path f : files.sorted().toList()) {
        apps++;
        int added = 0;
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          JsonNode e = JSON.readTree(line);
          String ev = e.path("Event").asText();
          if (ev.equals("SparkListenerExecutorAdded")) added++;
          if (!ev.equals("SparkListenerTaskEnd")) continue;
          JsonNode info = e.path("Task Info");
          String key = f.getFileName() + "/" + e.path("Stage ID").asInt() + "/" + info.path("Index").asInt();
          String reason = e.path("Task End Reason").path("Reason").asText();
          if (reason.equals("Success")) {
            executorsWithTasks.add(info.path("Executor ID").asText());
            successExecutor.put(key, info.path("Executor ID").asText());
          } else if ((e.path("Task End Reason").path("Description").asText() + e.path("Task End Reason").path("Full Stack Trace").asText())
              .contains("injected fault")) {
            // (Ingest's read runs inside Delta's write job, whose failure description is "Task failed while
            // writing rows"; the injected fault is its cause, in the full stack trace.)
            ((com.fasterxml.jackson.databind.node.ObjectNode) e).put("_key", key);
            injected.add(e);
          }
        }
        assertEquals(2, added, f.getFileName() + ": the application had two executors");
      }
    }
    assertEquals(ScaleHarness.stages("").size(), apps, "one event log per submitted application");
    assertEquals(Set.of("0", "1"), executorsWithTasks, "both executors ran tasks");
    assertFalse(injected.isEmpty(), "ingest's injected task failure happened");
    for (JsonNode failed : injected) {
      String failedOn = failed.path("Task Info").path("Executor ID").asText();
      String retriedOn = successExecutor.get(failed.path("_key").asText());
      assertTrue(retriedOn != null && !retriedOn.equals(failedOn),
          "the task that failed on executor " + failedOn + " succeeded on the other one, not on " + retriedOn);
    }
    String master = read(dir.resolve("master.log"));
    assertTrue(master.contains("Launching executor"), "the master launched executors on the workers");
  }

  /** Starts a Spark daemon from {@code home}'s jars, with the environment a worker needs to launch executors. */
  private static Process daemon(Path home, Path log, String main, String... args) throws IOException {
    List<String> cp = new ArrayList<>();
    cp.add(home.resolve("jars").toString() + "/*");
    List<String> cmd = ScaleHarness.java(cp, "384m");
    cmd.add(main);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = ScaleHarness.start(pb);
    daemons.add(p);
    return p;
  }

  private static String read(Path f) {
    try {
      return Files.exists(f) ? ScaleHarness.tail(Files.readString(f, StandardCharsets.ISO_8859_1), 6_000) : "(no " + f + ")";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
