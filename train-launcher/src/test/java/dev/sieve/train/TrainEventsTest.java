package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainEventsTest {
  @Test
  void linesCarryTheirKeysInOrder(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("metrics.jsonl");
    try (TrainEvents e = new TrainEvents(new MetricsLog(f, 0), "cpu()")) {
      e.start(0, 1234, 300, 40, 256, null);
      e.initialValidation(0, 5.5);
      e.step(1, 5.0, 0.001, 0.7, 1000.0, 256, 0, Double.NaN);
      e.step(2, 4.5, 0.002, 0.6, 1000.0, 512, 1, 4.25);
      e.checkpoint(2, "checkpoints/step-2");
      e.rollback(3, Double.NaN, 4.75, "checkpoints/step-2", new SpikeGuard.Rollback(2, 5, 0.5, 1));
      e.giveUp(3, 99.0, 4.75, 1);
      e.done(2, 512);
      assertEquals(8, e.lines());
    }
    List<String> lines = Files.readAllLines(f);
    assertEquals("{\"event\":\"start\",\"step\":0,\"parameters\":1234,\"vocab_size\":300,\"total_steps\":40,\"tokens_per_step\":256,\"device\":\"cpu()\"}", lines.get(0));
    assertEquals("{\"step\":0,\"val_loss\":5.5,\"device\":\"cpu()\"}", lines.get(1));
    assertEquals("{\"step\":1,\"loss\":5.0,\"lr\":0.001,\"grad_norm\":0.7,\"tokens_per_s\":1000.0,\"tokens\":256,\"batch\":0,\"device\":\"cpu()\"}", lines.get(2));
    assertEquals("{\"step\":2,\"loss\":4.5,\"lr\":0.002,\"grad_norm\":0.6,\"tokens_per_s\":1000.0,\"tokens\":512,\"batch\":1,\"device\":\"cpu()\",\"val_loss\":4.25}", lines.get(3));
    assertEquals("{\"event\":\"checkpoint\",\"step\":2,\"path\":\"checkpoints/step-2\",\"device\":\"cpu()\"}", lines.get(4));
    assertEquals("{\"event\":\"rollback\",\"step\":3,\"loss\":\"NaN\",\"mean\":4.75,\"checkpoint\":\"checkpoints/step-2\",\"batch\":2,\"skip_from\":2,"
        + "\"skip_to\":5,\"lr_scale\":0.5,\"rollbacks\":1,\"device\":\"cpu()\"}", lines.get(5));
    assertEquals("{\"event\":\"give_up\",\"step\":3,\"loss\":99.0,\"mean\":4.75,\"rollbacks\":1,\"device\":\"cpu()\"}", lines.get(6));
    assertEquals("{\"event\":\"done\",\"step\":2,\"tokens\":512,\"device\":\"cpu()\"}", lines.get(7));
    Map<String, Object> start = MetricsLog.read(f).get(0);
    assertFalse(start.containsKey("init_from"));
  }

  @Test
  void aMissingLogIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new TrainEvents(null, "cpu()"));
  }
}
