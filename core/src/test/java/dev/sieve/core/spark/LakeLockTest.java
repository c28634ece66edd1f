package dev.sieve.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.Lake;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per lake: a second run is refused at once, naming the holder; a dead holder does not block forever. */
class LakeLockTest {
  private final Configuration conf = new Configuration();

  @Test
  void secondRunIsRefusedNamingTheHolderUntilTheHolderDies(@TempDir Path dir) throws Exception {
    Lake lake = new Lake(dir.toString());
    Process other = LockHolder.start(dir.toString(), "ingest-other-run");
    try {
      LakeLock.LakeBusyException e = assertThrows(LakeLock.LakeBusyException.class,
          () -> LakeLock.acquire(conf, lake, "ingest", "ingest-this-run"));
      String msg = e.getMessage();
      assertTrue(msg.contains("run ingest-other-run"), msg);
      assertTrue(msg.contains("(stage ingest)"), msg);
      assertTrue(msg.contains("pid " + other.pid()), msg);
      assertTrue(msg.contains("since 20"), msg);
      assertFalse(msg.contains("\n"), "one line: " + msg);
    } finally {
      other.destroyForcibly().waitFor();
    }
    // kill -9 left the file behind; its process is gone, so the next run breaks the lock.
    assertTrue(Files.exists(dir.resolve(LakeLock.FILE)));
    try (LakeLock lock = LakeLock.acquire(conf, lake, "ingest", "ingest-next-run")) {
      assertEquals("ingest-next-run", lock.owner().get("run_id"));
    }
    assertFalse(Files.exists(dir.resolve(LakeLock.FILE)), "released on close");
  }

  @Test
  void aHolderOnAnotherHostIsBrokenOnlyWhenItsHeartbeatStopped(@TempDir Path dir) throws Exception {
    Lake lake = new Lake(dir.toString());
    Path file = dir.resolve(LakeLock.FILE);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"run_id\":\"far-run\",\"stage\":\"dedup\",\"host\":\"elsewhere.example\",\"pid\":1,\"started_at\":\"2026-01-01T00:00:00Z\"}",
        StandardCharsets.UTF_8);
    // A fresh heartbeat: alive, whatever its age.
    assertThrows(LakeLock.LakeBusyException.class, () -> LakeLock.acquire(conf, lake, "dedup", "mine"));
    // No heartbeat for longer than STALE_MS: its holder is gone.
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - LakeLock.STALE_MS - 5_000));
    try (LakeLock lock = LakeLock.acquire(conf, lake, "dedup", "mine")) {
      assertTrue(Files.readString(file).contains("\"run_id\":\"mine\""));
    }
  }

  @Test
  void aLockFileLeftEmptyByAKilledWriterIsBrokenOnceItIsOlderThanTornMs(@TempDir Path dir) throws Exception {
    Lake lake = new Lake(dir.toString());
    Path file = dir.resolve(LakeLock.FILE);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[0]); // kill -9 between the exclusive create and the close that writes the holder
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - LakeLock.TORN_MS - 1_000));
    try (LakeLock lock = LakeLock.acquire(conf, lake, "pii", "pii-rerun")) {
      assertTrue(Files.readString(file).contains("\"run_id\":\"pii-rerun\""));
    }
    // Half a holder (cut mid-write) is torn too.
    Files.writeString(file, "{\"run_id\":\"dedup-20", StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - LakeLock.TORN_MS - 1_000));
    try (LakeLock lock = LakeLock.acquire(conf, lake, "pii", "pii-rerun-2")) {
      assertEquals("pii-rerun-2", lock.owner().get("run_id"));
    }
  }

  @Test
  void aFreshEmptyLockFileIsReadAgainUntilItsWriterFillsIt(@TempDir Path dir) throws Exception {
    Lake lake = new Lake(dir.toString());
    Path file = dir.resolve(LakeLock.FILE);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[0]); // a live writer between its create and its close
    Thread writer = new Thread(() -> {
      try {
        Thread.sleep(500);
        Files.writeString(file, "{\"run_id\":\"live-run\",\"stage\":\"filter\",\"host\":\"elsewhere.example\",\"pid\":1,"
            + "\"started_at\":\"2026-01-01T00:00:00Z\"}", StandardCharsets.UTF_8);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    writer.start();
    LakeLock.LakeBusyException e = assertThrows(LakeLock.LakeBusyException.class,
        () -> LakeLock.acquire(conf, lake, "pii", "pii-now"));
    writer.join();
    assertTrue(e.getMessage().contains("run live-run (stage filter)"), e.getMessage());
  }

  @Test
  void reentrantWithinOneJvm(@TempDir Path dir) {
    Lake lake = new Lake(dir.toString());
    try (LakeLock outer = LakeLock.acquire(conf, lake, "pipeline", "p1")) {
      try (LakeLock inner = LakeLock.acquire(conf, lake, "filter", "f1")) {
        assertSame(outer, inner);
      }
      assertTrue(Files.exists(dir.resolve(LakeLock.FILE)), "still held by the outer holder");
    }
    assertFalse(Files.exists(dir.resolve(LakeLock.FILE)));
  }
}
