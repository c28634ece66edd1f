package dev.sieve.core.spark;

import dev.sieve.core.Lake;
import org.apache.hadoop.conf.Configuration;

/**
 * A separate JVM that takes a lake's lock as run {@code args[1]} and holds it until killed: the
 * "other run" of the concurrency tests. Prints {@code HELD} once it holds the lock.
 */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws InterruptedException {
    LakeLock lock = LakeLock.acquire(new Configuration(), new Lake(args[0]), "ingest", args[1]);
    System.out.println("HELD " + lock.owner().get("pid"));
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  /** Starts a holder JVM on {@code lake} and waits until it holds the lock. */
  public static Process start(String lake, String runId) throws java.io.IOException {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), lake, runId)
        .redirectErrorStream(true).start();
    var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line; (line = in.readLine()) != null; ) {
      if (line.startsWith("HELD")) return p;
      seen.append(line).append('\n');
    }
    throw new IllegalStateException("lock holder exited without taking the lock:\n" + seen);
  }
}
