package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.TestSpark;
import io.delta.tables.DeltaTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, paths that survive a move, and a training run's lineage: a lake built through the
 * real commands (pipeline with the embedded demo profile on a tiny corpus, then a 4-step training
 * run) under a path relative to the working directory, moved as a whole to another folder, still
 * verifies, inspects and resumes training; every path recorded in its tables and run folder is
 * relative to the lake root; the training run has its {@code _sieve/stage_runs} row and its
 * {@code gold/training_metrics} commits carry its run id and spec hash.
 */
class MovedLakeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String tinySpec(int steps) {
    return "model: {layers: 1, width: 32, heads: 2, context_length: 32, vocab_size: 0, dropout: 0.0}\n"
        + "optimizer: {peak_lr: 3.0e-3, min_lr: 3.0e-4, warmup_steps: 1}\n"
        + "batch_size: 2\nmax_steps: " + steps + "\ncheckpoint_interval: 2\neval_interval: 2\neval_batches: 1\nseed: 7\ndevice: cpu\n";
  }

  private static SieveCliTest.Run ok(String... args) {
    SieveCliTest.Run r = SieveCliTest.sieve(args);
    assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
    return r;
  }

  private static Row trainRow(SparkSession spark, Lake lake) {
    List<Row> rows = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("stage = 'train' AND run_id = 'tiny'").collectAsList();
    assertEquals(1, rows.size(), "one stage_runs row per training run");
    return rows.get(0);
  }

  @Test
  void movedLakeVerifiesInspectsAndResumesTrainingWithLineage() throws Exception {
    // Built under a path relative to the working directory, so a path recorded relative to it breaks when the lake moves.
    Path work = Path.of("target", "moved-lake-test");
    TinyLake.delete(work);
    Files.createDirectories(work);
    String relLake = work.resolve("a/lake").toString();
    Path config = work.resolve("demo.yaml");
    Files.writeString(config, PipelineCommand.resource("demo.yaml"));
    Path spec4 = work.resolve("tiny4.yaml");
    Files.writeString(spec4, tinySpec(4));
    Path spec6 = work.resolve("tiny6.yaml");
    Files.writeString(spec6, tinySpec(6));
    SparkSession spark = TestSpark.session(); // the tests' small local[2] session, which the commands then share
    ok("pipeline", "--lake", relLake, "--corpus", work.resolve("corpus").toString(), "--docs", "120", "--seed", "5",
        "--train-spec", spec4.toString(), "--train-run-id", "tiny");

    Lake before = new Lake(relLake);
    // Recorded paths: relative to the lake root, never the working directory, never a /tmp copy.
    List<Row> manifest = DeltaTables.read(spark, before.path(Lake.GOLD_SHARD_MANIFEST)).collectAsList();
    assertFalse(manifest.isEmpty());
    for (Row m : manifest) {
      assertTrue(((String) m.getAs("path")).startsWith("gold/shards/demo/"), m.toString());
      assertEquals("hf:gold/tokenizers/demo/tokenizer.json", m.getAs("tokenizer"));
    }
    Path runDir = work.resolve("a/lake/runs/tiny");
    String specYaml = Files.readString(runDir.resolve("spec.yaml"));
    assertTrue(specYaml.contains("tokenizer: \"hf:gold/tokenizers/demo/tokenizer.json\"") || specYaml.contains("tokenizer: hf:gold/tokenizers/demo/tokenizer.json"),
        specYaml);
    assertTrue(specYaml.contains("- \"gold/shards/demo/") || specYaml.contains("- gold/shards/demo/"), specYaml);
    assertFalse(specYaml.contains(work.toString()) || specYaml.contains("/tmp") || specYaml.contains(Path.of("").toAbsolutePath().toString()), specYaml);
    assertEquals("runs/tiny/spec.yaml", JSON.readTree(runDir.resolve("launch.json").toFile()).get("spec").asText());

    // Lineage of the 4-step run: stage row with the spec, the manifest version, final losses; userMetadata on the metrics commit.
    Row row = trainRow(spark, before);
    assertEquals("SUCCEEDED", row.getAs("status"));
    java.util.Map<String, Long> counts = row.getJavaMap(row.fieldIndex("counts"));
    assertEquals(4L, counts.get("steps"));
    assertEquals(4L, counts.get("last_step"));
    assertTrue(counts.get("final_loss_micros") > 0 && counts.get("final_loss_micros") < 20_000_000L, counts.toString());
    assertTrue(counts.get("train_shards") >= 1, counts.toString());
    java.util.Map<String, Long> read = row.getJavaMap(row.fieldIndex("versions_read"));
    assertEquals(DeltaTables.version(spark, before.path(Lake.GOLD_SHARD_MANIFEST)), read.get(Lake.GOLD_SHARD_MANIFEST));
    JsonNode specJson = JSON.readTree((String) row.getAs("config_json"));
    assertEquals(4, specJson.get("max_steps").asInt());
    assertTrue(specJson.get("data").get("shards").get(0).asText().startsWith("gold/shards/demo/"), specJson.toString());
    String userMetadata = DeltaTable.forPath(spark, before.path(Lake.GOLD_TRAINING_METRICS)).history(1).select("userMetadata").head().getString(0);
    JsonNode um = JSON.readTree(userMetadata);
    assertEquals("tiny", um.get("run_id").asText());
    assertEquals("train", um.get("stage").asText());
    assertEquals(row.getAs("config_hash"), um.get("config_hash").asText());
    assertEquals((Long) row.getAs("count_in"), (Long) row.getAs("count_out"), "every metrics line loaded");
    assertTrue((long) row.getAs("count_in") > 4, "metrics.jsonl holds event lines besides the 4 steps");

    // Move the lake whole; from now on only the new place is named.
    Path moved = work.resolve("elsewhere/moved-lake");
    Files.createDirectories(moved.getParent());
    Files.move(work.resolve("a/lake"), moved);
    String newLake = moved.toAbsolutePath().toString();

    SieveCliTest.Run verify = ok("shards", "verify", "--lake", newLake);
    assertTrue(verify.out().matches("(?s).*shards: " + manifest.size() + " checked, 0 failed.*"), verify.out());

    JsonNode inspect = JSON.readTree(ok("inspect", "--lake", newLake, "--json", "--samples", "0").out());
    JsonNode run = inspect.get("training").get("runs").get(0);
    assertEquals("tiny", run.get("run_id").asText());
    assertEquals(4, run.get("steps").asLong(), "steps, not metric lines");
    assertTrue(inspect.get("shards").get("tokens").asLong() > 0);

    // Resumed from its step-4 checkpoint in the new place, to 6 steps.
    ok("train", "submit", "--lake", newLake, "--config", config.toString(), "--spec", spec6.toString(), "--run-id", "tiny", "--wait");
    String metrics = Files.readString(moved.resolve("runs/tiny/metrics.jsonl"));
    assertTrue(metrics.contains("\"event\":\"resume\""), metrics);
    Lake after = new Lake(newLake);
    Row resumed = trainRow(spark, after);
    assertEquals("SUCCEEDED", resumed.getAs("status"));
    java.util.Map<String, Long> c2 = resumed.getJavaMap(resumed.fieldIndex("counts"));
    assertEquals(6L, c2.get("steps"));
    assertEquals(1L, c2.get("resumes"));
    assertEquals(6, JSON.readTree((String) resumed.getAs("config_json")).get("max_steps").asInt());
    JsonNode again = JSON.readTree(ok("inspect", "--lake", newLake, "--json", "--samples", "0").out());
    assertEquals(6, again.get("training").get("runs").get(0).get("steps").asLong());
    assertFalse(Files.readString(moved.resolve("runs/tiny/spec.yaml")).contains(newLake), "spec.yaml stays lake-relative");
    TinyLake.delete(work);
  }
}
