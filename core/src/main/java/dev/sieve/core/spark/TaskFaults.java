package dev.sieve.core.spark;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;

/**
 * A test-only fault hook for cluster tests: fails a Spark task at a named site when the Spark conf
 * key {@value #CONF} says so, to show that a task lost on one executor is retried on another and
 * the tables still come out exact. Off by default (the key is unset): then {@link #maybeFail} only
 * reads one conf value.
 *
 * <p>The value is {@code site:partition}, e.g. {@code ingest:0}: the first attempt of partition 0
 * at site {@code ingest} throws, on whichever executor it runs; later attempts run normally. With
 * {@code spark.excludeOnFailure.enabled=true} the retry must go to another executor
 * ({@code StandaloneClusterIT}). Sites: {@code ingest} (the start of reading one input split, before
 * any record is read or counted).
 */
public final class TaskFaults {
  /** The Spark conf key that arms the hook. */
  public static final String CONF = "spark.sieve.test.failTask";

  private TaskFaults() {}

  /**
   * Throws {@link IllegalStateException} when running inside a Spark task that {@value #CONF}
   * names for {@code site}; otherwise does nothing.
   */
  public static void maybeFail(String site) {
    TaskContext task = TaskContext.get();
    SparkEnv env = SparkEnv.get();
    if (task == null || env == null) return;
    String spec = env.conf().get(CONF, "");
    if (spec.isEmpty()) return;
    String[] p = spec.split(":");
    if (p.length == 2 && p[0].equals(site) && p[1].equals(Integer.toString(task.partitionId())) && task.attemptNumber() == 0) {
      throw new IllegalStateException("injected fault (" + CONF + "=" + spec + ") in task " + task.taskAttemptId()
          + " on executor " + env.executorId());
    }
  }
}
