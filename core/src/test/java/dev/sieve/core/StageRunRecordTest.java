package dev.sieve.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger: in = out + Σ dropped by reason, or one line naming the numbers. */
class StageRunRecordTest {
  @Test
  void ledgerReconcilesOrNamesTheGap() {
    StageRunRecord r = new StageRunRecord("filter", "f1", "{}", "h", Instant.EPOCH);
    r.addCountIn(100);
    r.addCountOut(70);
    r.addDropped("rejected_c4", 20);
    r.addDropped("rejected_gopher_quality", 10);
    assertNull(r.ledgerMismatch());
    assertEquals(Map.of("rejected_c4", 20L, "rejected_gopher_quality", 10L), r.dropped());
    assertEquals(20L, r.counts().get("rejected_c4"), "a drop is also a count of its name");

    r.addCountIn(5);
    assertEquals("filter run f1 does not reconcile: 105 documents in, 70 out + 30 dropped {rejected_c4=20, rejected_gopher_quality=10} = 100"
        + " (5 unaccounted for)", r.ledgerMismatch());
    assertThrows(IllegalArgumentException.class, () -> r.addDropped("x", -1));
  }
}
