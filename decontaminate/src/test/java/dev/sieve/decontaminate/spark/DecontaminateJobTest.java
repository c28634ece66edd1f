package dev.sieve.decontaminate.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Doc;
import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.DocRows;
import dev.sieve.core.spark.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decontaminate stage on real Delta tables, with benchmarks in JSONL, CSV and Parquet: known
 * drops per benchmark in the ledger, the contamination rows (scrubbed spans), an incremental
 * second run, a changed benchmark set refused without {@code --full}, and the cut policy.
 */
class DecontaminateJobTest {
  private final SparkSession spark = TestSpark.session();

  static final String MMLU_1 = "Which of the following best describes the function of the mitochondria in eukaryotic cells "
      + "during aerobic respiration? Write to grader.bot@fastmail.com with your answer.";
  static final String MMLU_2 = "A car travels at a constant speed of sixty kilometres per hour for three hours and then stops; how far has it gone in total";
  static final String GSM = "Janet's ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends every day with four.";
  static final String CEVAL = "下列关于我国古代科举制度的说法中，不正确的一项是哪一个选项呢";

  static Row row(String id, String text, String lang) {
    Doc d = Doc.builder().docId(id).source("test").url("https://example.org/" + id).domain("example.org").language(lang).languageScore(1)
        .text(text).sourceOffset(0).runId("pii-test").build();
    return DocRows.toRow(d);
  }

  static final String FILLER = "The weather was mild and the market opened early as traders arrived with fresh produce from the valley farms. ";

  static String doc(String planted) {
    return FILLER + FILLER + planted + " " + FILLER;
  }

  private String config(Path dir, String extra) throws Exception {
    Path mmlu = dir.resolve("mmlu.jsonl");
    Files.writeString(mmlu, "{\"id\": \"mmlu-a\", \"question\": " + json(MMLU_1) + ", \"choices\": [\"ATP synthesis\", \"DNA repair\"], \"answer\": 0}\n"
        + "{\"id\": \"mmlu-b\", \"question\": " + json(MMLU_2) + ", \"choices\": [\"180 km\", \"90 km\"], \"answer\": 0}\n");
    Files.writeString(dir.resolve("ceval.csv"), "question,A,B,answer\n\"" + CEVAL + "\",甲,乙,A\n\"第二题, with a comma\",丙,丁,B\n");
    Path gsm = dir.resolve("gsm8k.parquet");
    if (!Files.exists(gsm)) {
      StructType s = new StructType().add("question", DataTypes.StringType).add("answer", DataTypes.StringType);
      spark.createDataFrame(List.of(RowFactory.create(GSM, "#### 18")), s).coalesce(1).write().mode(SaveMode.Overwrite).parquet(gsm.toString());
    }
    return "decontaminate:\n  benchmarks:\n"
        + "    - {name: mmlu, path: " + mmlu + ", fields: [question, choices], id: id}\n"
        + "    - {name: ceval, path: " + dir.resolve("ceval.csv") + ", fields: [question, A, B]}\n"
        + "    - {name: gsm8k, path: " + gsm + ", fields: [question, answer]}\n" + extra;
  }

  static String json(String s) {
    return "\"" + s.replace("\"", "\\\"") + "\"";
  }

  private void writeClean(Lake lake, List<Row> rows) {
    spark.createDataFrame(rows, DocRows.SCHEMA).write().format("delta").mode(SaveMode.Overwrite).save(lake.path(Lake.SILVER_CLEAN));
  }

