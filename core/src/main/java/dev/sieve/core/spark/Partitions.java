package dev.sieve.core.spark;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The one way a stage's {@code mapPartitions} function walks its partition: each row mapped
 * lazily, one at a time (a partition never sits in memory), and the per-partition resource the
 * function opened (a tokenizer, a fastText model) closed once the last row has been handed out.
 * Spark-free itself; it lives here because only Spark wiring needs it.
 */
public final class Partitions {
  private Partitions() {}

  /** {@link #map(Iterator, Function, AutoCloseable)} with nothing to close. */
  public static <A, B> Iterator<B> map(Iterator<A> rows, Function<? super A, ? extends B> f) {
    return map(rows, f, null);
  }

  /**
   * Rows of {@code rows} mapped through {@code f}, lazily.
   *
   * @param onExhausted closed once, when {@code hasNext()} first answers false; {@code null}: nothing
   *     to close. A checked exception from {@code close()} is rethrown unchecked.
   */
  public static <A, B> Iterator<B> map(Iterator<A> rows, Function<? super A, ? extends B> f, AutoCloseable onExhausted) {
    return new Iterator<>() {
      private boolean closed = onExhausted == null;

      @Override
      public boolean hasNext() {
        boolean more = rows.hasNext();
        if (!more && !closed) {
          closed = true;
          try {
            onExhausted.close();
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new IllegalStateException("cannot close " + onExhausted, e);
          }
        }
        return more;
      }

      @Override
      public B next() {
        if (!rows.hasNext()) throw new NoSuchElementException();
        return f.apply(rows.next());
      }
    };
  }
}
