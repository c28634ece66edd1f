package dev.sieve.cli;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.StageRun;
import dev.sieve.core.spark.TestSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A ten-document lake with every table {@code inspect} and {@code report} read, written through
 * {@link StageRun} so each Delta commit carries its run's userMetadata. Built once per test JVM.
 *
 * <pre>
 * bronze/documents   d01..d10 (en ×6, zh ×3, de ×1)
 * silver/rejected    d08, d09 gopher_quality; d10 zh_quality          → 3 rejected
 * silver/filtered    d01..d07                                         → 7
 * silver/dup_clusters d01 kept + d02 exact + d03 near (0.87); d04 kept + d05 near (0.91)
 * silver/deduped     d01, d04, d06, d07                               → 4
 * silver/clean       the same four; PII: d01 email 2 + phone 1, d06 ip_address 1
 * gold/shard_manifest web/train 3 docs 900 tokens, web/valid 1 doc 100 tokens
 * gold/training_metrics run train-a, steps 1..20, val loss at 10 and 20, and 5 event lines: 25 lines (only with metrics)
 * _sieve/quarantine  truncated, invalid_json
 * </pre>
 */
final class TinyLake {
  static final String EMAIL = "john.doe@example.com";
  private static Lake withMetrics;

  private TinyLake() {}