  @Test
  void dropsContaminatedDocumentsRecordsThemAndRunsIncrementally(@TempDir Path dir) throws Exception {
    SieveConfig config = SieveConfig.parse(config(dir, ""));
    assertEquals(Lake.SILVER_DECONTAMINATED, DecontaminateJob.tokenizeInput(config));
    assertEquals(Lake.SILVER_CLEAN, DecontaminateJob.tokenizeInput(SieveConfig.defaults()));
    Lake lake = new Lake(dir.resolve("lake").toString());
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) rows.add(row("clean-" + i, doc("Nothing to see in paragraph number " + i + "."), "en"));
    rows.add(row("m1", doc(MMLU_1), "en"));
    rows.add(row("g1", doc(GSM.toUpperCase().replace(".", " !")), "en"));
    rows.add(row("c1", "昨天老师出了一道题：" + CEVAL + "。同学们讨论了很久。", "zh"));
    rows.add(row("both", doc(MMLU_2 + " and also " + MMLU_1), "en"));
    rows.add(row("common", doc("Which of the following best describes the weather? A car travels at a constant speed."), "en"));
    writeClean(lake, rows);

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    DecontaminateJob.Result r = DecontaminateJob.run(spark, lake, config, "decon-1", false, new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(10, r.in());
    assertEquals(6, r.kept());
    assertEquals(Map.of("mmlu", 2L, "gsm8k", 1L, "ceval", 1L), r.dropped());
    assertEquals(Map.of("mmlu", 2L, "gsm8k", 1L, "ceval", 1L), r.contaminatedDocs());
    assertEquals(6, DeltaTables.count(spark, lake.path(Lake.SILVER_DECONTAMINATED)));
    assertTrue(DeltaTables.read(spark, lake.path(Lake.SILVER_DECONTAMINATED)).where("doc_id = 'common'").count() == 1);

    Map<String, String> items = new TreeMap<>();
    for (Row c : DeltaTables.read(spark, lake.path(Lake.SILVER_CONTAMINATION)).collectAsList()) {
      items.put(c.getAs("doc_id") + "/" + c.getAs("item_id"), c.getAs("benchmark"));
      String span = c.getAs("span");
      assertFalse(span.contains("grader.bot@fastmail.com"), span);
      assertEquals("drop", c.getAs("action"));
      if (c.getAs("doc_id").equals("m1")) {
        assertTrue(span.contains("<EMAIL>"), span);
        assertEquals(dev.sieve.decontaminate.Tokens.count(MMLU_1) - 13 + 1, (int) c.getAs("matched_ngrams"));
      }
    }
    assertEquals(Map.of("m1/mmlu-a", "mmlu", "g1/1", "gsm8k", "c1/1", "ceval", "both/mmlu-a", "mmlu", "both/mmlu-b", "mmlu"), items);

    Row sr = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("run_id = 'decon-1'").head();
    assertEquals("SUCCEEDED", sr.getAs("status"));
    Map<String, Long> dropped = sr.getJavaMap(sr.fieldIndex("dropped"));
    assertEquals(Map.of("contaminated:mmlu", 2L, "contaminated:gsm8k", 1L, "contaminated:ceval", 1L), new TreeMap<>(dropped));
    Map<String, Long> counts = sr.getJavaMap(sr.fieldIndex("counts"));
    assertEquals(2L, counts.get("benchmark_items:mmlu"));
    assertEquals(2L, counts.get("benchmark_items:ceval"));

    // Incremental: two new documents, one contaminated; the rest is not scanned again.
    rows.add(row("new-clean", doc("A fresh paragraph about rivers."), "en"));
    rows.add(row("new-dirty", doc(MMLU_2), "en"));
    writeClean(lake, rows);
    DecontaminateJob.Result r2 = DecontaminateJob.run(spark, lake, config, "decon-2", false, new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(2, r2.in());
    assertEquals(1, r2.kept());
    assertEquals(Map.of("mmlu", 1L), r2.dropped());
    assertEquals(7, DeltaTables.count(spark, lake.path(Lake.SILVER_DECONTAMINATED)));
    assertEquals(6, DeltaTables.count(spark, lake.path(Lake.SILVER_CONTAMINATION)));
    // Nothing new and the files untouched since the set was recorded: decided without building the index.
    ByteArrayOutputStream log3 = new ByteArrayOutputStream();
    DecontaminateJob.Result r3 = DecontaminateJob.run(spark, lake, config, "decon-3", false, new PrintStream(log3, true, StandardCharsets.UTF_8));
    assertEquals(0, r3.in());
    assertEquals(r.fingerprint(), r3.fingerprint());
    String said = log3.toString(StandardCharsets.UTF_8);
    assertTrue(said.contains("decontaminate: benchmark set " + r.fingerprint().substring(0, 12) + " unchanged since"), said);
    assertFalse(said.contains("n-grams from"), said);
    Row sr3 = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("run_id = 'decon-3'").head();
    assertEquals(Map.of("benchmark_items:ceval", 2L, "benchmark_items:gsm8k", 1L, "benchmark_items:mmlu", 2L),
        new TreeMap<>(sr3.<String, Long>getJavaMap(sr3.fieldIndex("counts"))));
    // The same paths, one file edited since: nothing new in silver/clean, yet the edit is noticed (refused without --full).
    Path mmlu = dir.resolve("mmlu.jsonl");
    Files.writeString(mmlu, Files.readString(mmlu) + "{\"id\": \"mmlu-c\", \"question\": " + json(GSM) + "}\n");
    Files.setLastModifiedTime(mmlu, java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(5)));
    ConfigException edited = assertThrows(ConfigException.class, () -> DecontaminateJob.run(spark, lake, config, "decon-3b", false,
        new PrintStream(log, true, StandardCharsets.UTF_8)));
    assertTrue(edited.getMessage().contains("the benchmark set changed"), edited.getMessage());

    // A changed benchmark file: refused without --full, one line naming it; with --full every document is checked again.
    Files.writeString(dir.resolve("gsm8k-2.jsonl"), "{\"question\": " + json(FILLER + FILLER) + "}\n");
    SieveConfig changed = SieveConfig.parse(config(dir, "") + "    - {name: extra, path: " + dir.resolve("gsm8k-2.jsonl") + ", fields: [question]}\n");
    ConfigException e = assertThrows(ConfigException.class, () -> DecontaminateJob.run(spark, lake, changed, "decon-4", false,
        new PrintStream(log, true, StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("--full") && !e.getMessage().contains("\n"), e.getMessage());
    DecontaminateJob.Result full = DecontaminateJob.run(spark, lake, changed, "decon-5", true, new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(12, full.in());
    assertEquals(0, full.out(), "every document carries the filler paragraph but c1");
    assertEquals(0, DeltaTables.count(spark, lake.path(Lake.SILVER_DECONTAMINATED)));
  }

  @Test
  void cutPolicyRemovesTheSpanAndDropsWhatIsLeftTooShort(@TempDir Path dir) throws Exception {
    SieveConfig config = SieveConfig.parse(config(dir, "  policy: cut\n  min_tokens_after_cut: 20\n"));
    Lake lake = new Lake(dir.resolve("lake").toString());
    String long1 = doc(MMLU_2);
    writeClean(lake, List.of(row("long", long1, "en"), row("short", "Question: " + MMLU_2, "en"), row("ok", doc("Nothing here."), "en")));
    DecontaminateJob.Result r = DecontaminateJob.run(spark, lake, config, "cut-1", false, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(3, r.in());
    assertEquals(1, r.kept());
    assertEquals(1, r.cut());
    assertEquals(Map.of("mmlu", 1L), r.dropped());
    Row cut = DeltaTables.read(spark, lake.path(Lake.SILVER_DECONTAMINATED)).where("doc_id = 'long'").head();
    assertEquals(long1.replace(MMLU_2, ""), cut.getAs("text"));
    Row sr = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("run_id = 'cut-1'").head();
    assertEquals(Map.of("too_short_after_cut:mmlu", 1L), new TreeMap<>(sr.<String, Long>getJavaMap(sr.fieldIndex("dropped"))));
    List<String> actions = DeltaTables.read(spark, lake.path(Lake.SILVER_CONTAMINATION)).orderBy("doc_id").select("action").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(List.of("cut", "drop_short"), actions);
  }
}
