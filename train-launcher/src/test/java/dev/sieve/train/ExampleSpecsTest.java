package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The job specs under {@code train-launcher/examples} that the README tells users to submit parse
 * and pass the spec's checks, and say what the README says they do (method, sizes, steps).
 */
class ExampleSpecsTest {
  private static JobSpec example(String name) {
    return JobSpec.load(Path.of("examples", name));
  }

  @Test
  void loraDemoTrainsRank4AdaptersOnTheChatFile() {
    JobSpec s = example("lora-demo.yaml");
    assertEquals("lora", s.peft.method);
    assertEquals(4, s.peft.rank);
    assertEquals("runs/demo", s.initFrom);
    assertNotNull(s.sft);
    assertEquals(300L, s.maxSteps);
  }

  @Test
  void promptDemoTrainsEightVirtualTokensForFortySteps() {
    JobSpec s = example("prompt-demo.yaml");
    assertEquals("prompt", s.peft.method);
    assertEquals(8, s.peft.virtualTokens);
    assertEquals(64 - 8, s.seqLength(), "the sequence gives up the virtual tokens' positions");
    assertEquals(40L, s.maxSteps);
    assertNull(s.dpo);
  }

  @Test
  void dpoDemoStartsFromTheDemoModel() {
    JobSpec s = example("dpo-demo.yaml");
    assertNotNull(s.dpo);
    assertEquals("runs/demo", s.initFrom);
    assertNull(s.peft);
  }
}