  /** The shared lake, with training metrics. */
  static synchronized Lake get() {
    if (withMetrics == null) {
      try {
        Path dir = Files.createTempDirectory("sieve-tiny-lake");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        withMetrics = build(new Lake(dir.toString()), true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return withMetrics;
  }

  static Lake build(Lake lake, boolean metrics) {
    SparkSession spark = TestSpark.session();
    SieveConfig config = SieveConfig.defaults();
    StructType docs = new StructType().add("doc_id", DataTypes.StringType, false).add("source", DataTypes.StringType)
        .add("language", DataTypes.StringType).add("text", DataTypes.StringType);
    String[] langs = {"en", "en", "en", "zh", "en", "zh", "en", "en", "de", "zh"};
    List<Row> bronze = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      String id = String.format("d%02d", i);
      String lang = langs[i - 1];
      String text = switch (i) {
        case 8 -> "Contact me at " + EMAIL + " for cheap stuff";
        case 9 -> "Too short.";
        case 10 -> "短文本。";
        default -> (lang.equals("zh") ? "这是一个关于数据整理的中文段落。" : "A paragraph about curating data for language models. ").repeat(i * 3);
      };
      bronze.add(RowFactory.create(id, lang.equals("zh") ? "wudao" : "commoncrawl", lang, text));
    }
    var bronzeDf = spark.createDataFrame(bronze, docs);
    try (StageRun run = StageRun.start(spark, lake, "ingest", config, "ingest-t1")) {
      run.wrote(Lake.BRONZE_DOCUMENTS, DeltaTables.merge(bronzeDf, lake.path(Lake.BRONZE_DOCUMENTS), DeltaTables.OnMatch.KEEP, "doc_id"));
      StructType q = new StructType().add("source_file", DataTypes.StringType).add("error_kind", DataTypes.StringType);
      run.wrote(Lake.QUARANTINE, DeltaTables.append(spark.createDataFrame(List.of(RowFactory.create("a.warc.gz", "truncated"),
          RowFactory.create("b.json", "invalid_json")), q), lake.path(Lake.QUARANTINE)));
      run.succeed(12, 10);
    }
    try (StageRun run = StageRun.start(spark, lake, "filter", config, "filter-t1")) {
      run.wrote(Lake.SILVER_FILTERED, DeltaTables.merge(bronzeDf.where("doc_id <= 'd07'"), lake.path(Lake.SILVER_FILTERED), DeltaTables.OnMatch.KEEP, "doc_id"));
      var rejected = bronzeDf.where("doc_id > 'd07'").selectExpr("*", "'coarse' AS stage",
          "CASE WHEN doc_id = 'd10' THEN 'zh_quality' ELSE 'gopher_quality' END AS rule",
          "CASE doc_id WHEN 'd08' THEN 12.0 WHEN 'd09' THEN 2.0 ELSE 0.125 END AS value",
          "CASE WHEN doc_id = 'd10' THEN 0.3 ELSE 50.0 END AS threshold");
      run.wrote(Lake.SILVER_REJECTED, DeltaTables.merge(rejected, lake.path(Lake.SILVER_REJECTED), DeltaTables.OnMatch.KEEP, "doc_id"));
      run.count("rejected_gopher_quality", 2);
      run.count("rejected_zh_quality", 1);
      run.succeed(10, 7);
    }
    try (StageRun run = StageRun.start(spark, lake, "dedup", config, "dedup-t1")) {
      StructType c = new StructType().add("doc_id", DataTypes.StringType).add("cluster_id", DataTypes.StringType)
          .add("kept_doc_id", DataTypes.StringType).add("kept", DataTypes.BooleanType).add("match", DataTypes.StringType)
          .add("similarity", DataTypes.DoubleType).add("cluster_size", DataTypes.IntegerType);
      var clusters = spark.createDataFrame(List.of(
          RowFactory.create("d01", "d01", "d01", true, "exact", 1.0, 3),
          RowFactory.create("d02", "d01", "d01", false, "exact", 1.0, 3),
          RowFactory.create("d03", "d01", "d01", false, "near", 0.87, 3),
          RowFactory.create("d04", "d04", "d04", true, "exact", 1.0, 2),
          RowFactory.create("d05", "d04", "d04", false, "near", 0.91, 2)), c);
      run.wrote(Lake.SILVER_DUP_CLUSTERS, DeltaTables.merge(clusters, lake.path(Lake.SILVER_DUP_CLUSTERS), DeltaTables.OnMatch.UPDATE, "doc_id"));
      run.wrote(Lake.SILVER_DEDUPED, DeltaTables.merge(bronzeDf.where("doc_id IN ('d01', 'd04', 'd06', 'd07')"), lake.path(Lake.SILVER_DEDUPED),
          DeltaTables.OnMatch.KEEP, "doc_id"));
      run.succeed(7, 4);
    }
    try (StageRun run = StageRun.start(spark, lake, "pii", config, "pii-t1")) {
      StructType c = new StructType().add("doc_id", DataTypes.StringType).add("language", DataTypes.StringType).add("text", DataTypes.StringType)
          .add("pii_counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType));
      var clean = spark.createDataFrame(List.of(
          RowFactory.create("d01", "en", "Write to <EMAIL> or <EMAIL>, or call <PHONE>. " + "More text. ".repeat(20), map(Map.of("email", 2, "phone", 1))),
          RowFactory.create("d04", "zh", "没有个人信息。", map(Map.of())),
          RowFactory.create("d06", "zh", "服务器地址是 <IP_ADDRESS>。", map(Map.of("ip_address", 1))),
          RowFactory.create("d07", "en", "Nothing personal here.", map(Map.of()))), c);
      run.wrote(Lake.SILVER_CLEAN, DeltaTables.merge(clean, lake.path(Lake.SILVER_CLEAN), DeltaTables.OnMatch.KEEP, "doc_id"));
      run.succeed(4, 4);
    }
    try (StageRun run = StageRun.start(spark, lake, "tokenize", config, "tokenize-t1")) {
      StructType m = new StructType().add("dataset", DataTypes.StringType).add("split", DataTypes.StringType).add("shard", DataTypes.IntegerType)
          .add("path", DataTypes.StringType).add("documents", DataTypes.LongType).add("sequences", DataTypes.LongType)
          .add("tokens", DataTypes.LongType).add("bytes", DataTypes.LongType).add("sha256", DataTypes.StringType)
          .add("tokenizer", DataTypes.StringType).add("tokenizer_version", DataTypes.StringType)
          .add("tokens_by_source", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
          .add("tokens_by_language", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType));
      var manifest = spark.createDataFrame(List.of(
          RowFactory.create("web", "train", 0, "gold/shards/web/train-00000", 3L, 3L, 900L, 1800L, "ab", "gpt2", "1",
              map(Map.of("commoncrawl", 600L, "wudao", 300L)), map(Map.of("en", 600L, "zh", 300L))),
          RowFactory.create("web", "valid", 0, "gold/shards/web/valid-00000", 1L, 1L, 100L, 200L, "cd", "gpt2", "1",
              map(Map.of("wudao", 100L)), map(Map.of("en", 100L)))), m);
      run.wrote(Lake.GOLD_SHARD_MANIFEST, DeltaTables.append(manifest, lake.path(Lake.GOLD_SHARD_MANIFEST)));
      run.succeed(4, 4);
    }
    // A decontamination's matches, as silver/contamination holds them (the run itself is not needed by inspect):
    // d06 dropped for two gsm8k items, d07 cut for one mmlu item.
    StructType hits = new StructType().add("doc_id", DataTypes.StringType).add("benchmark", DataTypes.StringType)
        .add("item_id", DataTypes.StringType).add("matched_ngrams", DataTypes.IntegerType).add("action", DataTypes.StringType);
    DeltaTables.append(spark.createDataFrame(List.of(RowFactory.create("d06", "gsm8k", "q1", 3, "dropped"),
        RowFactory.create("d06", "gsm8k", "q2", 1, "dropped"), RowFactory.create("d07", "mmlu", "q9", 2, "cut")), hits),
        lake.path(Lake.SILVER_CONTAMINATION));
    if (metrics) {
      StructType t = new StructType().add("run_id", DataTypes.StringType).add("step", DataTypes.LongType).add("loss", DataTypes.DoubleType)
          .add("lr", DataTypes.DoubleType).add("val_loss", DataTypes.DoubleType).add("event", DataTypes.StringType);
      List<Row> rows = new ArrayList<>();
      for (long s = 1; s <= 20; s++) rows.add(RowFactory.create("train-a", s, 5.0 - 0.1 * s, 3e-4, s % 10 == 0 ? 5.2 - 0.1 * s : null, null));
      // Event lines, as metrics.jsonl has them: they are not steps (a rollback's line even carries the spike's loss).
      rows.add(RowFactory.create("train-a", 0L, null, null, null, "start"));
      rows.add(RowFactory.create("train-a", 10L, null, null, null, "checkpoint"));
      rows.add(RowFactory.create("train-a", 15L, 0.5, null, null, "rollback"));
      rows.add(RowFactory.create("train-a", 20L, null, null, null, "checkpoint"));
      rows.add(RowFactory.create("train-a", 20L, null, null, null, "done"));
      DeltaTables.append(spark.createDataFrame(rows, t), lake.path(Lake.GOLD_TRAINING_METRICS));
    }
    return lake;
  }

  /** A map cell (Spark converts java.util.Map to MapType). */
  static <K, V> Map<K, V> map(Map<K, V> m) {
    return new java.util.TreeMap<>(m);
  }

  static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
