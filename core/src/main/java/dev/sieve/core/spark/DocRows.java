package dev.sieve.core.spark;

import dev.sieve.core.Doc;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The {@code bronze/documents} schema (DESIGN.md) and conversions between {@link Doc} and Spark rows. */
public final class DocRows {
  public static final StructType SCHEMA = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("source", DataTypes.StringType, false)
      .add("url", DataTypes.StringType, true)
      .add("domain", DataTypes.StringType, true)
      .add("fetch_time", DataTypes.TimestampType, true)
      .add("language", DataTypes.StringType, true)
      .add("language_score", DataTypes.DoubleType, false)
      .add("title", DataTypes.StringType, true)
      .add("text", DataTypes.StringType, false)
      .add("source_file", DataTypes.StringType, true)
      .add("source_offset", DataTypes.LongType, false)
      .add("metadata", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), false)
      .add("run_id", DataTypes.StringType, true);

  private DocRows() {}

  public static Row toRow(Doc d) {
    return RowFactory.create(d.docId(), d.source(), d.url(), d.domain(),
        d.fetchTime() == null ? null : Timestamp.from(d.fetchTime()), d.language(), d.languageScore(), d.title(),
        d.text(), d.sourceFile(), d.sourceOffset(), scalaMap(d.metadata()), d.runId());
  }

  /** Spark's row encoder wants Scala maps in rows that come from RDDs. */
  static scala.collection.Map<String, String> scalaMap(Map<String, String> m) {
    return scala.jdk.javaapi.CollectionConverters.asScala(new LinkedHashMap<>(m));
  }

  /** Reads a row with (at least) the {@link #SCHEMA} columns, by name. */
  public static Doc fromRow(Row r) {
    Timestamp t = r.getAs("fetch_time");
    Map<String, String> meta = r.getJavaMap(r.fieldIndex("metadata"));
    return Doc.builder()
        .docId(r.getAs("doc_id"))
        .source(r.getAs("source"))
        .url(r.getAs("url"))
        .domain(r.getAs("domain"))
        .fetchTime(t == null ? null : t.toInstant())
        .language(r.getAs("language"))
        .languageScore(r.<Double>getAs("language_score"))
        .title(r.getAs("title"))
        .text(r.getAs("text"))
        .sourceFile(r.getAs("source_file"))
        .sourceOffset(r.<Long>getAs("source_offset"))
        .metadata(meta)
        .runId(r.getAs("run_id"))
        .build();
  }
}
