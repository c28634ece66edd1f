package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.generate.GeneratedCorpus;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * What the cluster and remote-lake tests ({@code StandaloneClusterIT}, {@code HdfsLakeIT},
 * {@code S3LakeIT}) share: the corpus, the stages, an embedded reference run (in a test JVM, on
 * {@code local[2]}, lake on local disk, run once per build by whichever failsafe fork asks first, in
 * a thread of its own while that IT's cluster and spark-submit run), per-table digests, and
 * {@code SparkSubmit} with {@code cli/target/sieve-spark.jar} in a JVM whose class path is only
 * Spark's own jars (what a Spark distribution has). These run in Maven's integration-test phase
 * (failsafe), after {@code package} built the jar.
 */
final class ScaleHarness {
  static final int DOCS = 300;
  static final long SEED = 18;
  /** How long one spark-submit may run before the test calls it hung. */
  static final int SUBMIT_TIMEOUT_MINUTES = 20;

  /**
   * Columns that differ between two correct runs on the same input: who wrote a row and when
   * ({@code run_id}, every {@code *_at}), paths that carry the run id or the input's location
   * ({@code source_file} is where the input lay: a local folder, HDFS or S3), and an input file's
   * {@code modification_time} (a copy on HDFS or S3 is newer than the local file).
   */
  private static final Set<String> VOLATILE = Set.of("run_id", "path", "source_version", "source_file", "file", "modification_time");

  /** The embedded run of this JVM, once {@link #startEmbedded} began it. */
  private static java.util.concurrent.CompletableFuture<Map<String, String>> embedding;

  private ScaleHarness() {}

  /** Where the integration tests keep their files ({@code cli/target/it}). */
  static Path itDir() throws IOException {
    Path d = Path.of(System.getProperty("sieve.it.dir", "target/it")).toAbsolutePath();
    Files.createDirectories(d);
    return d;
  }

  /** A fresh, empty folder {@code name} under {@link #itDir()}. */
  static Path freshDir(String name) throws IOException {
    Path d = itDir().resolve(name);
    deleteTree(d);
    Files.createDirectories(d);
    return d;
  }

  /** The spark-submit jar that {@code package} built. */
  static Path sparkJar() {
    Path jar = Path.of(System.getProperty("sieve.spark.jar", "target/sieve-spark.jar"));
    assertTrue(Files.isRegularFile(jar), "no " + jar + ": these tests run in 'mvn verify' after package built it");
    return jar;
  }

  /**
   * The jars of the "Spark distribution" the cluster JVMs run on: Spark and its dependencies and
   * the third-party libraries of the CLI (the cli module's compile and provided scopes, as
   * {@code package} wrote them to {@code compile-classpath.txt}), never Sieve's own classes, which
   * come only from {@code sieve-spark.jar}.
   */
  static List<String> sparkJars() throws IOException {
    Path cp = Path.of(System.getProperty("sieve.spark.classpath", "target/compile-classpath.txt"));
    assertTrue(Files.isRegularFile(cp), "no " + cp + ": these tests run in 'mvn verify' after package wrote it");
    return Arrays.stream(Files.readString(cp).strip().split(File.pathSeparator)).filter(s -> !s.isBlank()).toList();
  }

  /** Jars of this JVM's class path whose path contains one of {@code parts} (e.g. hadoop-aws and the AWS SDK for S3A). */
  static List<String> testJars(String... parts) {
    List<String> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.endsWith(".jar") && Arrays.stream(parts).anyMatch(e::contains)) out.add(e);
    }
    return out;
  }

  /** The test corpus ({@value #DOCS} documents, seed {@value #SEED}), generated once per machine. */
  static Path corpus() throws IOException {
    return GeneratedCorpus.cached(DOCS, SEED).dir();
  }

  /**
   * The config every run uses: the demo profile (tokenize trains the corpus's own BPE into
   * gold/tokenizers/demo). Written once: the embedded run's thread asks for it while a
   * spark-submit JVM may be reading it.
   */
  static synchronized Path config() throws IOException {
    Path f = itDir().resolve("scale.yaml");
    try (InputStream in = Sieve.class.getResourceAsStream("demo.yaml")) {
      byte[] yaml = in.readAllBytes();
      if (!Files.isRegularFile(f) || !Arrays.equals(Files.readAllBytes(f), yaml)) {
        // Whole or not at all: the other failsafe fork's spark-submit may be reading it.
        Path tmp = Files.createTempFile(itDir(), "scale", ".yaml");
        Files.write(tmp, yaml);
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    }
    return f;
  }

  /**
   * The five stages in one application ({@code pipeline --no-train}: ingest, filter, dedup, pii,
   * tokenize, each a {@code Stage.run} of its own as when submitted one by one), then
   * {@code shards verify} in a second; ingest reads {@code input}. One application for the five
   * stages rather than five: each submit costs a JVM, a SparkContext and (standalone) two executor
   * JVMs, most of an IT's time on two cores, while the stages' own work is the same.
   */
  static List<String[]> stages(String input) {
    return List.of(
        new String[] {"pipeline", "--no-train", "--input", input},
        new String[] {"shards", "verify"});
  }

  /**
   * Where a copy of the corpus goes under a remote {@code root} (HDFS, a bucket): a folder named
   * like the local one, because ingest derives the ids of keyless records from the path under the
   * {@code --input} argument's parent ({@code InputFiles.idPath}), so the copy must keep that name
   * for its ids to equal the embedded run's.
   */
  static String remoteInput(String root) throws IOException {
    return root + "/input/" + corpus().getFileName();
  }

  /**
   * Digests of the embedded run: every stage in this JVM on local[2], lake on local disk; once per
   * JVM. Waits for the run {@link #startEmbedded} began, or runs it now.
   */
  static Map<String, String> embedded() throws IOException {
    try {
      return startEmbedded().join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      if (e.getCause() instanceof Error err) throw err; // an assertion of the embedded run
      throw e;
    }
  }

  /**
   * Starts the embedded run in a thread of its own, once per JVM, and returns it: an IT starts it
   * before its cluster and its spark-submit, which spend most of their time in other JVMs while
   * this one waits, so the reference run costs a fresh clone's first IT little wall time.
   */
  static synchronized java.util.concurrent.CompletableFuture<Map<String, String>> startEmbedded() throws IOException {
    if (embedding != null) return embedding;
    corpus(); // generated here, not in two threads at once
    embedding = new java.util.concurrent.CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        embedding.complete(runEmbedded());
      } catch (Throwable e) {
        embedding.completeExceptionally(e);
      }
    }, "embedded-reference-run");
    t.setDaemon(true);
    t.start();
    return embedding;
  }

  /**
   * The embedded run's digests, computed by one test JVM of the build and read by the others:
   * kept in target/it, keyed by the jar's size (package rewrites it, with new timestamps, on every
   * build; mvn clean drops it), behind a file lock, so that the failsafe forks (which run the ITs
   * side by side) wait for the first one's run instead of each running it again.
   */
  private static Map<String, String> runEmbedded() throws IOException {
    String key = DOCS + "-" + SEED + "-" + Files.size(sparkJar());
    Path cache = itDir().resolve("embedded-digest-" + key + ".txt");
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(itDir().resolve("embedded-digest.lock"),
             java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
         java.nio.channels.FileLock lock = ch.lock()) {
      if (Files.isRegularFile(cache)) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(cache)) m.put(line.substring(0, line.indexOf('\t')), line.substring(line.indexOf('\t') + 1));
        return m;
      }
      Map<String, String> embedded = runEmbeddedStages();
      StringBuilder b = new StringBuilder();
      embedded.forEach((k, v) -> b.append(k).append('\t').append(v).append('\n'));
      Path tmp = itDir().resolve("embedded-digest-" + key + ".tmp");
      Files.writeString(tmp, b);
      Files.move(tmp, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return embedded;
    }
  }

  private static Map<String, String> runEmbeddedStages() throws IOException {
    SparkSession spark = TestSpark.session();
    Path lake = freshDir("embedded-lake");
    String config = config().toString();
    long t0 = System.nanoTime();
    for (String[] stage : stages(corpus().toString())) {
      List<String> all = new ArrayList<>(List.of(stage));
      all.addAll(List.of("--lake", lake.toString(), "--config", config));
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Sieve.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
      assertEquals(0, code, "embedded sieve " + String.join(" ", all) + ":\n" + out + err);
    }
    Map<String, String> embedded = digest(spark, lake.toString());
    System.out.printf("ScaleHarness: embedded run %d s: %s%n", (System.nanoTime() - t0) / 1_000_000_000, embedded);
    return embedded;
  }

  /**
   * Rows and an order-free content hash (sum of xxhash64 over the stable columns) of every table
   * of the lake at {@code root} (any Hadoop URI this JVM's Spark session can read).
   */
  static Map<String, String> digest(SparkSession spark, String root) {
    Lake lake = new Lake(root);
    Map<String, String> out = new LinkedHashMap<>();
    for (String table : Lake.TABLES) {
      if (table.equals(Lake.STAGE_RUNS)) continue;
      String path = lake.path(table);
      if (!DeltaTables.exists(spark, path)) {
        out.put(table, "absent");
        continue;
      }
      Dataset<Row> df = DeltaTables.read(spark, path);
      Column[] stable = Arrays.stream(df.schema().fields()).filter(f -> !VOLATILE.contains(f.name()) && !f.name().endsWith("_at"))
          .map(f -> f.dataType() instanceof org.apache.spark.sql.types.MapType
              ? functions.to_json(functions.array_sort(functions.map_entries(functions.col(f.name()))))
              : functions.col(f.name()))
          .toArray(Column[]::new);
      Row r = df.agg(functions.count(functions.lit(1)), functions.sum(functions.xxhash64(stable).cast("decimal(38,0)"))).head();
      out.put(table, r.getLong(0) + " rows, hash " + r.get(1));
    }
    return out;
  }

  /**
   * Runs {@code SparkSubmit --master master [confs] --class dev.sieve.cli.Sieve sieve-spark.jar args}
   * in a JVM whose class path is Spark's jars plus {@code extraJars}, in the working directory
   * {@code cwd} ({@code null}: this JVM's); output in {@code log}. Returns the output; asserts exit 0.
   */
  static String submit(Path log, Path cwd, String master, List<String> extraJars, List<String> confs, String... args) throws IOException, InterruptedException {
    List<String> cp = new ArrayList<>(sparkJars());
    cp.addAll(extraJars);
    List<String> cmd = java(cp, "1g");
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.addAll(List.of("--master", master, "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=2",
        "--conf", "spark.ui.showConsoleProgress=false",
        // A small lake: Delta's log replay in 2 tasks, not 50 (as TestSpark does).
        "--conf", "spark.databricks.delta.snapshotPartitions=2", "--conf", "spark.default.parallelism=2"));
    for (String c : confs) cmd.addAll(List.of("--conf", c));
    cmd.addAll(List.of("--class", Sieve.class.getName(), sparkJar().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    if (cwd != null) pb.directory(cwd.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      // A guard against a hung submit, not a time limit: five stages in one application take a
      // minute or two on two idle cores, many more when other builds share them.
      assertTrue(p.waitFor(SUBMIT_TIMEOUT_MINUTES, TimeUnit.MINUTES),
          "spark-submit " + String.join(" ", args) + " did not finish in " + SUBMIT_TIMEOUT_MINUTES + " minutes (log " + log + ")");
    } finally {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "spark-submit " + String.join(" ", args) + " failed:\n" + tail(out, 12_000));
    System.out.printf("ScaleHarness: spark-submit %s (%s): %d s%n", String.join(" ", args), master, (System.nanoTime() - t0) / 1_000_000_000);
    return out;
  }

  /**
   * {@code java -Xmx<heap> <the tests' JIT flags> <Spark's --add-opens> -cp <cp>}: the start of a
   * Spark JVM's command line.
   */
  static List<String> java(List<String> cp, String heap) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.addAll(testJvm());
    cmd.addAll(opens());
    cmd.addAll(List.of("-cp", String.join(File.pathSeparator, cp)));
    return cmd;
  }

  /** Spark's {@code --add-opens} flags (the parent POM's {@code spark.jvm.opens}). */
  static List<String> opens() {
    return flags("sieve.spark.opens");
  }

  /** The JVM flags every test JVM runs with (the parent POM's {@code test.jvm.jit}). */
  static List<String> testJvm() {
    return flags("sieve.test.jvm");
  }

  private static List<String> flags(String property) {
    return Arrays.stream(System.getProperty(property, "").split(" ")).filter(s -> !s.isBlank()).toList();
  }

  /**
   * Runs every stage through spark-submit (in {@code cwd}, {@code null}: this JVM's; {@code lake}
   * may be relative to it) and asserts the tables equal the embedded run's.
   */
  static void runAndCompare(String name, Path logs, Path cwd, String master, List<String> extraJars, List<String> confs, String lake,
      String input, SparkSession spark) throws Exception {
    startEmbedded(); // runs in this JVM while the submits run in theirs
    String config = config().toString();
    for (String[] stage : stages(input)) {
      List<String> all = new ArrayList<>(List.of(stage));
      all.addAll(List.of("--lake", lake, "--config", config));
      submit(logs.resolve(stage[0] + (stage.length > 1 && !stage[1].startsWith("-") ? "-" + stage[1] : "") + ".log"),
          cwd, master, extraJars, confs, all.toArray(String[]::new));
    }
    Map<String, String> expected = embedded();
    Map<String, String> actual = digest(spark, cwd == null || Lake.isAbsolute(lake) ? lake : cwd.resolve(lake).toString());
    assertEquals(expected, actual, name + ": the tables differ from the embedded run's");
    assertTrue(expected.get(Lake.GOLD_SHARD_MANIFEST).matches("[1-9].*"), "shards were written: " + expected);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Waits until {@code log} contains {@code needle} {@code times} times; false when {@code p} exits or the time is up. */
  static boolean waitForLog(Path log, String needle, int times, Process p, long timeoutMs) throws Exception {
    long end = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < end) {
      if (Files.exists(log)) {
        String s = Files.readString(log, StandardCharsets.ISO_8859_1);
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        if (n >= times) return true;
      }
      if (p != null && !p.isAlive()) return false;
      Thread.sleep(200);
    }
    return false;
  }

  private static final List<Process> started = new java.util.concurrent.CopyOnWriteArrayList<>();

  static {
    // Daemons outlive a test JVM that is killed (a Maven timeout, Ctrl-C) unless stopped here too.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> started.forEach(ScaleHarness::stop)));
  }

  /** Starts a daemon (Spark master or worker, S3Mock) that {@link #stop} or this JVM's exit ends. */
  static Process start(ProcessBuilder pb) throws IOException {
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /** Stops a process this test started and its children (executors a worker launched). */
  static void stop(Process p) {
    if (p == null) return;
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String tail(String s, int chars) {
    return s.length() <= chars ? s : "..." + s.substring(s.length() - chars);
  }

  static void deleteTree(Path d) throws IOException {
    if (!Files.exists(d)) return;
    try (Stream<Path> walk = Files.walk(d)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
