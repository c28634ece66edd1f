package dev.sieve.cli;

import static org.apache.spark.sql.functions.col;

import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.tokenize.Splits;
import dev.sieve.tokenize.TokenizeSettings;
import dev.sieve.train.JobSpec;
import dev.sieve.train.TrainPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sieve train plan}: Chinchilla sizing ({@link TrainPlan}) against the tokens of the dataset's train shards. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"Chinchilla-optimal sizing (Hoffmann et al. 2022: about 20 tokens per parameter, C = 6·N·D) for a",
        "parameter count, a FLOP budget or a job spec's model, checked against the tokens the dataset's train",
        "shards hold."})
final class TrainPlanCommand extends LakeCommand {
  @Option(names = "--params", paramLabel = "N", description = "Model parameters.")
  Double params;

  @Option(names = "--flops", paramLabel = "C", description = "Compute budget in FLOPs.")
  Double flops;

  @Option(names = "--spec", paramLabel = "FILE", description = "Size the model of this job spec.")
  Path specFile;

  @Option(names = "--dataset", paramLabel = "NAME", description = "Shard dataset (default: tokenize.dataset).")
  String dataset;

  @Override
  public Integer call() {
    SieveConfig config = common.config();
    int given = (params != null ? 1 : 0) + (flops != null ? 1 : 0) + (specFile != null ? 1 : 0);
    if (given != 1) throw new ConfigException("bad value for '--params': give exactly one of --params, --flops, --spec");
    String ds = dataset != null ? dataset : config.section("tokenize", TokenizeSettings.class).dataset;
    long available = 0;
    SparkSession spark = SparkSessions.getOrCreate(config.spark());
    String manifest = common.lake().path(Lake.GOLD_SHARD_MANIFEST);
    if (DeltaTables.exists(spark, manifest)) {
      Row r = DeltaTables.read(spark, manifest).where(col("dataset").equalTo(ds).and(col("split").equalTo(Splits.TRAIN)))
          .agg(org.apache.spark.sql.functions.sum("tokens")).first();
      available = r.isNullAt(0) ? 0 : r.getLong(0);
    }
    TrainPlan.Plan p;
    if (flops != null) {
      p = TrainPlan.forBudget(flops, available);
    } else if (params != null) {
      p = TrainPlan.forParameters(params.longValue(), available);
    } else {
      JobSpec job = TrainRuns.resolve(spark, common.lake(), config, JobSpec.load(specFile), dataset);
      p = TrainPlan.forParameters(TrainPlan.parameters(job.model, job.model.vocabSize), available);
    }
    PrintWriter out = out();
    out.printf("plan: %,d parameters -> %,d tokens (20 per parameter), %.3g FLOPs (6·N·D)%n", p.parameters(), p.tokens(), p.flops());
    out.printf("  dataset '%s' train shards hold %,d tokens: %s%n", ds, p.availableTokens(),
        p.enough() ? "enough" : String.format("short by %,d tokens (%.1f epochs needed)", p.shortfall(),
            p.availableTokens() == 0 ? Double.POSITIVE_INFINITY : p.tokens() / (double) p.availableTokens()));
    out.flush();
    return ExitCodes.OK;
  }
}
