package dev.sieve.tokenize.spark;

import static org.apache.spark.sql.functions.col;

import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.Stage;
import dev.sieve.tokenize.BpeModel;
import dev.sieve.tokenize.BpeTrainer;
import dev.sieve.tokenize.TokenizeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code sieve tokenizer train}: a byte-level BPE learned from {@code silver/clean}. Spark splits
 * every document into pre-tokenizer chunks ({@link BpeTrainer#chunks}) and counts them over the
 * whole corpus; chunks seen fewer than {@code tokenize.bpe.min_chunk_count} times are dropped
 * there; the driver learns the merges and writes a Hugging Face {@code tokenizer.json} that
 * {@code tokenize.tokenizer: hf:<file>} then uses.
 */
public final class TokenizerTrainJob {
  public static final String STAGE = "tokenizer-train";

  private TokenizerTrainJob() {}

  /** What was trained: the file, vocabulary size, merges, distinct chunks counted. */
  public record Result(Path file, int vocabSize, int merges, long distinctChunks) {}

  /** Where a dataset's own BPE lives: {@code gold/tokenizers/<dataset>/tokenizer.json}. */
  public static String datasetTokenizer(Lake lake, String dataset) {
    return lake.path("gold/tokenizers/" + dataset + "/tokenizer.json");
  }

  /** Whether a file exists on the lake's filesystem. */
  public static boolean exists(SparkSession spark, String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /**
   * A local copy of a tokenizer file on any Hadoop filesystem, named after its content hash
   * ({@code tokenizer-<sha>.json}) so that two different files never share a name among the files
   * Spark ships to executors.
   */
  public static Path fetch(SparkSession spark, String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) throw new ConfigException("bad value for 'tokenize.tokenizer': no tokenizer file at " + path);
      byte[] bytes;
      try (java.io.InputStream in = fs.open(p)) {
        bytes = in.readAllBytes();
      }
      String sha = java.util.HexFormat.of().formatHex(dev.sieve.core.DocIds.sha256().digest(bytes)).substring(0, 16);
      Path local = Path.of(System.getProperty("java.io.tmpdir"), "sieve-tokenizers", "tokenizer-" + sha + ".json");
      if (!Files.exists(local)) {
        Files.createDirectories(local.getParent());
        Path tmp = Files.createTempFile(local.getParent(), "tokenizer-", ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
      return local;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot fetch tokenizer " + path, e);
    }
  }

  /** Trains and stores the tokenizer at {@code out} (any Hadoop URI; written locally, then copied). */
  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, String out) {
    try {
      Path local = Files.createTempDirectory("sieve-bpe-").resolve("tokenizer.json");
      Result r = run(spark, lake, config, runId, local);
      org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(out);
      org.apache.hadoop.fs.FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.mkdirs(target.getParent());
      fs.copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(local.toUri()), target);
      return new Result(Path.of(out.startsWith("/") ? out : target.toUri().getPath()), r.vocabSize(), r.merges(), r.distinctChunks());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot store tokenizer at " + out, e);
    }
  }

  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, Path out) {
    TokenizeSettings settings = config.section("tokenize", TokenizeSettings.class);
    return Stage.run(spark, lake, STAGE, config, runId, run -> {
      long version = run.readInput(Lake.SILVER_CLEAN, "sieve pii");
      Dataset<Row> clean = DeltaTables.read(spark, lake.path(Lake.SILVER_CLEAN), version);
      long documents = clean.count();
      Dataset<Row> texts = clean.select(col("text"));
      spark.sparkContext().setJobDescription("sieve tokenizer train: count chunks");
      Dataset<String> chunks = texts.flatMap((FlatMapFunction<Row, String>) TokenizerTrainJob::chunksOf, Encoders.STRING());
      List<Row> counted = chunks.groupBy(col("value")).count().where(col("count").geq(settings.bpe.minChunkCount)).collectAsList();
      Map<String, Long> counts = new HashMap<>(counted.size() * 2);
      for (Row r : counted) counts.put(r.getString(0), r.getLong(1));
      BpeModel model = settings.bpeTrainer().train(counts);
      try {
        Files.createDirectories(out.toAbsolutePath().getParent());
        // Written beside, then moved into place: a run killed half-way never leaves half a tokenizer.
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".tokenizer-", ".tmp");
        model.writeTokenizerJson(tmp);
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot write tokenizer " + out, e);
      }
      // Every document of silver/clean is read and counted; none leaves the pipeline here.
      run.in(documents);
      run.out(documents);
      run.count("distinct_chunks", counts.size());
      run.count("vocab_size", model.vocabSize());
      run.count("merges", model.mergeCount());
      return new Result(out, model.vocabSize(), model.mergeCount(), counts.size());
    });
  }

  private static Iterator<String> chunksOf(Row r) {
    List<String> out = new ArrayList<>();
    BpeTrainer.forEachChunk(r.getString(0), out::add);
    return out.iterator();
  }
}
