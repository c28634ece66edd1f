package dev.sieve.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  /** Waits until {@code buf} holds at least {@code lines} newline-ended lines (or 10 s). */
  private static void awaitLines(ByteArrayOutputStream buf, int lines) throws InterruptedException {
    for (int i = 0; i < 1000 && buf.toString(StandardCharsets.UTF_8).split("\n", -1).length - 1 < lines; i++) Thread.sleep(10);
  }

  @Test
  void intoALogEachChangedStatusIsOneWholeLineWithoutCarriageReturns() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    AtomicInteger n = new AtomicInteger();
    try (ProgressLine line = new ProgressLine(() -> "done " + n.get(), 5, new PrintStream(buf, true, StandardCharsets.UTF_8), false, 0)) {
      awaitLines(buf, 1);
      Thread.sleep(50); // the same status many times over: written once
      n.set(7);
      awaitLines(buf, 2);
      n.set(9);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertFalse(out.contains("\r"), out);
    List<String> lines = out.lines().toList();
    assertEquals("done 0", lines.get(0));
    assertEquals("done 7", lines.get(1));
    assertEquals("done 9", lines.get(lines.size() - 1), "the last status when closed");
    assertEquals(lines.stream().distinct().count(), lines.size(), "no status repeated: " + lines);
  }

  @Test
  void intoALogLinesAreSpacedByTheLogPeriod() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    AtomicInteger n = new AtomicInteger();
    try (ProgressLine line = new ProgressLine(() -> "done " + n.incrementAndGet(), 5, new PrintStream(buf, true, StandardCharsets.UTF_8), false, 60_000)) {
      Thread.sleep(100); // the status changes every 5 ms, but no line is due before a minute
    }
    assertEquals("", buf.toString(StandardCharsets.UTF_8), "nothing printed, nothing closed");
  }

  @Test
  void onATerminalOneLineIsRewrittenInPlace() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    AtomicInteger n = new AtomicInteger();
    try (ProgressLine line = new ProgressLine(() -> "done " + n.incrementAndGet(), 5, new PrintStream(buf, true, StandardCharsets.UTF_8), true, 0)) {
      for (int i = 0; i < 1000 && !buf.toString(StandardCharsets.UTF_8).contains("\r"); i++) Thread.sleep(10);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("\rdone "), out);
    assertTrue(out.endsWith("   \n"), out);
    assertEquals(1, out.chars().filter(c -> c == '\n').count(), out);
  }
}
