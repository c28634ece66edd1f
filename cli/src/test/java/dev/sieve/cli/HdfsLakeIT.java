package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import dev.sieve.core.spark.LakeLock;
import dev.sieve.core.spark.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lake on a real HDFS: Hadoop's {@code MiniDFSCluster} (a NameNode and a DataNode on loopback,
 * in this JVM). The corpus is copied to HDFS, then the five stages (one {@code pipeline --no-train}) and {@code shards verify} run
 * through {@code SparkSubmit --master local[2]} with {@code sieve-spark.jar}, {@code --lake hdfs://...}
 * and {@code --input hdfs://...}; the tables must equal the embedded run's, and the files written
 * outside Delta (the BPE tokenizer, the shards) must be on HDFS.
 */
class HdfsLakeIT {
  private static MiniDFSCluster hdfs;
  private static Path dir;

  @BeforeAll
  static void startHdfs() throws Exception {
    dir = ScaleHarness.freshDir("hdfs");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("data").toString());
    hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    hdfs.waitActive();
    // The reference run, in this JVM while the submits run (after the NameNode and DataNode started here).
    ScaleHarness.startEmbedded();
  }

  @AfterAll
  static void stopHdfs() {
    if (hdfs != null) hdfs.shutdown(true);
  }

  @Test
  void everyStageWithTheLakeOnHdfsEqualsTheEmbeddedRun() throws Exception {
    String root = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
    FileSystem fs = hdfs.getFileSystem();
    org.apache.hadoop.fs.Path input = new org.apache.hadoop.fs.Path(ScaleHarness.remoteInput(root));
    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(ScaleHarness.corpus().toUri()), input);
    Path logs = dir.resolve("logs");
    Files.createDirectories(logs);
    String lake = root + "/lake";
    long t0 = System.nanoTime();
    ScaleHarness.runAndCompare("lake on HDFS", logs, null, "local[2]", List.of(), List.of(), lake, input.toString(), TestSpark.session());
    System.out.printf("HdfsLakeIT: two submits %d s%n", (System.nanoTime() - t0) / 1_000_000_000);

    Lake l = new Lake(lake);
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path(l.path("gold/tokenizers/demo/tokenizer.json"))), "the BPE is on HDFS");
    assertTrue(fs.listStatus(new org.apache.hadoop.fs.Path(l.shardsPath("demo"))).length > 0, "the shards are on HDFS");
    assertFalse(fs.exists(new org.apache.hadoop.fs.Path(l.path(LakeLock.FILE))), "the lake's lock was released");
  }
}
