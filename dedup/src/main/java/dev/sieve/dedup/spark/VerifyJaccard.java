package dev.sieve.dedup.spark;

import dev.sieve.core.spark.Partitions;
import dev.sieve.dedup.Jaccard;
import dev.sieve.dedup.Shingler;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Executor side of {@code verify: jaccard}: the true Jaccard similarity of each candidate pair's texts. */
final class VerifyJaccard implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** Input: {@code src, dst, src_text, dst_text}. */
  static final StructType OUTPUT = new StructType()
      .add("src", DataTypes.StringType, false)
      .add("dst", DataTypes.StringType, false)
      .add("similarity", DataTypes.DoubleType, false);

  private final int wordNgram;
  private final int cjkNgram;

  VerifyJaccard(int wordNgram, int cjkNgram) {
    this.wordNgram = wordNgram;
    this.cjkNgram = cjkNgram;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    Shingler shingler = new Shingler(wordNgram, cjkNgram);
    return Partitions.map(rows, r -> RowFactory.create(r.getString(0), r.getString(1),
        Jaccard.of(shingler.shingles(r.getString(2)), shingler.shingles(r.getString(3)))));
  }
}
