package dev.sieve.core.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session of a test JVM ({@code local[2]}, UI off, small shuffles), shared
 * by every Spark test in the module and by the modules that depend on core's test jar.
 */
public final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2]")
          .appName("sieve-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.ui.showConsoleProgress", "false")
          .config("spark.sql.shuffle.partitions", "2")
          // Test inputs are tens of rows: compiling whole-stage code and re-planning adaptively cost
          // more than they save (CI time, issue 15). Production keeps Spark's defaults; the CI demo
          // and the cluster ITs run them.
          .config("spark.sql.codegen.wholeStage", "false")
          .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
          .config("spark.sql.adaptive.enabled", "false")
          .config("spark.default.parallelism", "2")
          .config("spark.databricks.delta.snapshotPartitions", "1")
          .config("spark.sql.extensions", SparkSessions.DELTA_EXTENSION)
          .config("spark.sql.catalog.spark_catalog", SparkSessions.DELTA_CATALOG)
          .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/sieve-test-warehouse")
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }
}
