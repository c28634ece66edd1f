package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.sieve.core.config.ConfigException;
import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPO ({@link DpoLoss}) on a tiny pretrained model and a toy preference task ({@link
 * TrainFixtures#preferenceJsonl}: the chosen answer copies the question's subject, the rejected one
 * names another): the first step's loss is exactly {@code log 2}, the held-out margin rises, bad
 * lines are counted, LoRA works, resume repeats the losses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DpoTest {
  @TempDir static Path tmp;
  String tok;
  Path base;
  Path prefs;
  Path heldOut;

  @BeforeAll
  void pretrain() throws IOException {
    Trainer.configureEngine();
    tok = TrainFixtures.tokenizer(tmp.resolve("tok"));
    Path train = tmp.resolve("shards/train");
    Path valid = tmp.resolve("shards/valid");
    TrainFixtures.shard(train, tok, 1, 400);
    TrainFixtures.shard(valid, tok, 2, 60);
    Path run = tmp.resolve("runs/base");
    TrainerTest.train(TrainFixtures.spec(tok, train, valid, 200, "checkpoint_interval: 200\neval_interval: 0\n"), run);
    base = run.resolve("checkpoints/step-200");
    prefs = TrainFixtures.preferenceJsonl(tmp.resolve("prefs.jsonl"), 256, 11);
    // Two bad lines: counted and reported, not silently dropped.
    Files.writeString(prefs, "{\"prompt\": \"what does the cat want? \", \"chosen\": \"the cat wants the ball.\"}\nnot json\n"
        + Files.readString(prefs));
    heldOut = TrainFixtures.preferenceJsonl(tmp.resolve("held-out.jsonl"), 64, 12);
  }

  String spec(double lr, long steps, String extra) {
    return "tokenizer: " + tok + "\n"
        + "model: {layers: 2, width: 64, heads: 4, context_length: 32, vocab_size: 0, dropout: 0.0}\n"
        + "optimizer: {peak_lr: " + lr + ", min_lr: " + lr / 10 + ", warmup_steps: 5, weight_decay: 0.0}\n"
        + "dpo: {data: " + prefs + ", validation: " + heldOut + ", beta: 0.1}\n"
        + "init_from: " + base + "\n"
        + "batch_size: 8\nmax_steps: " + steps + "\nseed: 7\ndevice: cpu\neval_batches: 8\n" + extra;
  }

  /** Mean {@code log π(y_w|x) - log π(y_l|x)} (nats) over the held-out pairs under {@code model}. */
  double heldOutMargin(GptModel model) {
    NextTokenLoss lossFn = new NextTokenLoss(32);
    DpoSpec fields = new DpoSpec();
    NDManager root = model.getParameters().get(0).getValue().getArray().getManager();
    double sum = 0;
    int pairs;
    try (TokenizerAdapter t = Tokenizers.open(tok)) {
      PreferenceBatches b = new PreferenceBatches(heldOut, fields, t, 32, 1);
      pairs = b.size();
      try (NDManager m = root.newSubManager()) {
        Batches.Batch batch = b.inOrder(0, pairs);
        NextTokenLoss.Tokens tk = lossFn.tokens(m, batch);
        NDArray logits = model.forward(new StepStore(m, DataType.FLOAT32), new NDList(tk.inputs()), false).head();
        float[] lp = lossFn.sequenceLogProbs(m, logits, tk, batch.lossMask()).toFloatArray();
        for (int i = 0; i < pairs; i++) sum += lp[i] - lp[pairs + i];
      }
    }
    return sum / pairs;
  }

  double heldOutMargin(Path ck) {
    try (NDManager root = NDManager.newBaseManager(ai.djl.Device.cpu());
        TokenizerAdapter t = Tokenizers.open(tok)) {
      GptModel m = new GptModel(2, 64, 4, 32, t.vocabSize(), 0f);
      m.init(root);
      ModelState.loadAll(m, ck);
      return heldOutMargin(m);
    }
  }

  static void assertFirstStepIsTheReference(Path run) {
    Map<String, Object> first = TrainerTest.stepLines(run).get(0);
    assertEquals((float) Math.log(2), ((Number) first.get("loss")).floatValue(), "policy == reference: -log σ(0)");
    assertEquals(0.0, ((Number) first.get("reward_margin")).doubleValue());
    assertEquals(0.0, ((Number) first.get("chosen_reward")).doubleValue());
    assertEquals(0.0, ((Number) first.get("rejected_reward")).doubleValue());
    assertEquals(0.5, ((Number) first.get("reward_accuracy")).doubleValue(), "every pair a tie");
  }

  @Test
  @Order(1)
  void dpoRaisesTheHeldOutMarginFromExactlyLogTwo() throws IOException {
    String baseHash = Adapters.sha256(base.resolve("params.bin"));
    Path run = tmp.resolve("runs/dpo");
    Trainer.Result r = TrainerTest.train(spec(1e-3, 60, "checkpoint_interval: 60\neval_interval: 60\n"), run);
    assertEquals(60, r.steps());
    assertEquals(0, r.rollbacks(), "no spike in 60 steps (the guard's window of 50 is full from step 51 on)");
    List<Map<String, Object>> lines = MetricsLog.read(run.resolve("metrics.jsonl"));
    Map<String, Object> p = lines.stream().filter(l -> "preferences".equals(l.get("event"))).findFirst().orElseThrow();
    assertEquals(256, ((Number) p.get("pairs")).intValue());
    assertEquals(2, ((Number) p.get("bad_lines")).intValue());
    assertEquals(List.of("line 1: needs a string field 'rejected'", "line 2: not JSON"), p.get("problems"));
    assertEquals(64, ((Number) p.get("held_out_pairs")).intValue());
    assertFirstStepIsTheReference(run);
    double val0 = ((Number) lines.stream().filter(l -> l.containsKey("val_loss")).findFirst().orElseThrow().get("val_loss")).doubleValue();
    assertEquals(Math.log(2), val0, 1e-6, "held-out DPO loss before training");
    Map<String, Object> last = TrainerTest.stepLines(run).get(59);
    double before = heldOutMargin(base);
    double after = heldOutMargin(run.resolve("checkpoints/step-60"));
    System.out.printf("dpo: held-out log-prob margin (chosen - rejected) %.3f -> %.3f nats; held-out DPO loss %.4f -> %.4f; "
        + "last step: loss %.4f, reward margin %.3f, accuracy %.3f, chosen %.3f, rejected %.3f%n", before, after, val0, r.lastValLoss(),
        r.lastLoss(), ((Number) last.get("reward_margin")).doubleValue(), ((Number) last.get("reward_accuracy")).doubleValue(),
        ((Number) last.get("chosen_reward")).doubleValue(), ((Number) last.get("rejected_reward")).doubleValue());
    assertTrue(after > before + 20, "held-out margin " + before + " -> " + after);
    assertTrue(r.lastValLoss() < 0.5 * Math.log(2), "held-out DPO loss " + r.lastValLoss());
    assertEquals(baseHash, Adapters.sha256(base.resolve("params.bin")), "the reference checkpoint is never written");
    assertEquals(Checkpoints.readTensors(base.resolve("params.bin")).size(),
        Checkpoints.readTensors(run.resolve("checkpoints/step-60/params.bin")).size(), "the policy only, no reference");
  }

  @Test
  @Order(2)
  void loraDpoUsesTheBaseWithAdaptersOffAsReferenceAndResumes() throws IOException {
    String yaml = spec(3e-2, 30, "checkpoint_interval: 15\neval_interval: 0\npeft: {method: lora, rank: 2, targets: [q, v]}\n");
    Path run = tmp.resolve("runs/dpo-lora");
    TrainerTest.train(yaml, run);
    assertFirstStepIsTheReference(run);
    Map<Long, Double> straight = TrainerTest.lossByStep(run);
    double lastFive = straight.entrySet().stream().filter(e -> e.getKey() > 25).mapToDouble(Map.Entry::getValue).average().orElseThrow();
    System.out.printf("dpo lora: loss %.4f at step 1, mean %.4f over steps 26-30%n", straight.get(1L), lastFive);
    assertTrue(lastFive < 0.8 * Math.log(2), "lora dpo loss " + straight);
    assertEquals(8, Checkpoints.readTensors(run.resolve("checkpoints/step-30/params.bin")).size(), "adapters only");
    Checkpoints.deleteTree(run.resolve("checkpoints/step-30"));
    TrainerTest.train(yaml, run);
    Map<Long, Double> resumed = TrainerTest.lossByStep(run);
    for (long s = 1; s <= 30; s++) assertEquals(straight.get(s), resumed.get(s), 1e-6, "loss at step " + s);

    // A corrupted batch (logits ×1000) spikes the DPO loss: rolled back to step 15, then the run finishes.
    Path spiked = tmp.resolve("runs/dpo-lora-spike");
    Trainer.Result r = TrainerTest.train(yaml + "spike: {factor: 3.0, window: 5, skip_batches: 3, max_rollbacks: 2}\ndebug: {corrupt_batch_at: 20}\n", spiked);
    assertEquals(30, r.steps());
    assertEquals(1, r.rollbacks());
    Map<String, Object> rb = MetricsLog.read(spiked.resolve("metrics.jsonl")).stream().filter(l -> "rollback".equals(l.get("event"))).findFirst().orElseThrow();
    assertEquals("checkpoints/step-15", rb.get("checkpoint"));
  }

  @Test
  void pairsAreChosenRowsThenRejectedRowsMaskedOnTheirResponses() throws IOException {
    Path f = tmp.resolve("pairs.jsonl");
    Files.writeString(f, "{\"prompt\": \"what does a dog want? \", \"chosen\": \"a dog wants the ball.\", \"rejected\": \"the cat wants the ball.\"}\n"
        + "\n{\"prompt\": \"x\", \"chosen\": \"same\", \"rejected\": \"same\"}\n{\"prompt\": 1, \"chosen\": \"a\", \"rejected\": \"b\"}\n");
    try (TokenizerAdapter t = Tokenizers.open(tok)) {
      PreferenceBatches b = new PreferenceBatches(f, new DpoSpec(), t, 32, 1);
      assertEquals(1, b.size());
      assertEquals(2, b.badLines());
      assertEquals(List.of("line 3: 'chosen' and 'rejected' are the same", "line 4: needs a string field 'prompt'"), b.problems());
      Batches.Batch batch = b.inOrder(0, 2); // 2 pairs (the one pair twice): rows chosen, chosen, rejected, rejected
      assertEquals(4, batch.tokens().length);
      int[] p = t.encode("what does a dog want? ");
      for (int row = 0; row < 4; row++) {
        SftBatches.Example want = SftBatches.example(p, t.encode(row < 2 ? "a dog wants the ball." : "the cat wants the ball."), t.eotId(), 32);
        assertEquals(java.util.Arrays.toString(want.tokens()), java.util.Arrays.toString(batch.tokens()[row]), "row " + row);
        assertEquals(java.util.Arrays.toString(want.mask()), java.util.Arrays.toString(batch.lossMask()[row]), "row " + row);
        for (int i = 0; i + 1 < p.length; i++) assertEquals(0f, batch.lossMask()[row][i], "prompt label " + (i + 1) + " is never counted");
      }
    }
  }

  @Test
  void softplusIsMinusLogSigmoidOfMinusZWithoutOverflow() {
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      float[] z = {-1000f, -2f, 0f, 2f, 1000f};
      float[] got = DpoLoss.softplus(m.create(z)).toFloatArray();
      for (int i = 0; i < z.length; i++) {
        double want = z[i] > 30 ? z[i] : Math.log1p(Math.exp(z[i]));
        assertEquals(want, got[i], 1e-6 * Math.max(1, Math.abs(want)), "z = " + z[i]);
      }
      assertEquals((float) Math.log(2), got[2]);
    }
  }

  @Test
  void badSpecValuesNameTheirKey() {
    String ok = "max_steps: 1\ninit_from: /x\ndpo: {data: p.jsonl}\n";
    assertNotNull(JobSpec.parse(ok).dpo);
    assertEquals(DpoSpec.DEFAULT_BETA, JobSpec.parse(ok).dpo.beta);
    assertMessage("bad value for 'dpo.beta'", "max_steps: 1\ninit_from: /x\ndpo: {data: p.jsonl, beta: 0}\n");
    assertMessage("missing 'init_from'", "max_steps: 1\ndpo: {data: p.jsonl}\n");
    assertMessage("missing 'dpo.data'", "max_steps: 1\ninit_from: /x\ndpo: {beta: 0.1}\n");
    assertMessage("bad value for 'dpo.chosen_field'", "max_steps: 1\ninit_from: /x\ndpo: {data: p.jsonl, chosen_field: ''}\n");
    assertMessage("bad value for 'dpo'", "max_steps: 1\ninit_from: /x\ndpo: {data: p.jsonl}\nsft: {path: s.jsonl}\n");
    assertMessage("bad value for 'peft.method'", "max_steps: 1\ninit_from: /x\ndpo: {data: p.jsonl}\npeft: {method: prompt, virtual_tokens: 4}\n");
    assertMessage("unknown key 'dpo.gamma'", "max_steps: 1\ninit_from: /x\ndpo: {data: p.jsonl, gamma: 1}\n");
  }

  static void assertMessage(String start, String yaml) {
    ConfigException e = assertThrows(ConfigException.class, () -> JobSpec.parse(yaml));
    assertTrue(e.getMessage().startsWith(start), e.getMessage());
  }
}
