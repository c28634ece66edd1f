package dev.sieve.core.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code spark:} config section: where Spark runs when {@code spark-submit} does not say.
 *
 * <pre>
 * spark:
 *   master: local[*]          # used only when no master comes from spark-submit
 *   app_name: sieve
 *   conf:                     # any Spark or Delta setting
 *     spark.sql.shuffle.partitions: "64"
 * </pre>
 */
public final class SparkSettings implements ConfigSection {
  /** Master used when neither spark-submit nor the config names one: all local cores. */
  public static final String DEFAULT_MASTER = "local[*]";
  /** Application name shown in the Spark UI and history server. */
  public static final String DEFAULT_APP_NAME = "sieve";

  /** Spark master URL; {@code null} means spark-submit's, else {@link #DEFAULT_MASTER}. */
  public String master;
  public String appName = DEFAULT_APP_NAME;
  /** Extra Spark configuration, applied to the session builder as-is. */
  public Map<String, String> conf = new TreeMap<>();

  @Override
  public void validate(String prefix) {
    if (appName == null || appName.isBlank()) {
      throw new ConfigException("bad value for '" + prefix + ".app_name': must not be empty");
    }
    if (conf == null) conf = new TreeMap<>();
    for (String k : conf.keySet()) {
      if (!k.startsWith("spark.")) {
        throw new ConfigException("bad key '" + prefix + ".conf." + k + "': Spark settings start with 'spark.'");
      }
    }
  }
}
