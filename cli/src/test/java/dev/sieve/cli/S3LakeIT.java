package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import dev.sieve.core.spark.LakeLock;
import dev.sieve.core.spark.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lake on an S3 API: Adobe's S3Mock (a Spring Boot server from Maven Central, in a JVM of its
 * own on loopback) reached through Hadoop's S3A ({@code hadoop-aws} and the AWS SDK modules it
 * needs, added to the driver's class path as a cluster would add them), with Delta's
 * {@code S3SingleDriverLogStore} for {@code s3a://} as Delta documents for a single writer. The
 * corpus is uploaded to the bucket, then the five stages (one {@code pipeline --no-train}) and {@code shards verify} run through
 * {@code SparkSubmit --master local[2]} with {@code sieve-spark.jar}, {@code --lake s3a://sieve/lake}
 * and {@code --input s3a://sieve/input/<the local corpus folder name>}; the tables must equal the embedded run's and the
 * files written outside Delta must be in the bucket.
 */
class S3LakeIT {
  private static final String BUCKET = "sieve";
  private static Path dir;
  private static Process s3mock;
  private static final Map<String, String> s3a = new LinkedHashMap<>();

  @BeforeAll
  static void startS3() throws Exception {
    dir = ScaleHarness.freshDir("s3");
    ScaleHarness.startEmbedded(); // the reference run, in this JVM while the S3 server starts
    Path jar = Path.of(System.getProperty("sieve.s3mock.jar", "target/it/s3mock-exec.jar"));
    assertTrue(Files.isRegularFile(jar), "no " + jar + ": the pre-integration-test phase copies it");
    // A port freePort() found free can be taken by another JVM (the other failsafe fork starts
    // HDFS and Spark daemons meanwhile) before S3Mock binds it: then it is started again on others.
    int http = 0;
    for (int attempt = 1; ; attempt++) {
      http = ScaleHarness.freePort();
      Path log = dir.resolve("s3mock-" + attempt + ".log");
      // S3Mock 3.x settings (S3MockProperties, StoreProperties): HTTP port, region, the bucket, where it keeps the objects.
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m"));
      cmd.addAll(ScaleHarness.testJvm());
      cmd.addAll(List.of("-jar", jar.toString(), "--server.port=" + ScaleHarness.freePort(), "--server.address=127.0.0.1",
          "--com.adobe.testing.s3mock.httpPort=" + http, "--com.adobe.testing.s3mock.region=us-east-1",
          "--com.adobe.testing.s3mock.domain.initialBuckets=" + BUCKET, "--com.adobe.testing.s3mock.domain.root=" + dir.resolve("store"),
          "--com.adobe.testing.s3mock.domain.retainFilesOnExit=false", "--spring.main.banner-mode=off"));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      s3mock = ScaleHarness.start(pb);
      if (ScaleHarness.waitForLog(log, "Started S3MockApplication", 1, s3mock, 120_000)) break;
      String out = Files.readString(log, StandardCharsets.ISO_8859_1);
      ScaleHarness.stop(s3mock);
      assertTrue(attempt < 3 && out.contains("already in use"), "S3Mock did not start:\n" + ScaleHarness.tail(out, 6_000));
    }
    s3a.put("fs.s3a.endpoint", "http://127.0.0.1:" + http);
    s3a.put("fs.s3a.endpoint.region", "us-east-1");
    s3a.put("fs.s3a.path.style.access", "true");
    s3a.put("fs.s3a.connection.ssl.enabled", "false");
    s3a.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    s3a.put("fs.s3a.access.key", "sieve-test");
    s3a.put("fs.s3a.secret.key", "sieve-test-secret");
    // A server on loopback: fail fast rather than retry for minutes.
    s3a.put("fs.s3a.attempts.maximum", "3");
    s3a.put("fs.s3a.retry.limit", "3");
  }

  @AfterAll
  static void stopS3() {
    ScaleHarness.stop(s3mock);
  }

  @Test
  void everyStageWithTheLakeOnS3EqualsTheEmbeddedRun() throws Exception {
    SparkSession spark = TestSpark.session();
    ScaleHarness.embedded(); // before this JVM's session learns the S3 settings
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    s3a.forEach(conf::set);
    conf.set("spark.delta.logStore.s3a.impl", "io.delta.storage.S3SingleDriverLogStore");
    String root = "s3a://" + BUCKET;
    org.apache.hadoop.fs.Path input = new org.apache.hadoop.fs.Path(ScaleHarness.remoteInput(root));
    FileSystem fs = input.getFileSystem(conf);
    upload(fs, ScaleHarness.corpus(), input);

    List<String> confs = new ArrayList<>();
    s3a.forEach((k, v) -> confs.add("spark.hadoop." + k + "=" + v));
    confs.add("spark.delta.logStore.s3a.impl=io.delta.storage.S3SingleDriverLogStore");
    // S3A is not in Spark's jars: hadoop-aws, the AWS SDK modules and the SDK's Apache HTTP client go on the driver's class path.
    List<String> jars = ScaleHarness.testJars("hadoop-aws-", "/software/amazon/", "/org/reactivestreams/", "/org/wildfly/",
        "/org/apache/httpcomponents/");
    Path logs = dir.resolve("logs");
    Files.createDirectories(logs);
    String lake = root + "/lake";
    long t0 = System.nanoTime();
    ScaleHarness.runAndCompare("lake on S3", logs, null, "local[2]", jars, confs, lake, input.toString(), spark);
    System.out.printf("S3LakeIT: two submits %d s%n", (System.nanoTime() - t0) / 1_000_000_000);

    Lake l = new Lake(lake);
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path(l.path("gold/tokenizers/demo/tokenizer.json"))), "the BPE is in the bucket");
    assertTrue(fs.listStatus(new org.apache.hadoop.fs.Path(l.shardsPath("demo"))).length > 0, "the shards are in the bucket");
    assertFalse(fs.exists(new org.apache.hadoop.fs.Path(l.path(LakeLock.FILE))), "the lake's lock was released");
  }

  /** Copies a local folder into the bucket, file by file. */
  private static void upload(FileSystem fs, Path from, org.apache.hadoop.fs.Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(f.toUri()), new org.apache.hadoop.fs.Path(to, from.relativize(f).toString()));
      }
    }
  }
}
