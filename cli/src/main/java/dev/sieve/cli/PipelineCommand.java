package dev.sieve.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.NoNewInput;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.generate.CorpusGenerator;
import dev.sieve.generate.GenerateSettings;
import dev.sieve.decontaminate.spark.DecontaminateJob;
import dev.sieve.dedup.spark.DedupJob;
import dev.sieve.filter.spark.FilterJob;
import dev.sieve.pii.spark.PiiJob;
import dev.sieve.tokenize.spark.TokenizeJob;
import dev.sieve.train.JobSpec;
import dev.sieve.train.Launcher;
import dev.sieve.train.Launchers;
import dev.sieve.ingest.spark.IngestJob;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sieve pipeline}: every stage that exists, in order, on one lake. Without {@code --input}
 * it first generates the sample corpus (once: a corpus already generated with the same seed and
 * size is reused, so a rerun finds nothing new to do).
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = {"Run all stages in order: generate (when no --input is given), ingest, filter, dedup, pii,",
        "decontaminate (when decontaminate.benchmarks is set), tokenize, train. Each stage is incremental, so",
        "running it again does no new work. Without --config",
        "the embedded demo profile (dev/sieve/cli/demo.yaml) applies: the corpus's own 2,048-token BPE."})
final class PipelineCommand extends LakeCommand {
  @Option(names = "--input", arity = "1..*", paramLabel = "PATH", description = "Inputs to ingest (default: the generated sample corpus).")
  List<String> inputs;

  @Option(names = "--corpus", paramLabel = "DIR", defaultValue = "demo/corpus",
      description = "Where the sample corpus is generated when no --input is given (default: ${DEFAULT-VALUE}).")
  Path corpus;

  @Option(names = "--docs", paramLabel = "N", description = "Sample corpus size (default: generate.docs).")
  Long docs;

  @Option(names = "--seed", paramLabel = "S", description = "Sample corpus seed (default: generate.seed).")
  Long seed;

  @Option(names = "--train-spec", paramLabel = "FILE",
      description = "Job spec of the training run (default: the embedded ~1M-parameter demo model, dev/sieve/cli/demo-train.yaml).")
  Path trainSpec;

  @Option(names = "--train-run-id", paramLabel = "ID", defaultValue = "demo",
      description = "Run id of the training run (default: ${DEFAULT-VALUE}); a finished run is not started again.")
  String trainRunId;

  @Option(names = "--no-train", description = "Stop after tokenize.")
  boolean noTrain;

