package dev.sieve.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** {@link TableDigest}: the same content in any order and from any run digests the same; a changed value does not. */
class TableDigestTest {
  private final SparkSession spark = TestSpark.session();
  private static final StructType SCHEMA = new StructType()
      .add("doc_id", DataTypes.StringType).add("text", DataTypes.StringType).add("run_id", DataTypes.StringType)
      .add("source_file", DataTypes.StringType).add("ingested_at", DataTypes.TimestampType)
      .add("counts", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType));

  private Dataset<Row> df(Row... rows) {
    return spark.createDataFrame(List.of(rows), SCHEMA);
  }

  private static Row row(String id, String text, String run, String file, Map<String, Long> counts) {
    return RowFactory.create(id, text, run, file, new java.sql.Timestamp(run.hashCode()), counts);
  }

  @Test
  void orderRunsFilesAndTimesDoNotChangeTheDigestContentDoes() {
    String a = TableDigest.of(df(row("1", "one", "r1", "/x/a", Map.of("k", 1L, "j", 2L)), row("2", "two", "r1", "/x/b", Map.of())),
        TableDigest.VOLATILE);
    String b = TableDigest.of(df(row("2", "two", "r9", "/elsewhere/b", Map.of()), row("1", "one", "r2", "/y/a", Map.of("j", 2L, "k", 1L))),
        TableDigest.VOLATILE);
    assertEquals(a, b);
    assertEquals("2 rows", a.substring(0, a.indexOf(',')));
    String c = TableDigest.of(df(row("1", "one!", "r1", "/x/a", Map.of("k", 1L, "j", 2L)), row("2", "two", "r1", "/x/b", Map.of())),
        TableDigest.VOLATILE);
    assertNotEquals(a, c, "a changed text changes the digest");
    String d = TableDigest.of(df(row("1", "one", "r1", "/x/a", Map.of("k", 1L, "j", 3L)), row("2", "two", "r1", "/x/b", Map.of())),
        TableDigest.VOLATILE);
    assertNotEquals(a, d, "a changed map value changes the digest");
    assertEquals("0 rows, hash 0", TableDigest.of(df(), TableDigest.VOLATILE));
  }
}
