package dev.sieve.cli;

import static org.apache.spark.sql.functions.col;

import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.tokenize.Splits;
import dev.sieve.tokenize.TokenizeSettings;
import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.Tokenizers;
import dev.sieve.tokenize.spark.TokenizerTrainJob;
import dev.sieve.train.JobSpec;
import dev.sieve.train.Launcher;
import dev.sieve.train.Launchers;
import dev.sieve.train.LocalLauncher;
import dev.sieve.train.MetricsLog;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A training run in the lake, for {@code sieve train} and {@code sieve pipeline}: its folder
 * ({@code <lake>/runs/<run_id>}, local disk only), its job spec filled from the lake (shards from
 * {@code gold/shard_manifest}, vocabulary from the dataset's tokenizer), the launch (spec, lineage
 * and the unigram-entropy bar written into the run folder first) and the closing summary. The
 * picocli side stays in {@link TrainCommand}.
 */
final class TrainRuns {
  private TrainRuns() {}

  /** A run folder on local disk: {@code <lake>/runs/<run_id>}. */
  static Path runDir(Lake lake, String runId) {
    String p = lake.runPath(runId);
    if (p.contains("://") && !p.startsWith("file:")) {
      throw new ConfigException("bad value for '--lake': training runs live on local disk, and " + lake.root()
          + " is not local; give a local --lake for 'sieve train'");
    }
    return Path.of(p.startsWith("file:") ? p.substring(5) : p).toAbsolutePath();
  }

  /** The spec with its data and vocabulary filled from the lake when left empty. */
  static JobSpec resolve(SparkSession spark, Lake lake, SieveConfig config, JobSpec job, String dataset) {
    TokenizeSettings tok = config.section("tokenize", TokenizeSettings.class);
    String ds = dataset != null ? dataset : tok.dataset;
    if (job.data.shards.isEmpty()) {
      String manifest = lake.path(Lake.GOLD_SHARD_MANIFEST);
      if (!DeltaTables.exists(spark, manifest)) throw lake.missing(Lake.GOLD_SHARD_MANIFEST, "sieve tokenize");
      for (Row r : DeltaTables.read(spark, manifest).where(col("dataset").equalTo(ds)).orderBy("path").select("split", "path").collectAsList()) {
        (r.getString(0).equals(Splits.VALIDATION) ? job.data.validation : job.data.shards).add(r.getString(1));
      }
      if (job.data.shards.isEmpty()) throw new ConfigException("bad value for '--dataset': no train shards of dataset '" + ds + "' in the manifest");
    }
    if (job.model.vocabSize == 0) {
      boolean own = TokenizeSettings.TRAIN_BPE.equals(tok.tokenizer);
      String stored = TokenizerTrainJob.datasetTokenizer(lake, ds);
      // The vocabulary is read from a local copy; the spec names the file itself (the lake's, never the copy).
      String tokSpec = own ? "hf:" + TokenizerTrainJob.fetch(spark, stored) : tok.tokenizer;
      try (TokenizerAdapter t = Tokenizers.open(tokSpec, tok.eotToken)) {
        job.model.vocabSize = t.vocabSize();
      }
      if (job.tokenizer.equals(JobSpec.DEFAULT_TOKENIZER)) job.tokenizer = own ? "hf:" + stored : tok.tokenizer;
    }
    return job;
  }

  /** Launches a resolved spec on the local process backend; waits when asked and loads the metrics into gold/training_metrics. */
  static Launcher.Job launch(SparkSession spark, Lake lake, String runId, JobSpec job, boolean wait, PrintWriter out) throws Exception {
    return launch(new LocalLauncher(List.of("-Xmx2g")), spark, lake, runId, job, wait, out);
  }

  /** How a backend names its job in messages. */
  static String describe(Launcher.Job h) {
    String backend = Launchers.backendOf(h.runDir());
    return LocalLauncher.BACKEND.equals(backend) ? "pid " + h.id() : backend + " job " + h.id();
  }

  /** Launches a resolved spec on a backend; waits when asked and loads the metrics into gold/training_metrics. */
  static Launcher.Job launch(Launcher launcher, SparkSession spark, Lake lake, String runId, JobSpec job, boolean wait, PrintWriter out)
      throws Exception {
    Path dir = runDir(lake, runId);
    Files.createDirectories(dir);
    Path specFile = dir.resolve("spec.yaml");
    // Paths in the run folder are relative to the lake root (or absolute outside it), so a moved lake still trains.
    Path lakeDir = dir.getParent().getParent();
    job.recordPaths(lakeDir);
    Files.writeString(specFile, job.toYaml());
    TrainingMetricsTable.writeLineage(spark, lake, dir);
    if (!job.data.shards.isEmpty()) {
      // The bar the run must clear: the unigram entropy of its training tokens.
      List<String> shards = JobSpec.parse(job.toYaml()).resolvePaths(lakeDir).data.shards;
      double h = dev.sieve.train.TokenStats.unigramEntropy(shards, job.model.vocabSize);
      Files.writeString(dir.resolve("unigram_entropy.txt"), String.format(java.util.Locale.ROOT, "%.6f%n", h));
    }
    Launcher.Job h = launcher.submit(specFile, dir);
    out.printf("train: run %s started (%s) in %s; follow with: bin/sieve train logs %s --lake %s%n", runId, describe(h), dir, runId, lake.root());
    out.flush();
    if (wait) {
      h.waitFor(Duration.ofDays(365));
      long n = TrainingMetricsTable.load(spark, lake, runId, dir, h.state());
      out.printf("train: run %s %s; %d metrics lines -> %s%n", runId, h.state().name().toLowerCase(), n, lake.path(Lake.GOLD_TRAINING_METRICS));
      summary(out, dir);
    }
    return h;
  }

  /** Last loss and validation loss of a run. */
  static void summary(PrintWriter out, Path dir) {
    Path metrics = dir.resolve("metrics.jsonl");
    if (!Files.exists(metrics)) return;
    Object loss = null, val = null, step = null, tps = null, device = null;
    for (Map<String, Object> m : MetricsLog.read(metrics)) {
      if (m.get("loss") != null && m.get("event") == null) {
        loss = m.get("loss");
        step = m.get("step");
        tps = m.get("tokens_per_s");
        device = m.get("device");
      }
      if (m.get("val_loss") != null) val = m.get("val_loss");
    }
    String bar = "";
    try {
      Path h = dir.resolve("unigram_entropy.txt");
      if (Files.exists(h)) bar = String.format(" (unigram entropy of the training tokens: %.4g)", Double.parseDouble(Files.readString(h).strip()));
    } catch (java.io.IOException | NumberFormatException e) {
      bar = "";
    }
    out.printf("  step %s: loss %s, validation loss %s%s, %s tokens/s on %s%n", step, fmt(loss), fmt(val), bar, fmt(tps), device);
    out.flush();
  }

  private static String fmt(Object o) {
    return o instanceof Number n ? String.format("%.4g", n.doubleValue()) : String.valueOf(o);
  }
}
