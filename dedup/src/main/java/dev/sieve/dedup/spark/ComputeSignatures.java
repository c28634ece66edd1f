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

  /** Input: {@code doc_id, text, quality_score, fetch_time}, read by name (any order, other columns ignored). */
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
      /** Field positions, resolved by name from the first row's schema. */
      private int docId = -1, text, quality, fetchTime;

      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        Row r = rows.next();
        if (docId < 0) {
          text = r.fieldIndex("text");
          quality = r.fieldIndex("quality_score");
          fetchTime = r.fieldIndex("fetch_time");
          docId = r.fieldIndex("doc_id");
        }
        String body = r.getString(text);
        int[] sig = settings.near ? hasher.signature(shingler.shingles(body)) : null;
        long[] keys = sig == null ? null : lsh.bandKeys(sig);
        done.add(1);
        return RowFactory.create(r.getString(docId), ExactKey.of(body), sig == null ? null : MinHasher.toBytes(sig), keys,
            r.isNullAt(quality) ? null : r.getDouble(quality), body.length(), r.get(fetchTime));
      }
    };
  }
}
