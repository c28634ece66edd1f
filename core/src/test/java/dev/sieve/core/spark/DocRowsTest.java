package dev.sieve.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sieve.core.Doc;
import dev.sieve.core.DocIds;
import dev.sieve.core.Lake;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocRowsTest {
  @Test
  void docRoundTripsThroughDelta(@TempDir Path dir) {
    SparkSession spark = TestSpark.session();
    Doc doc = Doc.builder()
        .docId(DocIds.of("wudao", "k1", "7"))
        .source("wudao")
        .url("https://例子.cn/a")
        .domain("例子.cn")
        .fetchTime(Instant.parse("2024-05-06T07:08:09Z"))
        .language("zh")
        .languageScore(0.97)
        .title("标题")
        .text("第一段。\n第二段。")
        .sourceFile("wudao/part-00000.json")
        .sourceOffset(123)
        .putMetadata("dataType", "新闻")
        .runId("ingest-1")
        .build();
    String path = new Lake(dir.toString()).path(Lake.BRONZE_DOCUMENTS);
    DeltaTables.merge(spark.createDataFrame(List.of(DocRows.toRow(doc)), DocRows.SCHEMA), path, DeltaTables.OnMatch.KEEP, "doc_id");
    Row back = DeltaTables.read(spark, path).head();
    assertEquals(doc, DocRows.fromRow(back));
  }
}
