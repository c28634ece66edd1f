package dev.sieve.cli;

import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.train.Launcher;
import dev.sieve.train.Launchers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sieve train eval RUN_ID}: validation loss and perplexity per shard of a checkpoint, into eval.jsonl and gold/training_metrics. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = {"Validation loss and perplexity of a run's checkpoint (the newest unless --checkpoint), per validation",
        "shard of its spec and pooled, with each shard's tokens per source and language from gold/shard_manifest.",
        "Written to RUN_DIR/eval.jsonl; a finished run's eval rows (event 'eval') are loaded into gold/training_metrics."})
final class TrainEvalCommand extends LakeCommand {
  @Parameters(paramLabel = "RUN_ID")
  String runId;

  @Option(names = "--checkpoint", paramLabel = "STEP", description = "Evaluate checkpoint step-STEP (default: the newest).")
  Long step;

  @Option(names = "--max-batches", defaultValue = "0", paramLabel = "N",
      description = "Batches of batch_size samples per shard at most; 0 = every sample (default: ${DEFAULT-VALUE}).")
  int maxBatches;

  @Override
  public Integer call() throws Exception {
    if (maxBatches < 0) throw new ConfigException("bad value for '--max-batches': " + maxBatches + " (0 or more)");
    Path dir = TrainRuns.runDir(common.lake(), runId);
    List<dev.sieve.train.RunModel.ShardLoss> losses;
    long ckStep;
    String device;
    String block;
    try (dev.sieve.train.RunModel m = RunCheckpoint.open(dir, RunCheckpoint.of(dir, step))) {
      losses = m.evaluate(maxBatches);
      ckStep = m.step();
      device = m.device();
      block = m.spec().model.block;
    } catch (IllegalArgumentException e) {
      throw new ConfigException("bad value for 'RUN_ID': " + e.getMessage());
    }
    SparkSession spark = SparkSessions.getOrCreate(common.config().spark());
    List<java.util.Map<String, Object>> lines = TrainingMetricsTable.evalLines(spark, common.lake(), losses, ckStep, device);
    TrainingMetricsTable.writeEval(dir, lines);
    PrintWriter out = out();
    out.printf("eval: run %s, checkpoint step-%d (block %s) on %s%n", runId, ckStep, block, device);
    for (int i = 0; i < lines.size(); i++) {
      for (String line : shardLines(lines.get(i), losses.get(i))) out.println(line);
    }
    if (!java.nio.file.Files.isRegularFile(dir.resolve("launch.json"))) {
      out.printf("  %s was not launched (an exported model?): eval.jsonl only, nothing loaded into gold/training_metrics%n", dir);
      out.flush();
      return ExitCodes.OK;
    }
    Launcher.State s = Launchers.attach(dir).state();
    if (s.done()) {
      long n = TrainingMetricsTable.load(spark, common.lake(), runId, dir, s);
      out.printf("  %d metrics and eval lines -> %s%n", n, common.lake().path(Lake.GOLD_TRAINING_METRICS));
    } else {
      out.printf("  the run is %s: eval.jsonl reaches gold/training_metrics when it ends (sieve train status)%n", s.name().toLowerCase());
    }
    out.flush();
    return ExitCodes.OK;
  }

  /**
   * One shard's (or the pooled {@code all}) lines: the loss line, then, when {@code gold/shard_manifest}
   * knows the shard, the tokens the whole shard holds per source and language
   * ({@code    shard tokens by source: commoncrawl 29,712, ...}), then, when the shard had its
   * sidecar, the loss per source and language over the evaluated label tokens
   * ({@code    by source: commoncrawl loss 5.3971 (29,711 label tokens), ...}). The two counts
   * differ: packing leaves out the stream's first token and a tail shorter than a sample.
   */
  static List<String> shardLines(java.util.Map<String, Object> line, dev.sieve.train.RunModel.ShardLoss loss) {
    List<String> out = new java.util.ArrayList<>();
    out.add(String.format(java.util.Locale.ROOT, "  %-60s %6d samples %9d tokens  loss %.4f  perplexity %.2f", line.get("shard"), line.get("samples"),
        line.get("tokens"), (Double) line.get("val_loss"), (Double) line.get("perplexity")));
    shardTokens(out, "source", line.get("tokens_by_source"));
    shardTokens(out, "language", line.get("tokens_by_language"));
    groups(out, "source", loss.bySource());
    groups(out, "language", loss.byLanguage());
    return out;
  }

  /** {@code    shard tokens by source: commoncrawl 29,712, ...}: the manifest's tokens of the whole shard. */
  private static void shardTokens(List<String> out, String what, Object tokens) {
    if (!(tokens instanceof java.util.Map<?, ?> m) || m.isEmpty()) return;
    out.add("    shard tokens by " + what + ": " + m.entrySet().stream()
        .map(e -> String.format(java.util.Locale.ROOT, "%s %,d", e.getKey(), ((Number) e.getValue()).longValue()))
        .collect(java.util.stream.Collectors.joining(", ")));
  }

  /** {@code    by source: commoncrawl loss 5.3971 (29,711 label tokens), ...}, when the shard had its sidecar. */
  private static void groups(List<String> out, String what, java.util.Map<String, dev.sieve.train.RunModel.GroupLoss> g) {
    if (g.isEmpty()) return;
    out.add("    by " + what + ": " + g.entrySet().stream()
        .map(e -> String.format(java.util.Locale.ROOT, "%s loss %.4f (%,d label tokens)", e.getKey(), e.getValue().loss(), e.getValue().tokens()))
        .collect(java.util.stream.Collectors.joining(", ")));
  }
}
