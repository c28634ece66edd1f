package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.NoNewInput;
import dev.sieve.core.spark.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: inside {@code sieve pipeline} (Spark already up) every stage decides "nothing new" as
 * its own command does ({@link NoNewInput}; ingest from the input listing's fingerprint): the
 * second pipeline over the same two files reads nothing and commits nothing (five pending run
 * records), and keeps the first ingest run as the remembered one (a run through Spark would have
 * replaced it); a changed file is still read on the third.
 */
class PipelineNoNewInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String line(int i) {
    return "Document number " + i + " talks about rivers, mountains and the weather in a small town near the sea, "
        + "where people walk their dogs every morning and buy fresh bread from the baker on the corner of the square.";
  }

  private static SieveCliTest.Run pipeline(String lake, Path config, Path input) {
    SieveCliTest.Run r = SieveCliTest.sieve("pipeline", "--no-train", "--lake", lake, "--config", config.toString(),
        "--input", input.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    return r;
  }

  /** The remembered ingest run ({@code _sieve/last_reads/ingest~<config hash>.json}). */
  private static JsonNode remembered(Path lake) throws Exception {
    try (Stream<Path> files = Files.list(lake.resolve(NoNewInput.LAST_DIR))) {
      List<Path> ingest = files.filter(p -> p.getFileName().toString().startsWith("ingest")).toList();
      assertEquals(1, ingest.size(), ingest.toString());
      return JSON.readTree(ingest.get(0).toFile());
    }
  }

  @Test
  void secondPipelineSkipsIngestByFingerprintAndAChangedFileIsStillRead(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in");
    Files.createDirectories(input);
    Path a = input.resolve("a.txt");
    Files.writeString(a, line(1) + "\n" + line(2) + "\n");
    Files.writeString(input.resolve("b.txt"), line(3) + "\n");
    Path config = dir.resolve("sieve.yaml");
    Files.writeString(config, "spark:\n  app_name: pipeline-no-new-input\n");
    Path lakeDir = dir.resolve("lake");
    String lakeRoot = lakeDir.toString();
    Lake lake = new Lake(lakeRoot);
    SparkSession spark = TestSpark.session();
    Configuration conf = spark.sparkContext().hadoopConfiguration();

    SieveCliTest.Run first = pipeline(lakeRoot, config, input);
    assertTrue(first.out().contains("ingest: 2 files read, 0 unchanged; 3 documents"), first.out());
    // The closing list names the tables written, not one that is absent (nothing was quarantined).
    assertTrue(first.out().contains("  " + new Lake(lakeRoot).path(Lake.BRONZE_DOCUMENTS) + "\n"), first.out());
    assertFalse(first.out().contains(new Lake(lakeRoot).path(Lake.QUARANTINE)), first.out());
    JsonNode r1 = remembered(lakeDir);
    assertNotNull(r1.get("inputs"), r1.toString()); // the listing's fingerprint, written by the pipeline
    long bronze = NoNewInput.latestVersion(conf, lake.path(Lake.BRONZE_DOCUMENTS));
    long files = NoNewInput.latestVersion(conf, lake.path(Lake.INGEST_FILES));
    long runs = NoNewInput.latestVersion(conf, lake.path(Lake.STAGE_RUNS));

    SieveCliTest.Run second = pipeline(lakeRoot, config, input);
    assertTrue(second.out().contains("ingest: 0 files read, 2 unchanged; 0 documents"), second.out());
    for (String stage : List.of("filter", "dedup", "pii", "tokenize")) assertTrue(second.out().contains(stage + ": 0 documents in"), second.out());
    assertEquals(r1.get("run_id").asText(), remembered(lakeDir).get("run_id").asText(), "decided by the fingerprint, not by a Spark run");
    assertEquals(bronze, NoNewInput.latestVersion(conf, lake.path(Lake.BRONZE_DOCUMENTS)));
    assertEquals(files, NoNewInput.latestVersion(conf, lake.path(Lake.INGEST_FILES)));
    // Every stage decided without a Delta commit: the five runs are pending records, _sieve/stage_runs did not move.
    assertEquals(runs, NoNewInput.latestVersion(conf, lake.path(Lake.STAGE_RUNS)));
    assertEquals(List.of("ingest", "filter", "dedup", "pii", "tokenize"),
        dev.sieve.core.spark.PendingRuns.pending(conf, lake).stream().map(dev.sieve.core.StageRunRecord::stage).toList());

    Files.writeString(a, line(1) + "\n" + line(2) + "\n" + line(4) + "\n");
    Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 10_000));
    SieveCliTest.Run third = pipeline(lakeRoot, config, input);
    assertTrue(third.out().contains("ingest: 1 files read, 1 unchanged; 3 documents"), third.out());
    assertEquals(4, DeltaTables.count(spark, lake.path(Lake.BRONZE_DOCUMENTS)));
    assertEquals(1, DeltaTables.read(spark, lake.path(Lake.BRONZE_DOCUMENTS)).where("text LIKE 'Document number 4 %'").count());
    // The third run's ingest appended the second run's pending records: three ingest runs. Pending now: at most the runs of
    // this pipeline's stages after filter that found nothing new (the three lines are near-duplicates of each other).
    assertEquals(3, DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("stage = 'ingest' AND status = 'SUCCEEDED'").count());
    assertEquals(3, DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("stage = 'filter' AND status = 'SUCCEEDED'").count(),
        "the first and third through Spark, the second's pending record appended");
    assertTrue(dev.sieve.core.spark.PendingRuns.pending(conf, lake).stream().noneMatch(p -> p.stage().equals("ingest") || p.stage().equals("filter")));
    JsonNode r3 = remembered(lakeDir);
    assertNotEquals(r1.get("run_id").asText(), r3.get("run_id").asText());
    assertNotEquals(r1.get("inputs").asText(), r3.get("inputs").asText());
  }

  /**
   * A file that failed (unreadable) is not DONE: the run's listing is not remembered, and the next
   * {@code sieve ingest} reads that file again (through Spark), not the good one.
   */
  @Test
  void aListingWithAFailedFileIsNotRemembered(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in");
    Files.createDirectories(input);
    Files.writeString(input.resolve("a.txt"), line(1) + "\n");
    Files.write(input.resolve("b.jsonl.gz"), "this is not gzip data at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Path config = dir.resolve("sieve.yaml");
    Files.writeString(config, "spark:\n  app_name: ingest-failed-file\n");
    String lakeRoot = dir.resolve("lake").toString();
    String[] args = {"ingest", "--lake", lakeRoot, "--config", config.toString(), "--input", input.toString()};

    SieveCliTest.Run first = SieveCliTest.sieve(args);
    assertEquals(0, first.code(), first.out() + first.err());
    assertTrue(first.out().contains("2 files found, 2 read, 0 unchanged"), first.out());
    assertEquals(1, DeltaTables.read(TestSpark.session(), new Lake(lakeRoot).path(Lake.INGEST_FILES)).where("status = 'FAILED'").count());
    // The run is remembered (its versions read), its listing is not: no fingerprint beside it.
    assertNull(remembered(dir.resolve("lake")).get("inputs"), "a listing with a FAILED file is not remembered");
    SieveCliTest.Run second = SieveCliTest.sieve(args);
    assertEquals(0, second.code(), second.out() + second.err());
    assertTrue(second.out().contains("2 files found, 1 read, 1 unchanged"), second.out());
  }
}