  static String resource(String name) throws java.io.IOException {
    try (var in = PipelineCommand.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Override
  public Integer call() throws Exception {
    SieveConfig config = common.config == null ? SieveConfig.parse(resource("demo.yaml")) : common.config();
    PrintWriter out = out();
    Lake lake = common.lake();
    List<String> in = inputs;
    if (in == null || in.isEmpty()) {
      GenerateSettings g = config.section("generate", GenerateSettings.class);
      if (docs != null) {
        if (docs < 1) throw new ConfigException("bad value for '--docs': " + docs + " (must be at least 1)");
        g.docs = docs;
      }
      if (seed != null) g.seed = seed;
      if (sameCorpus(corpus, g)) {
        out.printf("generate: %s already holds the sample corpus (%,d documents, seed %d)%n", corpus, g.docs, g.seed);
      } else {
        CorpusGenerator.Result r = new CorpusGenerator(g).generate(corpus, null);
        out.printf("generate: %,d documents into %s%n", r.documents(), corpus);
      }
      in = List.of(corpus.toString());
    }
    out.flush();
    SparkSession spark = SparkSessions.getOrCreate(config.spark());
    // The whole pipeline holds the lake: no other run slips in between its stages.
    try (var lock = dev.sieve.core.spark.LakeLock.acquire(spark.sparkContext().hadoopConfiguration(), lake, "pipeline",
        common.runId("pipeline"))) {
      return stages(spark, config, lake, in, out);
    }
  }

  /** {@link NoNewInput#decide} for a stage whose inputs are lake tables only. */
  private static boolean nothingNew(Lake lake, SieveConfig config, String stage, String runId) {
    return NoNewInput.decide(lake, stage, config, runId, null, java.util.Map.of());
  }

  /** Records the milliseconds since {@code t0} under {@code stage}; returns now. */
  private static long lap(java.util.Map<String, Long> millis, String stage, long t0) {
    long now = System.nanoTime();
    millis.put(stage, (now - t0) / 1_000_000);
    return now;
  }

  private Integer stages(SparkSession spark, SieveConfig config, Lake lake, List<String> in, PrintWriter out) throws Exception {
    java.util.Map<String, Long> millis = new java.util.LinkedHashMap<>();
    long t0 = System.nanoTime();
    // As `sieve ingest`: the same listing fingerprint decides "nothing new" without a Spark job or a Delta commit.
    String ingestRun = common.runId(IngestJob.STAGE);
    IngestShortcut shortcut = IngestShortcut.of(lake, config, in);
    IngestJob.Result ingest = shortcut.noNewInputWithSparkUp(ingestRun);
    if (ingest == null) {
      ingest = IngestJob.run(spark, lake, config, ingestRun, shortcut.listing());
      shortcut.rememberIfAllDone(spark, ingest);
    }
    t0 = lap(millis, "ingest", t0);
    out.printf("ingest: %d files read, %d unchanged; %,d documents, %,d quarantined, skipped %s%n", ingest.filesRead(),
        ingest.filesUnchanged(), ingest.documents(), ingest.quarantined(), ingest.skipped());
    // Each stage as its own command decides: input tables at the versions its last run read -> "0 documents in",
    // recorded as a pending run (NoNewInput), without a Spark job or a Delta commit.
    String runId = common.runId(FilterJob.STAGE);
    FilterJob.Result filter = nothingNew(lake, config, FilterJob.STAGE, runId) ? FilterCommand.nothingNew(runId)
        : FilterJob.run(spark, lake, config, runId, false);
    t0 = lap(millis, "filter", t0);
    FilterCommand.print(out, lake, filter);
    out.flush();
    runId = common.runId(DedupJob.STAGE);
    DedupJob.Result dedup = nothingNew(lake, config, DedupJob.STAGE, runId) ? DedupCommand.nothingNew(config, runId)
        : DedupJob.run(spark, lake, config, runId, false);
    t0 = lap(millis, "dedup", t0);
    DedupCommand.print(out, lake, dedup);
    out.flush();
    runId = common.runId(PiiJob.STAGE);
    PiiJob.Result pii = nothingNew(lake, config, PiiJob.STAGE, runId) ? PiiCommand.nothingNew(runId)
        : PiiJob.run(spark, lake, config, runId, false);
    t0 = lap(millis, "pii", t0);
    PiiCommand.print(out, lake, pii);
    out.flush();
    // Decontaminate only when benchmarks are configured; tokenize then reads its output instead of silver/clean.
    if (DecontaminateJob.enabled(config)) {
      DecontaminateJob.Result decon = DecontaminateJob.run(spark, lake, config, common.runId(DecontaminateJob.STAGE), false);
      t0 = lap(millis, "decontaminate", t0);
      DecontaminateCommand.print(out, lake, decon);
      out.flush();
    }
    runId = common.runId(TokenizeJob.STAGE);
    TokenizeJob.Result tok = nothingNew(lake, config, TokenizeJob.STAGE, runId) ? TokenizeCommand.nothingNew(lake, config, runId)
        : TokenizeJob.run(spark, lake, config, runId, false, DecontaminateJob.tokenizeInput(config), System.err);
    t0 = lap(millis, "tokenize", t0);
    TokenizeCommand.print(out, lake, tok);
    Path runDir = null;
    if (!noTrain) {
      runDir = TrainRuns.runDir(lake, trainRunId);
      if (isDone(runDir)) {
        out.printf("train: run %s already finished in %s%n", trainRunId, runDir);
        TrainRuns.summary(out, runDir);
      } else {
        JobSpec job = trainSpec != null ? JobSpec.load(trainSpec) : JobSpec.parse(resource("demo-train.yaml"));
        TrainRuns.launch(spark, lake, trainRunId, TrainRuns.resolve(spark, lake, config, job, null), true, out);
      }
    }
    if (!noTrain) lap(millis, "train", t0);
    StringBuilder times = new StringBuilder("stage times:");
    millis.forEach((stage, ms) -> times.append(String.format(java.util.Locale.ROOT, " %s %.1f s,", stage, ms / 1000.0)));
    out.println(times.substring(0, times.length() - 1));
    out.printf("%nlake: %s%n", lake.root());
    org.apache.hadoop.conf.Configuration hadoop = dev.sieve.core.spark.NoNewInput.hadoopConf(config);
    for (String t : List.of(Lake.BRONZE_DOCUMENTS, Lake.SILVER_FILTERED, Lake.SILVER_REJECTED, Lake.SILVER_DEDUPED, Lake.SILVER_DUP_CLUSTERS,
        Lake.SILVER_MINHASH_INDEX, Lake.SILVER_LINE_COUNTS, Lake.SILVER_CLEAN, Lake.SILVER_DECONTAMINATED, Lake.SILVER_CONTAMINATION,
        Lake.GOLD_SHARD_MANIFEST, Lake.GOLD_TRAINING_METRICS, Lake.QUARANTINE, Lake.INGEST_FILES, Lake.STAGE_RUNS)) {
      if (noTrain && t.equals(Lake.GOLD_TRAINING_METRICS)) continue; // only a training run writes it
      if (!DecontaminateJob.enabled(config) && (t.equals(Lake.SILVER_DECONTAMINATED) || t.equals(Lake.SILVER_CONTAMINATION))) continue;
      if (dev.sieve.core.spark.NoNewInput.latestVersion(hadoop, lake.path(t)) < 0) continue; // not written (e.g. nothing quarantined)
      out.printf("  %s%n", lake.path(t));
    }
    out.printf("shards: %s%n", lake.path("gold/shards"));
    if (runDir != null) out.printf("model: %s (checkpoints, metrics.jsonl, train.log)%n", runDir);
    out.printf("look inside: bin/sieve sql --lake %s \"SELECT rule, count(*) FROM silver_rejected GROUP BY rule\"%n", lake.root());
    out.flush();
    return ExitCodes.OK;
  }

  /** A training run that ended successfully (its exit file says so). */
  static boolean isDone(Path runDir) {
    if (!Files.isRegularFile(runDir.resolve("exit.json")) || !Files.isRegularFile(runDir.resolve("launch.json"))) return false;
    return Launchers.attach(runDir).state() == Launcher.State.SUCCEEDED;
  }

  private static boolean sameCorpus(Path dir, GenerateSettings g) {
    Path manifest = dir.resolve("_manifest.json");
    if (!Files.isRegularFile(manifest)) return false;
    try {
      JsonNode m = new ObjectMapper().readTree(manifest.toFile());
      return m.path("seed").asLong() == g.seed && m.path("documents").asLong() == g.docs;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
