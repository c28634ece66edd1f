package dev.sieve.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sieve.core.DocIds;
import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.Stage;
import dev.sieve.train.JobSpec;
import dev.sieve.train.Launcher;
import dev.sieve.train.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Loads a run's {@code metrics.jsonl} into {@code gold/training_metrics}: one row per line (steps
 * and events), MERGEd on (run_id, line) in one commit that also drops lines the run no longer has
 * (a resumed run rewinds its log to its checkpoint), so runs can be compared with SQL.
 *
 * <p>The load is the training run's lineage: it records the run's {@code _sieve/stage_runs} row
 * (stage {@value #STAGE}, run id = the training run's) through {@link StageRun}, so the
 * {@code gold/training_metrics} commit carries the run id and the spec's hash in its
 * {@code userMetadata}. The row holds the resolved job spec ({@code spec.yaml}, as JSON) in
 * {@code config_json} (its shards are the shards read), the {@code gold/shard_manifest} version the
 * run was launched on ({@code lineage.json}) in {@code versions_read}, count_in = metrics lines
 * read, count_out = rows loaded, and in {@code counts}: {@code steps} (distinct optimizer steps with
 * a loss), {@code last_step}, {@code tokens}, {@code metrics_lines}, {@code events}, {@code rollbacks},
 * {@code resumes}, {@code train_shards}, {@code validation_shards}, and the final losses in
 * millionths of a nat ({@code counts} is a map of longs): {@code final_loss_micros},
 * {@code final_val_loss_micros}, {@code min_val_loss_micros} ({@code counts['final_loss_micros'] / 1e6}).
 * A run that did not succeed is recorded FAILED, with its metrics loaded all the same.
 *
 * <p>The lines of {@value #EVAL} ({@code sieve train eval}) follow the metrics lines as rows with
 * {@code event = 'eval'}, {@code step} = the checkpoint evaluated, {@code val_loss}, and in
 * {@code record} the shard, its tokens per source and language, and the perplexity; counted in
 * {@code counts['eval_lines']} and not in the final losses.
 */
final class TrainingMetricsTable {
  /** The stage name of a training run in {@code _sieve/stage_runs}. */
  static final String STAGE = "train";
  /** The file {@code sieve train submit} writes beside spec.yaml: the manifest version the run's shards came from. */
  static final String LINEAGE = "lineage.json";

  static final StructType SCHEMA = new StructType()
      .add("run_id", DataTypes.StringType, false)
      .add("line", DataTypes.LongType, false)
      .add("step", DataTypes.LongType, true)
      .add("event", DataTypes.StringType, true)
      .add("loss", DataTypes.DoubleType, true)
      .add("val_loss", DataTypes.DoubleType, true)
      .add("lr", DataTypes.DoubleType, true)
      .add("grad_norm", DataTypes.DoubleType, true)
      .add("tokens_per_s", DataTypes.DoubleType, true)
      .add("device", DataTypes.StringType, true)
      .add("record", DataTypes.StringType, false)
      .add("loaded_at", DataTypes.TimestampType, false);

  /** The file {@code sieve train eval} writes in a run folder: its latest evaluation, one JSON line per shard and the pooled one. */
  static final String EVAL = "eval.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private TrainingMetricsTable() {}

  /** Records what a run is launched on ({@value #LINEAGE}): the gold/shard_manifest version, -1 when there is none. */
  static void writeLineage(SparkSession spark, Lake lake, Path runDir) throws java.io.IOException {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put(Lake.GOLD_SHARD_MANIFEST, DeltaTables.version(spark, lake.path(Lake.GOLD_SHARD_MANIFEST)));
    Files.writeString(runDir.resolve(LINEAGE), JSON.writeValueAsString(m));
  }

  /**
   * Loads the metrics and records the run's stage row.
   *
   * @param state the run's state (a finished run: SUCCEEDED is recorded as such, anything else as FAILED)
   * @return the number of lines loaded
   */
  static long load(SparkSession spark, Lake lake, String runId, Path runDir, Launcher.State state) throws java.io.IOException {
    Path file = runDir.resolve("metrics.jsonl");
    if (!Files.exists(file)) return 0;
    Path specFile = runDir.resolve("spec.yaml");
    JobSpec spec = Files.exists(specFile) ? JobSpec.load(specFile) : null;
    String specJson = spec == null ? "{}" : JSON.writeValueAsString(YAML.readTree(spec.toYaml()));
    try {
      return Stage.run(spark, lake, STAGE, specJson, DocIds.sha256Hex(specJson).substring(0, 16), runId, run -> {
      try {
        Path lineage = runDir.resolve(LINEAGE);
        if (Files.exists(lineage)) {
          JsonNode l = JSON.readTree(lineage.toFile());
          l.fields().forEachRemaining(e -> run.record().recordRead(e.getKey(), e.getValue().asLong()));
        }
        List<Map<String, Object>> lines = new ArrayList<>(MetricsLog.read(file));
        int metricsLines = lines.size();
        Path evalFile = runDir.resolve(EVAL);
        if (Files.exists(evalFile)) lines.addAll(MetricsLog.read(evalFile));
        List<Row> rows = new ArrayList<>();
        Timestamp now = new Timestamp(System.currentTimeMillis());
        Set<Long> steps = new HashSet<>();
        Double finalLoss = null, finalVal = null, minVal = null;
        long lastStep = 0, tokens = 0, events = 0, rollbacks = 0, resumes = 0;
        for (int i = 0; i < lines.size(); i++) {
          Map<String, Object> m = lines.get(i);
          Long step = asLong(m.get("step"));
          Double loss = asDouble(m.get("loss"));
          Double val = asDouble(m.get("val_loss"));
          Object event = m.get("event");
          rows.add(RowFactory.create(runId, (long) i, step, event == null ? null : String.valueOf(event),
              loss, val, asDouble(m.get("lr")), asDouble(m.get("grad_norm")),
              asDouble(m.get("tokens_per_s")), m.get("device") == null ? null : String.valueOf(m.get("device")), JSON.writeValueAsString(m), now));
          if ("eval".equals(event)) continue;
          if (event != null) {
            events++;
            if ("rollback".equals(event)) rollbacks++;
            if ("resume".equals(event)) resumes++;
            continue;
          }
          if (step != null && loss != null) {
            steps.add(step);
            lastStep = Math.max(lastStep, step);
            finalLoss = loss;
            Long t = asLong(m.get("tokens"));
            if (t != null) tokens = t;
          }
          if (val != null) {
            finalVal = val;
            minVal = minVal == null ? val : Math.min(minVal, val);
          }
        }
        String path = lake.path(Lake.GOLD_TRAINING_METRICS);
        long before = run.output(Lake.GOLD_TRAINING_METRICS);
        long previous = before == 0 ? 0 : DeltaTables.read(spark, path).where(org.apache.spark.sql.functions.col("run_id").equalTo(runId)).count();
        run.wrote(Lake.GOLD_TRAINING_METRICS,
            DeltaTables.mergeReplacing(spark.createDataFrame(rows, SCHEMA), path, "t.run_id = '" + runId.replace("'", "''") + "'", "run_id", "line"));
        run.count("metrics_lines", metricsLines);
        run.count("eval_lines", lines.size() - metricsLines);
        run.count("steps", steps.size());
        run.count("last_step", lastStep);
        run.count("tokens", tokens);
        run.count("events", events);
        run.count("rollbacks", rollbacks);
        run.count("resumes", resumes);
        if (spec != null) {
          run.count("train_shards", spec.data.shards.size());
          run.count("validation_shards", spec.data.validation.size());
        }
        if (finalLoss != null) run.count("final_loss_micros", micros(finalLoss));
        if (finalVal != null) run.count("final_val_loss_micros", micros(finalVal));
        if (minVal != null) run.count("min_val_loss_micros", micros(minVal));
        // Every line is a row; a resumed run's log replaces the run's earlier rows.
        run.in(lines.size());
        run.out(rows.size());
        run.gained(Lake.GOLD_TRAINING_METRICS, rows.size() - previous);
        if (state != Launcher.State.SUCCEEDED) {
          run.reconcile();
          throw new NotSucceeded(rows.size(), "training run " + runId + " " + state.name().toLowerCase(java.util.Locale.ROOT));
        }
        return (long) rows.size();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      });
    } catch (NotSucceeded e) {
      return e.rows;
    }
  }

  /** A run that did not succeed: its metrics are loaded, its stage row says FAILED with this message. */
  private static final class NotSucceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long rows;

    NotSucceeded(long rows, String message) {
      super(message);
      this.rows = rows;
    }
  }


  /**
   * The lines of {@value #EVAL} for an evaluation: per shard and pooled ({@code shard: all}),
   * {@code event: eval, step} (the checkpoint's), {@code shard, samples, tokens, val_loss,
   * perplexity, device}, and for a shard in {@code gold/shard_manifest} its {@code split},
   * {@code tokens_by_source} and {@code tokens_by_language} (what the shard holds), and where the
   * shards have their {@code .docs} sidecar, {@code loss_by_source} and {@code loss_by_language}:
   * per key its label {@code tokens}, {@code loss} and {@code perplexity}.
   */
  static List<Map<String, Object>> evalLines(SparkSession spark, Lake lake, List<dev.sieve.train.RunModel.ShardLoss> losses, long step,
      String device) {
    Map<String, Row> manifest = new java.util.HashMap<>();
    String mpath = lake.path(Lake.GOLD_SHARD_MANIFEST);
    if (DeltaTables.exists(spark, mpath)) {
      for (Row r : DeltaTables.read(spark, mpath).select("path", "split", "tokens_by_source", "tokens_by_language").collectAsList()) {
        manifest.put(r.getString(0), r);
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (dev.sieve.train.RunModel.ShardLoss l : losses) {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("event", "eval");
      m.put("step", step);
      m.put("shard", l.shard());
      m.put("samples", l.samples());
      m.put("tokens", l.tokens());
      m.put("val_loss", l.loss());
      m.put("perplexity", l.perplexity());
      m.put("device", device);
      if (!l.bySource().isEmpty()) m.put("loss_by_source", groups(l.bySource()));
      if (!l.byLanguage().isEmpty()) m.put("loss_by_language", groups(l.byLanguage()));
      Row r = manifest.get(l.shard());
      if (r != null) {
        m.put("split", r.getString(1));
        m.put("tokens_by_source", new java.util.TreeMap<>(r.<String, Long>getJavaMap(2)));
        m.put("tokens_by_language", new java.util.TreeMap<>(r.<String, Long>getJavaMap(3)));
      }
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> groups(Map<String, dev.sieve.train.RunModel.GroupLoss> g) {
    Map<String, Object> out = new java.util.TreeMap<>();
    g.forEach((k, v) -> out.put(k, Map.of("tokens", v.tokens(), "loss", v.loss(), "perplexity", v.perplexity())));
    return out;
  }

  /** Replaces the run's {@value #EVAL} (written beside, then renamed). */
  static void writeEval(Path runDir, List<Map<String, Object>> lines) throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    for (Map<String, Object> l : lines) sb.append(JSON.writeValueAsString(l)).append('\n');
    Path tmp = runDir.resolve(EVAL + ".tmp");
    Files.writeString(tmp, sb.toString());
    Files.move(tmp, runDir.resolve(EVAL), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** A loss in millionths of a nat (stage_runs counts are longs). */
  static long micros(double loss) {
    return Double.isFinite(loss) ? Math.round(loss * 1e6) : -1;
  }

  private static Long asLong(Object o) {
    return o instanceof Number n ? n.longValue() : null;
  }

  private static Double asDouble(Object o) {
    return o instanceof Number n ? n.doubleValue() : null;
  }
}
