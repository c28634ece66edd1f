package dev.sieve.pii.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Doc;
import dev.sieve.core.DocIds;
import dev.sieve.core.Lake;
import dev.sieve.core.PiiKind;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.DocRows;
import dev.sieve.core.spark.TestSpark;
import dev.sieve.pii.PiiCorpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * The pii stage on real Delta tables: every planted value is replaced (counts per kind equal the
 * planted counts), no planted raw value is found in any table the stage wrote or in its output,
 * and an incremental run scrubs only new documents and drops the ones dedup withdrew.
 */
class PiiJobTest {
  static final StructType DEDUPED = DocRows.SCHEMA.add("quality_score", DataTypes.DoubleType, true)
      .add("signals", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false)
      .add("cluster_id", DataTypes.StringType, true);

  private final SparkSession spark = TestSpark.session();

  static Row row(String id, String text, String lang, String title) {
    Doc d = Doc.builder().docId(id).source("test").url("https://example.org/" + id).domain("example.org").language(lang).languageScore(1)
        .title(title).text(text).sourceOffset(0).runId("dedup-test").build();
    Row r = DocRows.toRow(d);
    Object[] v = new Object[r.length() + 3];
    for (int i = 0; i < r.length(); i++) v[i] = r.get(i);
    v[r.length()] = 0.5;
    v[r.length() + 1] = scala.collection.immutable.Map$.MODULE$.empty();
    v[r.length() + 2] = null;
    return RowFactory.create(v);
  }

