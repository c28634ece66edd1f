package dev.sieve.core.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PartitionsTest {
  @Test
  void mapsLazilyAndClosesOnceAtTheEnd() {
    AtomicInteger applied = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    Iterator<Integer> it = Partitions.map(List.of(1, 2, 3).iterator(), x -> {
      applied.incrementAndGet();
      return x * 10;
    }, closed::incrementAndGet);
    assertEquals(0, applied.get(), "nothing mapped before it is asked for");
    List<Integer> out = new ArrayList<>();
    while (it.hasNext()) {
      assertEquals(0, closed.get(), "open while rows remain");
      out.add(it.next());
    }
    assertEquals(List.of(10, 20, 30), out);
    assertFalse(it.hasNext());
    assertEquals(1, closed.get(), "closed exactly once");
    assertThrows(NoSuchElementException.class, it::next);
  }

  @Test
  void emptyPartitionClosesToo() {
    AtomicInteger closed = new AtomicInteger();
    assertFalse(Partitions.map(List.<Integer>of().iterator(), x -> x, closed::incrementAndGet).hasNext());
    assertEquals(1, closed.get());
    assertFalse(Partitions.map(List.<Integer>of().iterator(), x -> x).hasNext());
  }
}
