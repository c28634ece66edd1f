package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.LakeLock;
import dev.sieve.core.spark.TableDigest;
import dev.sieve.core.spark.TestSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at a random moment of each stage, then rerun it: every table ends equal (rows and a
 * content hash) to a clean run's. Stage by stage: the lake before the stage is copied, the clean
 * run goes on the original in this JVM, the copy's run is a JVM of its own ({@code sieve <stage>})
 * killed at a random moment after it took the lake's lock, then the stage is run again on the copy.
 * The seed is printed so that a failure can be replayed ({@code -Dsieve.crash.seed=N}).
 *
 * <p>Also two runs at once: the second one is refused with exit code 1 and a line naming the
 * first (run id, host, start time), and the lake holds the first one's result.
 */
class CrashSafetyTest {
  /** Columns that differ between two correct runs: who wrote a row (and when: every {@code *_at}), and paths that carry the run id. */
  private final SparkSession spark = TestSpark.session();

  @Test
  void everyStageSurvivesKillNineAndTheRerunEqualsACleanRun(@TempDir Path dir) throws Exception {
    long seed = Long.getLong("sieve.crash.seed", System.nanoTime());
    System.out.println("CrashSafetyTest seed " + seed + " (replay with -Dsieve.crash.seed=" + seed + ")");
    Random random = new Random(seed);
    Path corpus = SparkSubmitTest.corpus(dir.resolve("corpus"), 150, 11);
    Path clean = dir.resolve("clean");
    Path tokenizer = dir.resolve("tok.json");
    List<String[]> stages = List.of(
        new String[] {"ingest", "--input", corpus.toString()},
        new String[] {"filter"},
        new String[] {"dedup"},
        new String[] {"pii"},
        new String[] {"tokenizer", "train", "--out", tokenizer.toString()},
        new String[] {"tokenize"},
        new String[] {"train", "status", "crash-train"});
    for (String[] stage : stages) {
      if (stage[0].equals("train")) finishedTrainingRun(clean.resolve("runs/crash-train"), 3_000);
      String name = String.join(" ", Arrays.copyOf(stage, stage[0].equals("tokenizer") ? 2 : 1));
      Path crashed = dir.resolve("crashed-" + stage[0]);
      copy(clean, crashed);
      long t0 = System.nanoTime();
      run(clean, stage);
      long cleanMs = (System.nanoTime() - t0) / 1_000_000;

      Path crashedTokenizer = dir.resolve("tok-crashed.json");
      String[] crashArgs = stage[0].equals("tokenizer") ? new String[] {"tokenizer", "train", "--out", crashedTokenizer.toString()} : stage;
      long killAfter = (long) (random.nextDouble() * cleanMs);
      String outcome = killDuring(crashed, killAfter, crashArgs);
      System.out.printf("CrashSafetyTest %s: clean run %d ms; child %s%n", name, cleanMs, outcome);
      run(crashed, crashArgs);

      assertEquals(digest(clean), digest(crashed), name + ": the rerun after kill -9 (" + outcome + ") differs from a clean run");
      if (stage[0].equals("tokenizer")) {
        assertEquals(Files.readString(tokenizer), Files.readString(crashedTokenizer), "tokenizer.json after kill -9 and rerun");
      }
      assertTrue(!Files.exists(crashed.resolve(LakeLock.FILE)), "lock released");
      long abandoned = DeltaTables.read(spark, crashed.resolve(Lake.STAGE_RUNS).toString()).where("status = 'RUNNING'").count();
      assertEquals(0, abandoned, name + ": a killed run's RUNNING row is marked abandoned by the rerun");
    }
    System.out.printf("CrashSafetyTest digests: %d tables queried, %d equal byte for byte to one queried before (not queried again), %.1f s%n",
        digestsQueried, digestsReused, digestNanos / 1e9);
  }

  @Test
  void aSecondRunWhileTheFirstHoldsTheLakeStopsAtOnceNamingIt(@TempDir Path dir) throws Exception {
    Path corpus = SparkSubmitTest.corpus(dir.resolve("corpus"), 40, 2);
    Path lake = dir.resolve("lake");
    Process first = child(lake, "ingest", "--input", corpus.toString(), "--run-id", "ingest-first");
    try {
      waitForLock(lake, first);
      SieveCliTest.Run second = SieveCliTest.sieve("ingest", "--lake", lake.toString(), "--input", corpus.toString(), "--run-id", "ingest-second");
      assertEquals(1, second.code(), second.err());
      String line = second.err().strip();
      assertTrue(line.startsWith("sieve ingest: lake " + lake + " is busy: run ingest-first (stage ingest) holds it, on host "), line);
      assertTrue(line.contains(" since 20") && !line.contains("\n"), line);
      assertTrue(first.waitFor(5, TimeUnit.MINUTES), "the first run finishes");
      assertEquals(0, first.exitValue());
    } finally {
      first.destroyForcibly();
    }
    Dataset<Row> runs = DeltaTables.read(spark, lake.resolve(Lake.STAGE_RUNS).toString());
    assertEquals(1, runs.count(), "the refused run records nothing");
    assertEquals("ingest-first", runs.head().getAs("run_id"));
    Dataset<Row> bronze = DeltaTables.read(spark, lake.resolve(Lake.BRONZE_DOCUMENTS).toString());
    assertEquals(bronze.count(), bronze.select("doc_id").distinct().count(), "no duplicate rows");
    assertEquals(runs.head().<Long>getAs("count_out"), bronze.count(), "no lost rows");
  }

