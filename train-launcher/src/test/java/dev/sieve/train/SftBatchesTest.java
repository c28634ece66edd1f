package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Masked SFT: the loss, and so every gradient, comes from response tokens only. */
class SftBatchesTest {
  @TempDir Path tmp;

  @Test
  void promptTokensGetNoLossAndNoGradient() throws IOException {
    Trainer.configureEngine();
    String tok = TrainFixtures.tokenizer(tmp.resolve("tok"));
    Path jsonl = tmp.resolve("sft.jsonl");
    Files.writeString(jsonl, "{\"prompt\": \"what does the cat want? \", \"response\": \"the cat wants the ball.\"}\n"
        + "{\"prompt\": \"what does a dog see near the river? \", \"response\": \"some water.\"}\n");
    try (TokenizerAdapter t = Tokenizers.open(tok); NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      int[] promptLen = {t.encode("what does the cat want? ").length, t.encode("what does a dog see near the river? ").length};
      int[] responseLen = {t.encode("the cat wants the ball.").length, t.encode("some water.").length};
      int seq = Math.max(promptLen[0] + responseLen[0], promptLen[1] + responseLen[1]) + 3; // room for end-of-text and padding
      SftBatches b = new SftBatches(jsonl, "prompt", "response", t, seq, 1);
      Batches.Batch batch = b.inOrder(0, 2);
      for (int r = 0; r < 2; r++) {
        float[] mask = batch.lossMask()[r];
        for (int i = 0; i < seq; i++) {
          // Input position i predicts token i + 1: counted for the response and its end-of-text only.
          boolean response = i + 1 >= promptLen[r] && i + 1 <= promptLen[r] + responseLen[r];
          assertEquals(response ? 1f : 0f, mask[i], "row " + r + " position " + i);
        }
        assertEquals(t.eotId(), batch.tokens()[r][promptLen[r] + responseLen[r]]);
      }
      // The gradient of the masked loss with respect to the logits is zero at every prompt position.
      NextTokenLoss lossFn = new NextTokenLoss(seq);
      NextTokenLoss.Tokens tk = lossFn.tokens(m, batch);
      Engine.getInstance().setRandomSeed(3);
      NDArray logits = m.randomNormal(new Shape(2, seq, t.vocabSize()));
      logits.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(lossFn.mean(m, logits, tk, batch.lossMask()).loss());
      }
      float[] g = logits.getGradient().abs().sum(new int[] {2}).toFloatArray(); // (2, seq)
      for (int r = 0; r < 2; r++) {
        for (int i = 0; i < seq; i++) {
          float mass = g[r * seq + i];
          if (batch.lossMask()[r][i] == 0f) assertEquals(0f, mass, "row " + r + " position " + i + " (prompt or padding)");
          else assertTrue(mass > 0, "row " + r + " position " + i + " (response)");
        }
      }
    }
  }

  @Test
  void aChatLineTrainsOnItsLastAssistantMessage() throws IOException {
    String tok = TrainFixtures.tokenizer(tmp.resolve("tok"));
    Path chat = tmp.resolve("chat.jsonl");
    Path pairs = tmp.resolve("pairs.jsonl");
    Files.writeString(chat, "{\"messages\": [{\"role\": \"system\", \"content\": \"be short\"}, {\"role\": \"user\", \"content\": \"what does the cat want?\"},"
        + " {\"role\": \"assistant\", \"content\": \"the ball.\"}]}\n");
    Files.writeString(pairs, "{\"prompt\": \"system: be short\\nuser: what does the cat want?\\nassistant: \", \"response\": \"the ball.\"}\n");
    try (TokenizerAdapter t = Tokenizers.open(tok)) {
      Batches.Batch a = new SftBatches(chat, "prompt", "response", t, 40, 1).inOrder(0, 1);
      Batches.Batch b = new SftBatches(pairs, "prompt", "response", t, 40, 1).inOrder(0, 1);
      assertEquals(java.util.Arrays.toString(b.tokens()[0]), java.util.Arrays.toString(a.tokens()[0]));
      assertEquals(java.util.Arrays.toString(b.lossMask()[0]), java.util.Arrays.toString(a.lossMask()[0]));
      Files.writeString(chat, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n");
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> new SftBatches(chat, "prompt", "response", t, 40, 1));
      assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    }
  }
}
