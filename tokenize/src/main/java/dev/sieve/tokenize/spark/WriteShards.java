package dev.sieve.tokenize.spark;

import dev.sieve.core.Lake;
import dev.sieve.tokenize.IndexedDatasetWriter;
import dev.sieve.tokenize.ShardDocs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Executor side of tokenize's writing: rows arrive sorted by (split, shard, order); each run of
 * one (split, shard) becomes one Megatron {@code .bin}/{@code .idx} pair (and a {@code .mask} when
 * it holds conversations: {@link IndexedDatasetWriter}), written to local disk and then copied to
 * the lake's filesystem (any Hadoop URI), and one manifest row.
 */
final class WriteShards implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** Input: {@code split, shard, doc_id, source, language, tokens}. */
  static final StructType MANIFEST = new StructType()
      .add("dataset", DataTypes.StringType, false)
      .add("split", DataTypes.StringType, false)
      .add("shard", DataTypes.IntegerType, false)
      .add("path", DataTypes.StringType, false)
      .add("documents", DataTypes.LongType, false)
      .add("sequences", DataTypes.LongType, false)
      .add("tokens", DataTypes.LongType, false)
      .add("bytes", DataTypes.LongType, false)
      .add("idx_bytes", DataTypes.LongType, false)
      .add("sha256", DataTypes.StringType, false)
      .add("idx_sha256", DataTypes.StringType, false)
      .add("dtype", DataTypes.StringType, false)
      .add("tokenizer", DataTypes.StringType, false)
      .add("tokenizer_version", DataTypes.StringType, false)
      .add("tokens_by_source", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false), false)
      .add("tokens_by_language", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false), false)
      .add("source_version", DataTypes.LongType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("written_at", DataTypes.TimestampType, false);

  private final String dataset;
  private final String batchDir;
  private final String recordedBatchDir;
  private final String tokenizerName;
  private final String tokenizerVersion;
  private final int vocabSize;
  private final int eot;
  private final long sourceVersion;
  private final String runId;
  private final Map<String, String> hadoopConf;

  /**
   * @param batchDir where the shards are written (the lake's full path)
   * @param recordedBatchDir the same folder as the manifest records it: relative to the lake root
   */
  WriteShards(String dataset, String batchDir, String recordedBatchDir, String tokenizerName, String tokenizerVersion, int vocabSize, int eot, long sourceVersion,
              String runId, Map<String, String> hadoopConf) {
    this.dataset = dataset;
    this.batchDir = batchDir;
    this.recordedBatchDir = recordedBatchDir;
    this.tokenizerName = tokenizerName;
    this.tokenizerVersion = tokenizerVersion;
    this.vocabSize = vocabSize;
    this.eot = eot;
    this.sourceVersion = sourceVersion;
    this.runId = runId;
    this.hadoopConf = hadoopConf;
  }

  /** The batch folder as the manifest records it, relative to the lake root: {@code gold/shards/<dataset>/<run_id>}. */
  static String batchDir(String dataset, String runId) {
    return "gold/shards/" + dataset + "/" + runId;
  }

  /**
   * Writes a batch's shards under {@link #batchDir} (one Spark task per shard) and returns their
   * manifest rows ({@link #MANIFEST}), collected on the driver.
   *
   * @param copies the input this function expects, laid out by {@link AssignShards#copies}
   * @param sourceVersion the {@code silver/clean} version the batch read
   */
  static List<Row> write(Dataset<Row> copies, Lake lake, String dataset, String runId, ResolvedTokenizer tok, long sourceVersion) {
    SparkSession spark = copies.sparkSession();
    String recordedBatchDir = batchDir(dataset, runId);
    Map<String, String> hadoopConf = new HashMap<>();
    for (Map.Entry<String, String> e : spark.sparkContext().hadoopConfiguration()) hadoopConf.put(e.getKey(), e.getValue());
    // Qualified here, on the driver: executors run in working directories of their own (a
    // standalone worker's work/app-*/N/), where a relative lake root such as ./lake means another folder.
    String batchDir = dev.sieve.core.spark.DeltaTables.qualified(spark, lake.resolve(recordedBatchDir));
    spark.sparkContext().setJobDescription("sieve tokenize: write shards");
    return copies.mapPartitions(new WriteShards(dataset, batchDir, recordedBatchDir, tok.name(), tok.version(),
            tok.vocabSize(), tok.eot(), sourceVersion, runId, hadoopConf), ExpressionEncoder.apply(MANIFEST))
        .collectAsList();
  }

  /** Shard path without extension: {@code <batchDir>/<split>/part-00007}. */
  static String shardPrefix(String batchDir, String split, int shard) {
    return batchDir + "/" + split + "/" + String.format("part-%05d", shard);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) throws IOException {
    List<Row> out = new ArrayList<>();
    Path tmp = Files.createTempDirectory("sieve-shards-");
    try {
      String split = null;
      int shard = -1;
      IndexedDatasetWriter w = null;
      ShardDocs.Writer docs = null;
      Map<String, Long> bySource = new TreeMap<>();
      Map<String, Long> byLanguage = new TreeMap<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        if (w == null || !r.getString(0).equals(split) || r.getInt(1) != shard) {
          if (w != null) out.add(finish(w, docs, split, shard, bySource, byLanguage));
          split = r.getString(0);
          shard = r.getInt(1);
          bySource = new TreeMap<>();
          byLanguage = new TreeMap<>();
          w = IndexedDatasetWriter.open(tmp.resolve(split + "-" + shard), vocabSize, eot);
          docs = new ShardDocs.Writer(tmp.resolve(split + "-" + shard));
        }
        byte[] b = r.getAs(5);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int[] ids = new int[b.length / 4 - 1];
        boolean[] trained = new boolean[ids.length];
        for (int i = 0; i < ids.length; i++) {
          int v = buf.getInt();
          ids[i] = v & ~TokenizeDocs.UNTRAINED;
          trained[i] = v >= 0;
        }
        // A conversation's end-of-text carries the flag: its tokens go with their mask.
        w.addDocument(ids, buf.getInt() < 0 ? trained : null);
        String source = r.isNullAt(3) ? ShardDocs.UNKNOWN : r.getString(3);
        String language = r.isNullAt(4) ? ShardDocs.UNKNOWN : r.getString(4);
        docs.add(source, language);
        bySource.merge(source, ids.length + 1L, Long::sum);
        byLanguage.merge(language, ids.length + 1L, Long::sum);
      }
      if (w != null) out.add(finish(w, docs, split, shard, bySource, byLanguage));
      return out.iterator();
    } finally {
      try (var walk = Files.walk(tmp)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
  }

  private Row finish(IndexedDatasetWriter w, ShardDocs.Writer docs, String split, int shard, Map<String, Long> bySource,
      Map<String, Long> byLanguage) throws IOException {
    IndexedDatasetWriter.Summary s = w.finish();
    docs.close();
    String prefix = shardPrefix(batchDir, split, shard);
    Configuration conf = new Configuration(false);
    hadoopConf.forEach(conf::set);
    try {
      org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(prefix + ".bin");
      FileSystem fs = target.getFileSystem(conf);
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(s.bin().toUri()), target);
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(s.idx().toUri()), new org.apache.hadoop.fs.Path(prefix + ".idx"));
      if (s.mask() != null) {
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(s.mask().toUri()), new org.apache.hadoop.fs.Path(prefix + ".mask"));
        Files.deleteIfExists(s.mask());
      }
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(docs.path().toUri()), new org.apache.hadoop.fs.Path(prefix + ShardDocs.SUFFIX));
      Files.deleteIfExists(docs.path());
      Files.deleteIfExists(s.bin());
      Files.deleteIfExists(s.idx());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy shard to " + prefix, e);
    }
    return RowFactory.create(dataset, split, shard, shardPrefix(recordedBatchDir, split, shard), s.documents(), s.documents(), s.tokens(), s.binBytes(), s.idxBytes(), s.binSha256(),
        s.idxSha256(), s.dtype().name().toLowerCase(java.util.Locale.ROOT), tokenizerName, tokenizerVersion,
        scala.jdk.javaapi.CollectionConverters.asScala(bySource), scala.jdk.javaapi.CollectionConverters.asScala(byLanguage), sourceVersion,
        runId, new Timestamp(System.currentTimeMillis()));
  }
}
