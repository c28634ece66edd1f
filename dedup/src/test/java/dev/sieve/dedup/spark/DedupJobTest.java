package dev.sieve.dedup.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Doc;
import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.DocRows;
import dev.sieve.core.spark.TestSpark;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dedup on hand-written documents with known answers: clusters, survivors per keep policy, Chinese, reruns, config errors. */
public class DedupJobTest {
  static final StructType FILTERED = DocRows.SCHEMA.add("quality_score", DataTypes.DoubleType, true)
      .add("signals", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), false);

  private final SparkSession spark = TestSpark.session();

  static final String EN = "The committee met on Tuesday to review the budget for the coming year and agreed that the new library "
      + "should open in the spring after the repairs to the roof are finished and the shelves have been installed by the city. "
      + "Several members asked whether the reading rooms could stay open later in the evening, and the director promised to "
      + "study the cost of extra staff before the next meeting, which will take place in the old town hall in early May";
  static final String ZH = "北京时间昨天晚上，国家统计局发布了最新的经济数据，显示今年前三个季度国内生产总值同比增长百分之五，"
      + "其中消费对经济增长的贡献率明显提高，专家认为下一阶段应当继续扩大内需并稳定就业";

  public record D(String id, String text, Double quality, String fetched) {}

  public static void write(SparkSession spark, Lake lake, List<D> docs, SaveMode mode) {
    List<Row> rows = new ArrayList<>();
    for (D d : docs) {
      Doc doc = Doc.builder().docId(d.id()).source("test").url("https://example.com/" + d.id()).language("en").languageScore(1)
          .text(d.text()).sourceOffset(0).fetchTime(d.fetched() == null ? null : Instant.parse(d.fetched())).runId("filter-test").build();
      Row r = DocRows.toRow(doc);
      Object[] values = new Object[r.length() + 2];
      for (int i = 0; i < r.length(); i++) values[i] = r.get(i);
      values[r.length()] = d.quality();
      values[r.length() + 1] = scala.collection.immutable.Map$.MODULE$.empty();
      rows.add(RowFactory.create(values));
    }
    spark.createDataFrame(rows, FILTERED).write().format("delta").mode(mode).save(lake.path(Lake.SILVER_FILTERED));
  }

  static List<D> docs() {
    return List.of(
        new D("a1", EN, 0.9, "2024-03-01T00:00:00Z"),
        new D("a2", "  " + EN.toUpperCase().replace(" ", "   \n ") + "  ", 0.5, "2024-01-01T00:00:00Z"), // exact duplicate of a1, longest
        new D("a3", EN.replace("Tuesday", "Monday"), 0.4, null),                                         // near duplicate of a1
        new D("z1", ZH, 0.8, null),
        new D("z2", ZH.replace("昨天晚上", "今天上午"), 0.7, null),                                           // Chinese near duplicate
        new D("u1", "A completely different text about gardening, tomatoes and the best time of year to plant beans in a small yard.",
            0.3, null),
        new D("u2", "Nothing but punctuation follows: ... !!! ???", null, null)); // no tokens in common with anything
  }

  private static Map<String, String> keptBy(SparkSession spark, Lake lake) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : DeltaTables.read(spark, lake.path(Lake.SILVER_DUP_CLUSTERS)).collectAsList()) {
      out.put(r.getAs("doc_id"), r.getAs("kept_doc_id"));
    }
    return out;
  }

  private static TreeSet<String> deduped(SparkSession spark, Lake lake) {
    TreeSet<String> ids = new TreeSet<>();
    for (Row r : DeltaTables.read(spark, lake.path(Lake.SILVER_DEDUPED)).select("doc_id").collectAsList()) ids.add(r.getString(0));
    return ids;
  }

  @Test
  void clustersAndSurvivorsWithKnownAnswers(@TempDir Path dir) {
    Lake lake = new Lake(dir.toString());
    write(spark, lake, docs(), SaveMode.ErrorIfExists);
    DedupJob.Result r = DedupJob.run(spark, lake, SieveConfig.defaults(), "dedup-1", false);
    assertEquals(7, r.in());
    assertEquals(4, r.kept());
    assertEquals(1, r.exactRemoved());
    assertEquals(2, r.nearRemoved());
    assertEquals(2, r.clusters());
    // highest_quality: a1 (0.9) and z1 (0.8) survive.
    assertEquals(new TreeSet<>(List.of("a1", "u1", "u2", "z1")), deduped(spark, lake));
    assertEquals(Map.of("a1", "a1", "a2", "a1", "a3", "a1", "z1", "z1", "z2", "z1"), keptBy(spark, lake));
    Map<String, Row> rows = new TreeMap<>();
    for (Row c : DeltaTables.read(spark, lake.path(Lake.SILVER_DUP_CLUSTERS)).collectAsList()) rows.put(c.getAs("doc_id"), c);
    assertEquals("exact", rows.get("a2").getAs("match"));
    assertEquals(1.0, (double) rows.get("a2").getAs("similarity"));
    assertEquals("near", rows.get("a3").getAs("match"));
    double sim = rows.get("a3").getAs("similarity");
    assertTrue(sim > 0.7 && sim < 1.0, "estimated similarity of a3 to a1: " + sim);
    assertEquals("a1", rows.get("a3").getAs("cluster_id"), "the cluster id is its smallest doc id");
    assertEquals(3, (int) rows.get("a3").getAs("cluster_size"));
    assertEquals("dedup-1", rows.get("z2").getAs("run_id"));
    Row kept = DeltaTables.read(spark, lake.path(Lake.SILVER_DEDUPED)).where("doc_id = 'a1'").head();
    assertEquals("a1", kept.getAs("cluster_id"));
    assertEquals("dedup-1", kept.getAs("run_id"));
    assertEquals(EN, kept.getAs("text"), "the document is carried whole");

    // A rerun finds nothing new and changes nothing.
    long version = DeltaTables.version(spark, lake.path(Lake.SILVER_DEDUPED));
    assertEquals(0, DedupJob.run(spark, lake, SieveConfig.defaults(), "dedup-2", false).in());
    assertEquals(version, DeltaTables.version(spark, lake.path(Lake.SILVER_DEDUPED)));
  }

  /** The operation of the latest commit of {@code table}. */
  private static String lastOperation(SparkSession spark, Lake lake, String table) {
    return io.delta.tables.DeltaTable.forPath(spark, lake.path(table)).history(1).head().getAs("operation");
  }

  @Test
  void anIncrementOfItsOwnClustersIsAppendedOneTouchingEarlierDocumentsIsMerged(@TempDir Path dir) {
    Lake lake = new Lake(dir.toString());
    List<D> all = docs();
    write(spark, lake, List.of(all.get(0), all.get(3), all.get(5)), SaveMode.ErrorIfExists); // a1, z1, u1
    assertEquals(3, DedupJob.run(spark, lake, SieveConfig.defaults(), "dedup-1", false).kept());

    // New documents duplicating only each other: appended, earlier rows untouched.
    String river = "The river festival returns this summer with boat races, music on the pier, food stalls from local farms "
        + "and a fireworks show over the harbour on the final night of the week, the organisers said on Friday.";
    write(spark, lake, List.of(new D("n1", river, 0.6, null), new D("n2", river.toUpperCase(), 0.5, null),
        new D("n3", "Quiet streets, a closed bakery and rain all afternoon: the town slept through the holiday.", 0.4, null)),
        SaveMode.Append);
    DedupJob.Result second = DedupJob.run(spark, lake, SieveConfig.defaults(), "dedup-2", false);
    assertEquals(2, second.kept());
    assertEquals(1, second.exactRemoved());
    assertEquals("WRITE", lastOperation(spark, lake, Lake.SILVER_DEDUPED), "appended");
    assertEquals("WRITE", lastOperation(spark, lake, Lake.SILVER_DUP_CLUSTERS), "appended");
    assertEquals(new TreeSet<>(List.of("a1", "n1", "n3", "u1", "z1")), deduped(spark, lake));
    assertEquals(Map.of("n1", "n1", "n2", "n1"), keptBy(spark, lake));

    // A near duplicate of an earlier document: its cluster holds a1, so the tables are MERGEd.
    write(spark, lake, List.of(all.get(2)), SaveMode.Append); // a3
    DedupJob.Result third = DedupJob.run(spark, lake, SieveConfig.defaults(), "dedup-3", false);
    assertEquals(0, third.kept());
    assertEquals("MERGE", lastOperation(spark, lake, Lake.SILVER_DEDUPED));
    assertEquals("MERGE", lastOperation(spark, lake, Lake.SILVER_DUP_CLUSTERS));
    assertEquals(new TreeSet<>(List.of("a1", "n1", "n3", "u1", "z1")), deduped(spark, lake));
    assertEquals(Map.of("a1", "a1", "a3", "a1", "n1", "n1", "n2", "n1"), keptBy(spark, lake));
    assertEquals("a1", DeltaTables.read(spark, lake.path(Lake.SILVER_DEDUPED)).where("doc_id = 'a1'").head().getAs("cluster_id"),
        "the earlier survivor's row now names its cluster");
    assertEquals(5, DeltaTables.count(spark, lake.path(Lake.SILVER_DEDUPED)));
  }

  @Test
  void keepPolicies(@TempDir Path dir) {
    Map<String, List<String>> expected = Map.of(
        "longest", List.of("a2", "u1", "u2", "z1"),          // a2 has the padded text; z1 and z2 have equal lengths -> smaller id
        "earliest", List.of("a2", "u1", "u2", "z1"),         // a2 fetched in January; z's have no time -> smaller id
        "smallest_id", List.of("a1", "u1", "u2", "z1"));
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      Lake lake = new Lake(dir.resolve(e.getKey()).toString());
      write(spark, lake, docs(), SaveMode.ErrorIfExists);
      DedupJob.run(spark, lake, SieveConfig.parse("dedup:\n  keep: " + e.getKey() + "\n"), "dedup-" + e.getKey(), false);
      assertEquals(new TreeSet<>(e.getValue()), deduped(spark, lake), e.getKey());
    }
  }

  @Test
  void changedSettingsNeedFull(@TempDir Path dir) {
    Lake lake = new Lake(dir.toString());
    write(spark, lake, docs(), SaveMode.ErrorIfExists);
    DedupJob.run(spark, lake, SieveConfig.defaults(), "dedup-1", false);
    SieveConfig other = SieveConfig.parse("dedup:\n  num_perm: 128\n");
    ConfigException e = assertThrows(ConfigException.class, () -> DedupJob.run(spark, lake, other, "dedup-2", false));
    assertTrue(e.getMessage().contains("--full"), e.getMessage());
    // --full rebuilds with the new settings: same answer here.
    DedupJob.Result full = DedupJob.run(spark, lake, other, "dedup-3", true);
    assertEquals(7, full.in());
    assertEquals(new TreeSet<>(List.of("a1", "u1", "u2", "z1")), deduped(spark, lake));
    assertEquals(7, DeltaTables.count(spark, lake.path(Lake.SILVER_MINHASH_INDEX)));
  }

  @Test
  void badSettingsNameTheKey() {
    assertThrows(ConfigException.class, () -> SieveConfig.parse("dedup:\n  keep: newest\n"), "dedup.keep");
    ConfigException e = assertThrows(ConfigException.class, () -> SieveConfig.parse("dedup:\n  bands: 30\n  rows: 10\n"));
    assertTrue(e.getMessage().contains("dedup.bands"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> SieveConfig.parse("dedup:\n  verify: maybe\n"));
    assertTrue(e.getMessage().contains("dedup.verify"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> SieveConfig.parse("dedup:\n  threshold: 1.5\n"));
    assertTrue(e.getMessage().contains("dedup.threshold"), e.getMessage());
  }
}
