package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.generate.CorpusGenerator;
import dev.sieve.generate.GenerateSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stages run the way a cluster runs them: through Spark's real {@code SparkSubmit} entry point
 * ({@code spark-submit --class dev.sieve.cli.Sieve <jar> <stage> ...}) on {@code local[2]}, in a
 * JVM of their own. There is no Spark distribution here, and {@code spark-submit} is only a
 * launcher for that class (DEPENDENCIES.md): the child JVM gets Spark on its class path and the
 * application jar holds the CLI's classes.
 */
class SparkSubmitTest {
  @Test
  void ingestAndQueryThroughSparkSubmit(@TempDir Path dir) throws Exception {
    Path corpus = corpus(dir.resolve("corpus"), 120, 3);
    Path jar = appJar(dir.resolve("sieve-app.jar"));
    String lake = dir.resolve("lake").toString();

    String ingest = submit(dir, jar, "ingest", "--lake", lake, "--input", corpus.toString());
    assertTrue(ingest.contains("4 files found, 4 read") && ingest.contains("documents -> " + lake + "/bronze/documents"), ingest);
    String sql = submit(dir, jar, "sql", "--lake", lake, "--json", "SELECT count(*) AS n, count(DISTINCT doc_id) AS ids FROM bronze_documents");
    String line = sql.lines().filter(l -> l.startsWith("{\"n\":")).findFirst().orElseThrow(() -> new AssertionError(sql));
    long n = Long.parseLong(line.replaceAll(".*\"n\":(\\d+).*", "$1"));
    long ids = Long.parseLong(line.replaceAll(".*\"ids\":(\\d+).*", "$1"));
    assertTrue(n > 100, line);
    assertEquals(n, ids, "doc ids are unique");
  }

  /** Runs {@code SparkSubmit --master local[2] --class dev.sieve.cli.Sieve jar args...}; returns stdout + stderr; asserts exit 0. */
  static String submit(Path dir, Path jar, String... args) throws IOException, InterruptedException {
    List<String> cmd = sparkJvm("org.apache.spark.deploy.SparkSubmit");
    cmd.addAll(List.of("--master", "local[2]", "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=2",
        "--class", "dev.sieve.cli.Sieve", jar.toString()));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(dir, "submit-", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "spark-submit did not finish");
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "spark-submit " + String.join(" ", args) + " failed:\n" + out);
    return out;
  }

  /**
   * A {@code java} command line for a Spark JVM of its own running {@code mainClass}: this JVM's
   * class path, 1 GB of heap and the {@code --add-opens} flags Spark needs ({@link ScaleHarness#java}).
   */
  static List<String> sparkJvm(String mainClass) {
    List<String> cmd = ScaleHarness.java(List.of(System.getProperty("java.class.path")), "1g");
    cmd.add(mainClass);
    return cmd;
  }

  /** A generated corpus of {@code docs} documents in {@code dir}. */
  static Path corpus(Path dir, int docs, long seed) throws IOException {
    GenerateSettings g = new GenerateSettings();
    g.docs = docs;
    g.seed = seed;
    new CorpusGenerator(g).generate(dir, null);
    return dir;
  }

  /** The application jar: the CLI's compiled classes and resources. */
  static Path appJar(Path jar) throws IOException {
    Path classes = Path.of(Sieve.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return jar;
  }
}
