package dev.sieve.core.spark;

import dev.sieve.core.config.SparkSettings;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one Spark session a Sieve command uses, with Delta Lake configured.
 *
 * <p>The master comes from {@code spark-submit} when there is one (it sets {@code spark.master}
 * as a system property before our {@code main} runs), else from the config's
 * {@code spark.master}, else {@code local[*]}: the same code runs embedded and on a cluster.
 */
public final class SparkSessions {
  /** Delta's SQL extension (MERGE INTO, DESCRIBE HISTORY, VERSION AS OF). */
  public static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  /** Delta's catalog, so that {@code delta.`path`} tables resolve. */
  public static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";

  /** Delta's partitions for rebuilding a snapshot's state; set to the core count on {@code local} masters. */
  public static final String DELTA_SNAPSHOT_PARTITIONS = "spark.databricks.delta.snapshotPartitions";

  private SparkSessions() {}

  /** The active session, or a new one built from {@code settings}. */
  public static synchronized SparkSession getOrCreate(SparkSettings settings) {
    SparkConf fromSubmit = new SparkConf(true);
    SparkSession.Builder b = SparkSession.builder().appName(settings.appName);
    boolean local;
    if (fromSubmit.contains("spark.master")) {
      local = fromSubmit.get("spark.master").startsWith("local");
    } else {
      String master = settings.master == null ? SparkSettings.DEFAULT_MASTER : settings.master;
      b.master(master);
      local = master.startsWith("local");
    }
    b.config("spark.sql.extensions", DELTA_EXTENSION);
    b.config("spark.sql.catalog.spark_catalog", DELTA_CATALOG);
    if (local) {
      // Embedded runs: no web UI to bind, and our own progress line instead of Spark's bars.
      b.config("spark.ui.enabled", "false");
      b.config("spark.ui.showConsoleProgress", "false");
      b.config("spark.sql.shuffle.partitions", String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors() * 2)));
      // Delta rebuilds a table's state (its live files) in 50 shuffle partitions by default: on one
      // machine that is 50 tasks per table read, most of a small query's time (sieve sql over the
      // demo lake: 7 jobs, 2 of them 4 s). One partition per core gives the same parallelism.
      if (!fromSubmit.contains(DELTA_SNAPSHOT_PARTITIONS)) b.config(DELTA_SNAPSHOT_PARTITIONS, String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors())));
    }
    for (Map.Entry<String, String> e : settings.conf.entrySet()) {
      b.config(e.getKey(), e.getValue());
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
