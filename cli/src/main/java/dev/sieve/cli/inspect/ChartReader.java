package dev.sieve.cli.inspect;

import static org.apache.spark.sql.functions.expr;

import dev.sieve.cli.inspect.LakeSnapshot.Charts;
import dev.sieve.core.Lake;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The report's extra aggregates ({@link Charts}): documents of {@code bronze/documents} per
 * language and length bucket ({@link SnapshotReader#LENGTH_BOUNDS}, bucketed in Spark), and
 * duplicate clusters per size.
 */
final class ChartReader {
  private ChartReader() {}

  static Charts read(LakeQuery q) {
    Map<String, List<Long>> lengths = q.section("length histogram", () -> lengthHistogram(q, Lake.BRONZE_DOCUMENTS), Map.<String, List<Long>>of(),
        Lake.BRONZE_DOCUMENTS);
    Map<Integer, Long> sizes = q.section("cluster sizes", () -> clusterSizes(q), Map.<Integer, Long>of(), Lake.SILVER_DUP_CLUSTERS);
    return new Charts(Lake.BRONZE_DOCUMENTS, SnapshotReader.LENGTH_BOUNDS, lengths, sizes);
  }

  /** Clusters of more than one document per size. */
  private static Map<Integer, Long> clusterSizes(LakeQuery q) {
    Map<Integer, Long> m = new TreeMap<>();
    for (Row r : q.df(Lake.SILVER_DUP_CLUSTERS).where("cluster_size > 1").groupBy("cluster_id").agg(expr("max(cluster_size)").as("size"))
        .groupBy("size").count().collectAsList()) {
      m.put(((Number) r.get(0)).intValue(), r.getLong(1));
    }
    return m;
  }

  /** Documents per language and length bucket, bucketed in Spark; small languages merged into {@code other}. */
  private static Map<String, List<Long>> lengthHistogram(LakeQuery q, String table) {
    List<Long> bounds = SnapshotReader.LENGTH_BOUNDS;
    String array = bounds.stream().map(String::valueOf).collect(Collectors.joining(", "));
    Dataset<Row> d = q.df(table).select(expr("coalesce(language, 'und')").as("language"),
        expr("size(filter(array(" + array + "), b -> b <= char_length(coalesce(text, '')))) - 1").as("bucket"));
    List<Row> rows = d.groupBy("language", "bucket").count().collectAsList();
    Map<String, long[]> raw = new TreeMap<>();
    for (Row r : rows) raw.computeIfAbsent(r.getString(0), k -> new long[bounds.size()])[r.getInt(1)] += r.getLong(2);
    return Histograms.topLanguages(raw, SnapshotReader.LENGTH_LANGUAGES);
  }
}
