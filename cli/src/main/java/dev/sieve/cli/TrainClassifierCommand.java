package dev.sieve.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.SparkSessions;
import dev.sieve.core.spark.Stage;
import dev.sieve.filter.QualityClassifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sieve filter train-classifier}: trains the fastText quality classifier from positives
 * (reference-quality text) and negatives (raw crawl: files, or a sample of bronze/documents),
 * reports held-out precision, recall and F1, and writes the model for {@code filter.classifier.model}.
 */
@Command(name = "train-classifier", mixinStandardHelpOptions = true,
    description = {"Train the fastText quality classifier. Files: .txt (a document per line), .jsonl (the 'text' field),",
        ".tsv (the longest field of each line). Reports held-out precision/recall/F1 and writes the model."})
final class TrainClassifierCommand extends LakeCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--positives", required = true, arity = "1..*", paramLabel = "FILE", description = "Reference-quality text.")
  List<Path> positives;

  @Option(names = "--negatives", arity = "1..*", paramLabel = "FILE", description = "Low-quality / raw crawl text.")
  List<Path> negatives;

  @Option(names = "--negatives-from-bronze", paramLabel = "N", description = "Also take N documents of bronze/documents as negatives.")
  Integer fromBronze;

  @Option(names = "--out", paramLabel = "FILE", description = "Model file, a local path or any Hadoop URI (default: <lake>/_sieve/models/quality-<run_id>.bin, on the lake's filesystem).")
  String out;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Shuffle seed of the held-out split (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws IOException {
    SieveConfig config = common.config();
    String runId = common.runId("filter-train");
    List<String> pos = new ArrayList<>();
    for (Path p : positives) pos.addAll(read(p, "--positives"));
    List<String> neg = new ArrayList<>();
    if (negatives != null) for (Path p : negatives) neg.addAll(read(p, "--negatives"));
    Lake lake = common.lake();
    SparkSession spark = SparkSessions.getOrCreate(config.spark());
    if (fromBronze != null && fromBronze > 0) {
      String bronze = lake.path(Lake.BRONZE_DOCUMENTS);
      if (!DeltaTables.exists(spark, bronze)) throw new ConfigException("bad value for '--negatives-from-bronze': no bronze/documents in " + lake.root());
      for (Row r : DeltaTables.read(spark, bronze).select("text").orderBy("doc_id").limit(fromBronze).collectAsList()) neg.add(r.getString(0));
    }
    if (neg.isEmpty()) throw new ConfigException("bad usage: give --negatives or --negatives-from-bronze");
    String modelPath = out != null ? out : lake.path("_sieve/models/quality-" + runId + ".bin");
    Path work = Files.createTempDirectory("sieve-classifier-");
    QualityClassifier.Trained t = QualityClassifier.train(pos, neg, work, seed);
    t.classifier().close();
    // Trained on local disk, then copied to the model's filesystem (HDFS, S3, or local).
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(Lake.isAbsolute(modelPath) && !modelPath.startsWith("/")
        ? modelPath : Path.of(modelPath).toAbsolutePath().toUri().toString());
    org.apache.hadoop.fs.FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    fs.mkdirs(target.getParent());
    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(t.classifier().path().toUri()), target);
    long modelBytes = fs.getFileStatus(target).getLen();
    String model = target.toUri().getScheme().equals("file") ? target.toUri().getPath() : target.toString();
    QualityClassifier.Evaluation e = t.evaluation();
    // The run is recorded in the lake's stage_runs; the model file name carries the run id.
    Stage.run(spark, lake, "filter-train", config, runId, run -> {
      // Every example is used: trained on, or held out to measure the model.
      run.in(pos.size() + neg.size());
      run.out(pos.size() + neg.size());
      run.count("positives", pos.size());
      run.count("negatives", neg.size());
      run.count("trained_on", e.trainSize());
      run.count("held_out", e.heldOut());
      run.count("precision_bp", Math.round(e.precision() * 10_000));
      run.count("recall_bp", Math.round(e.recall() * 10_000));
      run.count("f1_bp", Math.round(e.f1() * 10_000));
      run.count("model_bytes", modelBytes);
      return null;
    });
    PrintWriter o = out();
    o.printf("train-classifier %s: %,d positives, %,d negatives; held out %,d: precision %.3f, recall %.3f, F1 %.3f%n", runId, pos.size(),
        neg.size(), e.heldOut(), e.precision(), e.recall(), e.f1());
    o.printf("model: %s%nuse it with:%n  filter:%n    classifier:%n      model: %s%n", model, model);
    o.flush();
    return ExitCodes.OK;
  }

  private static List<String> read(Path file, String option) throws IOException {
    if (!Files.isRegularFile(file)) throw new ConfigException("bad value for '" + option + "': no file " + file);
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) continue;
      if (name.endsWith(".jsonl")) {
        JsonNode n = JSON.readTree(line);
        if (n.hasNonNull("text")) out.add(n.get("text").asText());
      } else if (name.endsWith(".tsv")) {
        String best = "";
        for (String f : line.split("\t")) if (f.length() > best.length()) best = f;
        out.add(best);
      } else {
        out.add(line);
      }
    }
    return out;
  }
}
