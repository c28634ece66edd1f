package dev.sieve.core.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.Lake;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One writer per lake: the file {@code _sieve/lake.lock}, created with an exclusive create
 * ({@code FileSystem.create(path, overwrite=false)}), so that two stage runs on the same lake at
 * the same time cannot interleave their commits. The second run stops at once with a
 * {@link LakeBusyException} naming the holder (run id, stage, host, pid, start time).
 *
 * <p>The holder touches the file's modification time every {@link #HEARTBEAT_MS} ms. A lock whose
 * holder died is broken, not waited on forever: when its holder ran on this host and its process
 * is gone, or when its heartbeat is older than {@link #STALE_MS} ms (a holder on another host that
 * stopped touching it). An empty or half-written lock file (its writer was killed while creating
 * it) is broken once it is {@link #TORN_MS} ms old.
 *
 * <p>Re-entrant within one JVM: {@code sieve pipeline} runs its stages one after another, each
 * taking the lock again while the pipeline holds it. On object stores without an exclusive create
 * (S3 before conditional writes) the check is best-effort: schedule one writer per lake there.
 */
public final class LakeLock implements AutoCloseable {
  /** The lock file, relative to the lake root. */
  public static final String FILE = "_sieve/lake.lock";
  /** How often the holder touches the lock file (milliseconds). */
  public static final long HEARTBEAT_MS = 10_000;
  /** A lock not touched for this long (milliseconds) belongs to a dead holder and is broken. */
  public static final long STALE_MS = 6 * HEARTBEAT_MS;
  /**
   * An empty or unparseable lock file older than this (milliseconds) is torn: its writer died
   * between the exclusive create and the close that writes the holder (kill -9 in that window). A
   * live writer fills the file within milliseconds, so a younger torn file is re-read until then.
   */
  public static final long TORN_MS = 5_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Key marking a holder read from an empty or unparseable lock file. */
  private static final String TORN = "torn";
  /** Locks this JVM holds, by lock path, with their hold count (re-entrancy). */
  private static final Map<String, LakeLock> HELD = new HashMap<>();

  private final FileSystem fs;
  private final Path path;
  private final Map<String, Object> owner;
  private final ScheduledExecutorService heartbeat;
  private int holds = 1;

  private LakeLock(FileSystem fs, Path path, Map<String, Object> owner) {
    this.fs = fs;
    this.path = path;
    this.owner = owner;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sieve-lake-lock-heartbeat");
      t.setDaemon(true);
      return t;
    });
    heartbeat.scheduleAtFixedRate(this::touch, HEARTBEAT_MS, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lake's lock for a stage run.
   *
   * @throws LakeBusyException when another live run holds it
   * @throws UncheckedIOException when the lake's filesystem cannot be reached
   */
  public static LakeLock acquire(Configuration hadoopConf, Lake lake, String stage, String runId) {
    Path path = new Path(lake.path(FILE));
    String key = path.toString();
    synchronized (HELD) {
      LakeLock held = HELD.get(key);
      if (held != null) {
        held.holds++;
        return held;
      }
      try {
        FileSystem fs = path.getFileSystem(hadoopConf);
        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("run_id", runId);
        owner.put("stage", stage);
        owner.put("host", hostName());
        owner.put("pid", ProcessHandle.current().pid());
        owner.put("started_at", Instant.now().toString());
        boolean brokeOne = false; // break at most one stale lock: a second one means another run is racing us
        while (true) {
          if (tryCreate(fs, path, owner)) {
            LakeLock lock = new LakeLock(fs, path, owner);
            HELD.put(key, lock);
            return lock;
          }
          Map<String, Object> holder = readHolder(fs, path);
          if (holder == null) continue; // released between our create and our read: try again
          if (holder.containsKey(TORN)) {
            long wait = TORN_MS - ageMs(fs, path);
            if (wait > 0) { // perhaps a live writer between its create and its close: read it again
              sleep(Math.min(wait, 100));
              continue;
            }
          }
          String stale = staleness(fs, path, holder);
          if (stale == null || brokeOne) throw new LakeBusyException(lake.root(), holder);
          // Delete only the stale holder's file: a run that broke it first and took the lock stays.
          Map<String, Object> again = readHolder(fs, path);
          if (again != null && !sameHolder(holder, again)) throw new LakeBusyException(lake.root(), again);
          System.err.println("sieve: breaking the lake lock of run " + holder.get("run_id") + " (" + stale + ")");
          fs.delete(path, false);
          brokeOne = true;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot take the lake lock " + path, e);
      }
    }
  }

  /** The run that holds this lock. */
  public Map<String, Object> owner() { return Map.copyOf(owner); }

  @Override
  public void close() {
    synchronized (HELD) {
      if (--holds > 0) return;
      HELD.remove(path.toString());
      heartbeat.shutdownNow();
      try {
        Map<String, Object> holder = readHolder(fs, path);
        if (holder != null && sameHolder(owner, holder)) {
          fs.delete(path, false);
        }
      } catch (IOException e) {
        System.err.println("sieve: could not release the lake lock " + path + ": " + e.getMessage());
      }
    }
  }

  private static boolean sameHolder(Map<String, Object> a, Map<String, Object> b) {
    return String.valueOf(a.get("run_id")).equals(String.valueOf(b.get("run_id")))
        && String.valueOf(a.get("started_at")).equals(String.valueOf(b.get("started_at")))
        && String.valueOf(a.get("pid")).equals(String.valueOf(b.get("pid")));
  }

  private void touch() {
    try {
      fs.setTimes(path, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      // Best effort: a missed beat only makes the lock look older.
    }
  }

  private static boolean tryCreate(FileSystem fs, Path path, Map<String, Object> owner) throws IOException {
    try (OutputStream out = fs.create(path, false)) {
      out.write(JSON.writeValueAsBytes(owner));
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (fs.exists(path)) return false;
      throw e;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readHolder(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length == 0) return Map.of("run_id", "(unknown: empty lock file)", "host", "?", "started_at", "?", TORN, true);
      try {
        return JSON.readValue(bytes, Map.class);
      } catch (IOException e) {
        return Map.of("run_id", "(unreadable lock file: " + new String(bytes, 0, Math.min(80, bytes.length), StandardCharsets.UTF_8) + ")",
            "host", "?", "started_at", "?", TORN, true);
      }
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  /** Why the holder is dead, or null when it may be alive. */
  private static String staleness(FileSystem fs, Path path, Map<String, Object> holder) throws IOException {
    Object pid = holder.get("pid");
    if (hostName().equals(holder.get("host")) && pid instanceof Number n && ProcessHandle.of(n.longValue()).map(p -> !p.isAlive()).orElse(true)) {
      return "its process " + n + " on this host is gone";
    }
    long age = ageMs(fs, path);
    if (age < 0) return "it was released";
    if (holder.containsKey(TORN)) {
      return age >= TORN_MS ? "its lock file is empty or torn, " + age / 1000 + " s old: its writer died creating it" : null;
    }
    return age > STALE_MS ? "no heartbeat for " + age / 1000 + " s" : null;
  }

  /** Milliseconds since the lock file was last touched, or -1 when it is gone. */
  private static long ageMs(FileSystem fs, Path path) throws IOException {
    try {
      FileStatus st = fs.getFileStatus(path);
      return Math.max(0, System.currentTimeMillis() - st.getModificationTime());
    } catch (java.io.FileNotFoundException e) {
      return -1;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the lake lock", e);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  /** Another live run holds the lake: the one-line message names it. Exit code 1. */
  public static final class LakeBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LakeBusyException(String lake, Map<String, Object> holder) {
      super("lake " + lake + " is busy: run " + holder.get("run_id") + " (stage " + holder.getOrDefault("stage", "?") + ") holds it, on host "
          + holder.get("host") + " (pid " + holder.getOrDefault("pid", "?") + ") since " + holder.get("started_at")
          + "; wait for it (a holder that died is detected by the next run: at once on this host, after " + STALE_MS / 1000
          + " s without a heartbeat from another; remove " + FILE + " by hand only to skip that wait)");
    }
  }
}
