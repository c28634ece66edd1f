package dev.sieve.dedup.spark;

import dev.sieve.dedup.DedupSettings;
import dev.sieve.dedup.ExactKey;
import dev.sieve.dedup.LshParams;
import dev.sieve.dedup.MinHasher;
import dev.sieve.dedup.Shingler;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * Executor side of the signature phase: for each document its exact key, MinHash signature and
 * LSH band keys, with the attributes the keep policy needs. These rows are what the band index
 * ({@code silver/minhash_index}) stores, so old documents are never re-read or re-hashed.
 */
final class ComputeSignatures implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** Input: {@code doc_id, text, quality_score, fetch_time}. */
  static final StructType OUTPUT = new StructType()
      .add("doc_id", DataTypes.StringType, false)
      .add("exact_hash", DataTypes.StringType, false)
      .add("signature", DataTypes.BinaryType, true)
      .add("band_keys", DataTypes.createArrayType(DataTypes.LongType, false), true)
      .add("quality_score", DataTypes.DoubleType, true)
      .add("length", DataTypes.IntegerType, false)
      .add("fetch_time", DataTypes.TimestampType, true);

  private final DedupSettings settings;
  private final LshParams lsh;
  private final LongAccumulator done;

  ComputeSignatures(DedupSettings settings, LshParams lsh, LongAccumulator done) {
    this.settings = settings;
    this.lsh = lsh;
    this.done = done;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    Shingler shingler = new Shingler(settings.wordNgram, settings.cjkNgram);
    MinHasher hasher = new MinHasher(settings.numPerm, settings.seed);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row r = rows.next();
        String text = r.getString(1);
        int[] sig = settings.near ? hasher.signature(shingler.shingles(text)) : null;
        Object keys = null;
        if (sig != null) {
          long[] k = lsh.bandKeys(sig);
          Long[] boxed = new Long[k.length];
          for (int i = 0; i < k.length; i++) boxed[i] = k[i];
          keys = scala.jdk.javaapi.CollectionConverters.asScala(java.util.Arrays.asList(boxed)).toSeq();
        }
        done.add(1);
        return RowFactory.create(r.getString(0), ExactKey.of(text), sig == null ? null : MinHasher.toBytes(sig), keys,
            r.isNullAt(2) ? null : r.getDouble(2), text.length(), r.get(3));
      }
    };
  }
}
