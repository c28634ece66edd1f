package dev.sieve.ingest.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.util.AccumulatorV2;

/**
 * An {@link IngestTally} built on the executors while they read and write, one record at a time
 * ({@link IngestTally#add(Row)}), and merged on the driver. Used in the job that writes the
 * documents (an action), so Spark merges each task's tally exactly once: a failed or speculative
 * attempt's tally is dropped with the files it wrote.
 */
final class TallyAccumulator extends AccumulatorV2<Row, IngestTally> {
  private static final long serialVersionUID = 1L;
  private IngestTally tally = new IngestTally();

  @Override
  public boolean isZero() {
    return tally.perFile.isEmpty() && tally.framedByFile.isEmpty();
  }

  @Override
  public AccumulatorV2<Row, IngestTally> copy() {
    TallyAccumulator c = new TallyAccumulator();
    c.tally.merge(tally);
    return c;
  }

  @Override
  public void reset() {
    tally = new IngestTally();
  }

  @Override
  public void add(Row record) {
    tally.add(record);
  }

  @Override
  public void merge(AccumulatorV2<Row, IngestTally> other) {
    tally.merge(other.value());
  }

  @Override
  public IngestTally value() {
    return tally;
  }
}
