package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.StageRun;
import dev.sieve.core.spark.TestSpark;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlCommandTest {
  private final SparkSession spark = TestSpark.session();

  @Test
  void queriesLakeTablesByViewName(@TempDir Path dir) {
    Lake lake = new Lake(dir.toString());
    StructType schema = new StructType().add("doc_id", DataTypes.StringType).add("language", DataTypes.StringType).add("text", DataTypes.StringType);
    try (StageRun run = StageRun.start(spark, lake, "demo", SieveConfig.defaults(), "demo-1")) {
      long v = DeltaTables.merge(spark.createDataFrame(List.of(
          RowFactory.create("b", "zh", "中文文本"),
          RowFactory.create("a", "en", "English text")), schema), lake.path(Lake.BRONZE_DOCUMENTS), DeltaTables.OnMatch.KEEP, "doc_id");
      run.wrote(Lake.BRONZE_DOCUMENTS, v);
      run.succeed(2, 2);
    }

    SieveCliTest.Run json = SieveCliTest.sieve("sql", "--lake", lake.root(), "--json", "SELECT doc_id, language FROM bronze_documents ORDER BY doc_id");
    assertEquals(0, json.code(), json.err());
    assertEquals(List.of("{\"doc_id\":\"a\",\"language\":\"en\"}", "{\"doc_id\":\"b\",\"language\":\"zh\"}"), json.out().lines().toList());

    SieveCliTest.Run runs = SieveCliTest.sieve("sql", "--lake", lake.root(), "--json",
        "SELECT stage, status, count_out FROM sieve_stage_runs");
    assertEquals(List.of("{\"stage\":\"demo\",\"status\":\"SUCCEEDED\",\"count_out\":2}"), runs.out().lines().toList());

    SieveCliTest.Run table = SieveCliTest.sieve("sql", "--lake", lake.root(), "SELECT doc_id, text FROM bronze_documents ORDER BY doc_id");
    assertEquals(0, table.code(), table.err());
    List<String> lines = table.out().lines().toList();
    assertEquals("| doc_id | text         |", lines.get(1));
    assertEquals("| b      | 中文文本     |", lines.get(4));
    assertEquals("2 rows", lines.get(lines.size() - 1));

    // delta.`path` with a path relative to the working directory (Delta alone takes only absolute paths).
    String relative = Path.of("").toAbsolutePath().relativize(Path.of(lake.path(Lake.BRONZE_DOCUMENTS)).toAbsolutePath()).toString();
    SieveCliTest.Run byPath = SieveCliTest.sieve("sql", "--lake", lake.root(), "--json", "SELECT count(*) AS n FROM delta.`" + relative + "`");
    assertEquals(0, byPath.code(), byPath.err());
    assertEquals(List.of("{\"n\":2}"), byPath.out().lines().toList());

    SieveCliTest.Run missing = SieveCliTest.sieve("ingest", "--lake", lake.root(), "--input", dir.resolve("no-such-folder").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().startsWith("sieve: bad value for '--input': nothing found at "), missing.err());

    SieveCliTest.Run bad = SieveCliTest.sieve("sql", "--lake", lake.root(), "SELECT * FROM silver_nothing");
    assertEquals(2, bad.code());
    assertTrue(bad.err().startsWith("sieve: bad query: "), bad.err());
    assertTrue(bad.err().contains("views: bronze_documents, sieve_stage_runs"), bad.err());
  }

  @Test
  void relativeDeltaPathsAreMadeAbsoluteAndOthersLeftAlone() {
    Path cwd = Path.of("/work/here");
    java.util.function.UnaryOperator<String> resolve = p -> cwd.resolve(p).normalize().toString();
    assertEquals("SELECT * FROM delta.`/work/here/lake/bronze/documents` d JOIN DELTA . `/work/lake/x` USING (doc_id)",
        SqlCommand.absoluteDeltaPaths("SELECT * FROM delta.`lake/bronze/documents` d JOIN DELTA . `./../lake/x` USING (doc_id)", resolve));
    for (String q : List.of("SELECT 1 FROM delta.`/abs/t`", "SELECT 1 FROM delta.`s3a://bucket/lake/t`", "SELECT 1 FROM delta.`file:/tmp/t`",
        "SELECT 1 FROM delta.`hdfs://nn:8020/lake/t`", "SELECT 1 FROM bronze_documents", "SELECT '`x`' AS q FROM silver_deduped")) {
      assertEquals(q, SqlCommand.absoluteDeltaPaths(q, resolve));
    }
  }
}
