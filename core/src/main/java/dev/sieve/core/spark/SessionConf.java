package dev.sieve.core.spark;

import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark session setting changed for the span of one operation (a write, a cache build) and put
 * back as it was afterwards, unset when it was unset: the Delta table-property defaults a table is
 * created with, Parquet's per-column writer options, the columnar cache's compression.
 */
public final class SessionConf {
  private SessionConf() {}

  /** Runs {@code body} with the session's {@code key} set to {@code value}, then restores it. */
  public static <T> T with(SparkSession spark, String key, String value, Supplier<T> body) {
    String was = spark.conf().get(key, null);
    spark.conf().set(key, value);
    try {
      return body.get();
    } finally {
      if (was == null) spark.conf().unset(key);
      else spark.conf().set(key, was);
    }
  }
}