  @Test
  void plantedValuesAreReplacedAndNeverStored(@TempDir Path dir) throws Exception {
    PiiCorpus corpus = PiiCorpus.cached(2500, 77);
    List<Row> rows = new ArrayList<>();
    Map<String, Long> planted = new TreeMap<>();
    List<String> rawValues = new ArrayList<>();
    for (PiiCorpus.Doc d : corpus.docs) {
      rows.add(row(DocIds.of("test", d.key(), "0"), d.text(), d.lang(), null));
      for (PiiCorpus.Planted p : d.planted()) {
        planted.merge(p.kind().key(), 1L, Long::sum);
        rawValues.add(p.value());
      }
    }
    assertTrue(rawValues.size() > 100, "planted values: " + rawValues.size());
    // A title carrying an e-mail address is scrubbed too.
    rows.add(row("t1", "A short note with nothing personal in it.", "en", "Write to jane.roe@fastmail.com today"));
    planted.merge(PiiKind.EMAIL.key(), 1L, Long::sum);
    rawValues.add("jane.roe@fastmail.com");
    Lake lake = new Lake(dir.resolve("lake").toString());
    spark.createDataFrame(rows, DEDUPED).write().format("delta").mode(SaveMode.ErrorIfExists).save(lake.path(Lake.SILVER_DEDUPED));

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PiiJob.Result r = PiiJob.run(spark, lake, SieveConfig.defaults(), "pii-1", false, new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(rows.size(), r.in());
    assertEquals(rows.size(), r.clean());
    assertEquals(0, r.quarantined());
    assertEquals(planted, r.spans(), "every planted span replaced, nothing else");
    assertEquals(rows.size(), DeltaTables.count(spark, lake.path(Lake.SILVER_CLEAN)));
    Row t1 = DeltaTables.read(spark, lake.path(Lake.SILVER_CLEAN)).where("doc_id = 't1'").head();
    assertEquals("Write to <EMAIL> today", t1.getAs("title"));
    assertEquals(Map.of("email", 1), t1.getJavaMap(t1.fieldIndex("pii_counts")));

    // Everything the stage wrote, as text: silver/clean, its stage run, its console output.
    StringBuilder written = new StringBuilder(log.toString(StandardCharsets.UTF_8));
    for (String json : DeltaTables.read(spark, lake.path(Lake.SILVER_CLEAN)).toJSON().collectAsList()) written.append(json).append('\n');
    for (String json : DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("stage = 'pii'").toJSON().collectAsList()) {
      written.append(json).append('\n');
    }
    String all = written.toString();
    for (String v : rawValues) assertFalse(all.contains(v), "a planted raw value leaked (kind withheld)");
    assertFalse(DeltaTables.exists(spark, lake.path(Lake.QUARANTINE)), "nothing quarantined, no quarantine table written");

    // Incremental: dedup withdrew one document and added one.
    String withdrawn = rows.get(0).getString(0);
    spark.createDataFrame(List.of(row("n1", "Call me on +44 20 7946 0321 or mail sam@proton.me please.", "en", null)), DEDUPED)
        .write().format("delta").mode(SaveMode.Append).save(lake.path(Lake.SILVER_DEDUPED));
    io.delta.tables.DeltaTable.forPath(spark, lake.path(Lake.SILVER_DEDUPED)).delete("doc_id = '" + withdrawn + "'");
    PiiJob.Result again = PiiJob.run(spark, lake, SieveConfig.defaults(), "pii-2", false, new PrintStream(new ByteArrayOutputStream()));
    assertEquals(1, again.in());
    assertEquals(1, again.withdrawn());
    assertEquals(Map.of("email", 1L, "phone", 1L), again.spans());
    assertEquals(rows.size(), DeltaTables.count(spark, lake.path(Lake.SILVER_CLEAN)));
    assertEquals(0, DeltaTables.read(spark, lake.path(Lake.SILVER_CLEAN)).where("doc_id = '" + withdrawn + "'").count());
    Row n1 = DeltaTables.read(spark, lake.path(Lake.SILVER_CLEAN)).where("doc_id = 'n1'").head();
    assertEquals("Call me on <PHONE> or mail <EMAIL> please.", n1.getAs("text"));
    assertEquals("pii-2", n1.getAs("run_id"));

    // A third run has nothing to do.
    assertEquals(0, PiiJob.run(spark, lake, SieveConfig.defaults(), "pii-3", false, new PrintStream(new ByteArrayOutputStream())).in());

    // dedup's usual increment: silver/deduped only gained a row. Only that row is read, and it is appended (no MERGE).
    spark.createDataFrame(List.of(row("n2", "Mail kim@proton.me about it.", "en", null)), DEDUPED)
        .write().format("delta").mode(SaveMode.Append).save(lake.path(Lake.SILVER_DEDUPED));
    PiiJob.Result fourth = PiiJob.run(spark, lake, SieveConfig.defaults(), "pii-4", false, new PrintStream(new ByteArrayOutputStream()));
    assertEquals(1, fourth.in());
    assertEquals(0, fourth.withdrawn());
    assertEquals(Map.of("input_rows_read", 1L), inputCounts(lake, "pii-4"), "only the row silver/deduped gained is read");
    assertEquals(Map.of("input_rows_read", (long) rows.size(), "input_read_whole", 1L), inputCounts(lake, "pii-2"),
        "after a DELETE in silver/deduped the whole table is read");
    assertEquals("WRITE", io.delta.tables.DeltaTable.forPath(spark, lake.path(Lake.SILVER_CLEAN)).history(1).head().getAs("operation"));
    assertEquals(rows.size() + 1, DeltaTables.count(spark, lake.path(Lake.SILVER_CLEAN)));
    Row n2 = DeltaTables.read(spark, lake.path(Lake.SILVER_CLEAN)).where("doc_id = 'n2'").head();
    assertEquals("Mail <EMAIL> about it.", n2.getAs("text"));
  }

  private Map<String, Long> inputCounts(Lake lake, String runId) {
    Row r = DeltaTables.read(spark, lake.path(Lake.STAGE_RUNS)).where("stage = 'pii' AND run_id = '" + runId + "'").head();
    Map<String, Long> out = new java.util.TreeMap<>(r.<String, Long>getJavaMap(r.fieldIndex("counts")));
    out.keySet().removeIf(k -> !k.startsWith("input_"));
    return out;
  }
}