  /**
   * A finished local training run's folder as the launcher and the training program leave it
   * (launch.json with a pid that is gone, exit.json, metrics.jsonl of {@code steps} steps and a
   * validation line every 100): what {@code sieve train status} loads into gold/training_metrics.
   */
  private static void finishedTrainingRun(Path runDir, int steps) throws Exception {
    Files.createDirectories(runDir);
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(runDir.resolve("launch.json"), "{\"backend\":\"local\",\"pid\":" + gone.pid() + "}");
    Files.writeString(runDir.resolve("exit.json"), "{\"status\":\"succeeded\"}");
    StringBuilder m = new StringBuilder();
    for (int step = 1; step <= steps; step++) {
      m.append(String.format(java.util.Locale.ROOT, "{\"step\":%d,\"loss\":%.4f,\"lr\":0.001,\"tokens\":%d}%n", step, 8.0 / Math.sqrt(step), step * 4096L));
      if (step % 100 == 0) m.append(String.format(java.util.Locale.ROOT, "{\"step\":%d,\"val_loss\":%.4f}%n", step, 8.5 / Math.sqrt(step)));
    }
    Files.writeString(runDir.resolve("metrics.jsonl"), m);
  }

  /** Starts {@code sieve args} on {@code lake} in a JVM of its own; kills it {@code afterMs} after it took the lock. */
  private static String killDuring(Path lake, long afterMs, String... args) throws Exception {
    Process p = child(lake, args);
    if (!waitForLock(lake, p)) return "finished (exit " + p.exitValue() + ") before it could be killed";
    if (p.waitFor(afterMs, TimeUnit.MILLISECONDS)) return "finished (exit " + p.exitValue() + ") within " + afterMs + " ms";
    p.destroyForcibly().waitFor();
    return "killed -9 " + afterMs + " ms after it took the lock";
  }

  private static Process child(Path lake, String... args) throws IOException {
    List<String> cmd = SparkSubmitTest.sparkJvm(Sieve.class.getName());
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--lake", lake.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(lake.resolveSibling(lake.getFileName() + ".log").toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb.start();
  }

  /** Waits until the child holds the lake's lock (true) or has exited (false). */
  private static boolean waitForLock(Path lake, Process p) throws InterruptedException {
    Path lock = lake.resolve(LakeLock.FILE);
    while (p.isAlive()) {
      if (Files.exists(lock)) return true;
      Thread.sleep(20);
    }
    return false;
  }

  private static void run(Path lake, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--lake", lake.toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Sieve.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    assertEquals(0, code, "sieve " + String.join(" ", all) + ":\n" + out + err);
  }

  /** Columns left out of the digests. */
  private static final Set<String> VOLATILE = Set.of("run_id", "path", "source_version");
  /**
   * Table digests already computed, by the table and the bytes of every file in its folder: a
   * folder equal byte for byte to one digested before holds the same rows, so its digest is not
   * queried again. Each stage changes a few tables; the others of the clean lake, and of the copy
   * where the stage left them as they were, are taken from here.
   */
  private final Map<String, String> digests = new HashMap<>();
  private int digestsQueried, digestsReused;
  private long digestNanos;

  /**
   * Rows and an order-free content hash of every table, as {@link TableDigest#of(SparkSession, Lake, Set)}
   * gives them (the same loop over {@link Lake#TABLES}, the same per-table digest).
   */
  private Map<String, String> digest(Path lake) throws IOException {
    long t0 = System.nanoTime();
    Lake l = new Lake(lake.toString());
    Map<String, String> out = new LinkedHashMap<>();
    for (String table : Lake.TABLES) {
      if (table.equals(Lake.STAGE_RUNS)) continue;
      String path = l.path(table);
      if (!DeltaTables.exists(spark, path)) {
        out.put(table, "absent");
        continue;
      }
      String key = table + " " + folderHash(Path.of(path));
      String d = digests.get(key);
      if (d == null) {
        d = TableDigest.of(DeltaTables.read(spark, path), VOLATILE);
        digests.put(key, d);
        digestsQueried++;
      } else {
        digestsReused++;
      }
      out.put(table, d);
    }
    digestNanos += System.nanoTime() - t0;
    return out;
  }

  /** SHA-256 over the relative path and the bytes of every file under {@code dir}, in path order. */
  private static String folderHash(Path dir) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        md.update(dir.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(Files.readAllBytes(p));
        md.update((byte) 0);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void copy(Path from, Path to) throws IOException {
    if (!Files.exists(from)) {
      Files.createDirectories(to);
      return;
    }
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }
}
