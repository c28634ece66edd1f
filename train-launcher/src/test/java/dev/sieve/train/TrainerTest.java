package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainerTest {
  @TempDir static Path tmp;
  String tok;
  Path train;
  Path valid;
  Path pretrainedRun;

  @BeforeAll
  void data() throws IOException {
    TrainFixtures.Corpus corpus = TrainFixtures.Corpus.of(tmp, 400, 60);
    tok = corpus.tok();
    train = corpus.train();
    valid = corpus.valid();
  }

  static Trainer.Result train(String yaml, Path runDir) throws IOException {
    Files.createDirectories(runDir);
    Path spec = runDir.resolveSibling(runDir.getFileName() + ".yaml");
    Files.writeString(spec, yaml);
    try (Trainer t = new Trainer(JobSpec.load(spec), runDir)) {
      return t.run();
    }
  }

  static List<Map<String, Object>> stepLines(Path runDir) {
    return MetricsLog.read(runDir.resolve("metrics.jsonl")).stream()
        .filter(l -> !l.containsKey("event") && l.containsKey("loss")).collect(Collectors.toList());
  }

  /** Loss per step, the last line for a step winning (a rollback repeats steps). */
  static Map<Long, Double> lossByStep(Path runDir) {
    Map<Long, Double> out = new LinkedHashMap<>();
    for (Map<String, Object> l : stepLines(runDir)) out.put(((Number) l.get("step")).longValue(), ((Number) l.get("loss")).doubleValue());
    return out;
  }

  @Test
  @Order(1)
  void tinyModelLearnsBelowUnigramEntropy() throws IOException {
    double h = TrainFixtures.unigramEntropy(valid);
    Path run = tmp.resolve("runs/learn");
    long t0 = System.nanoTime();
    Trainer.Result r = train(TrainFixtures.spec(tok, train, valid, 300,
        "checkpoint_interval: 100\neval_interval: 100\neval_batches: 8\n"), run);
    double secs = (System.nanoTime() - t0) / 1e9;
    List<Map<String, Object>> all = MetricsLog.read(run.resolve("metrics.jsonl"));
    Map<String, Object> start = all.get(0);
    assertEquals("start", start.get("event"));
    long params = ((Number) start.get("parameters")).longValue();
    double initialVal = ((Number) all.get(1).get("val_loss")).doubleValue();
    double tps = stepLines(run).stream().skip(10).mapToDouble(l -> ((Number) l.get("tokens_per_s")).doubleValue()).average().orElseThrow();
    System.out.printf("learn: %d params, unigram entropy %.4f nats, val loss %.4f at step 0 -> %.4f at step %d, train loss %.4f, "
        + "%.0f tokens/s on %s, %.1f s wall%n", params, h, initialVal, r.lastValLoss(), r.steps(), r.lastLoss(), tps,
        stepLines(run).get(0).get("device"), secs);
    assertTrue(params > 100_000 && params < 1_000_000, "params " + params);
    assertEquals(300, r.steps());
    assertTrue(r.lastValLoss() < 0.6 * h, "validation loss " + r.lastValLoss() + " should be well below the unigram entropy " + h);
    assertTrue(initialVal > h, "an untrained model is worse than unigram: " + initialVal);
    assertTrue(Files.isDirectory(run.resolve("checkpoints/step-300")));
    assertEquals(List.of("step-0", "step-100", "step-200", "step-300"),
        Checkpoints.list(run).stream().map(p -> p.getFileName().toString()).collect(Collectors.toList()));
    for (Map<String, Object> l : stepLines(run)) {
      assertEquals("cpu()", l.get("device"));
      assertNotNull(l.get("lr"));
      assertNotNull(l.get("grad_norm"));
    }
    pretrainedRun = run;
  }

  @Test
  @Order(2)
  void resumeAfterKillNineMatchesAnUninterruptedRun() throws Exception {
    String extra = "checkpoint_interval: 10\neval_interval: 0\n";
    Path straight = tmp.resolve("runs/straight");
    train(TrainFixtures.spec(tok, train, valid, 40, extra), straight);
    Map<Long, Double> expected = lossByStep(straight);
    assertEquals(40, expected.size());

    Path killed = tmp.resolve("runs/killed");
    Files.createDirectories(killed);
    Path spec = tmp.resolve("runs/killed.yaml");
    Files.writeString(spec, TrainFixtures.spec(tok, train, valid, 40, extra + "debug: {step_sleep_ms: 150}\n"));
    LocalLauncher.Handle h = LocalLauncher.launch(spec, killed);
    assertTrue(Files.isRegularFile(killed.resolve("launch.json")));
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!Files.isDirectory(killed.resolve("checkpoints/step-10")) && System.nanoTime() < deadline) {
      assertTrue(h.alive(), "training process died: " + h.logs(40));
      Thread.sleep(20);
    }
    assertEquals(LocalLauncher.Status.RUNNING, h.status());
    new ProcessBuilder("kill", "-9", Long.toString(h.pid())).start().waitFor();
    assertTrue(h.waitFor(Duration.ofSeconds(30)));
    assertEquals(LocalLauncher.Status.FAILED, h.status(), "killed: no exit file");
    assertFalse(Files.exists(killed.resolve("exit.json")));
    long stepsBeforeKill = stepLines(killed).size();
    assertTrue(stepsBeforeKill >= 10 && stepsBeforeKill < 40, "killed after " + stepsBeforeKill + " steps");

    LocalLauncher.Handle again = LocalLauncher.launch(spec, killed);
    assertTrue(again.waitFor(Duration.ofSeconds(180)), "relaunched run did not finish");
    assertEquals(LocalLauncher.Status.SUCCEEDED, again.status(), again.logs(40));
    assertTrue(again.logs(5).contains("done"), again.logs(5));
    List<Map<String, Object>> lines = MetricsLog.read(killed.resolve("metrics.jsonl"));
    Map<String, Object> resume = lines.stream().filter(l -> "resume".equals(l.get("event"))).findFirst().orElseThrow();
    long resumedAt = ((Number) resume.get("step")).longValue();
    assertTrue(resumedAt >= 10 && resumedAt < 40, "resumed at " + resumedAt);
    Map<Long, Double> got = lossByStep(killed);
    assertEquals(expected.keySet(), got.keySet());
    // Each step appears once: lines after the checkpoint were cut before resuming.
    assertEquals(40, stepLines(killed).size());
    for (long s = 1; s <= 40; s++) {
      assertEquals(expected.get(s), got.get(s), 1e-6, "loss at step " + s + " (resumed at " + resumedAt + ")");
    }
    long bitwise = expected.keySet().stream().filter(s -> expected.get(s).equals(got.get(s))).count();
    System.out.printf("resume: killed after %d steps, resumed from step %d, %d/40 losses bitwise equal%n", stepsBeforeKill, resumedAt, bitwise);
  }

  @Test
  @Order(3)
  void injectedSpikeRollsBackSkipsAndContinues() throws IOException {
    Path run = tmp.resolve("runs/spike");
    Trainer.Result r = train(TrainFixtures.spec(tok, train, valid, 40,
        "checkpoint_interval: 10\neval_interval: 0\nspike: {factor: 3.0, window: 5, skip_batches: 3, lr_scale: 0.5, max_rollbacks: 2}\n"
            + "debug: {corrupt_batch_at: 25}\n"), run);
    assertEquals(40, r.steps());
    assertEquals(1, r.rollbacks());
    List<Map<String, Object>> lines = MetricsLog.read(run.resolve("metrics.jsonl"));
    List<Map<String, Object>> rollbacks = lines.stream().filter(l -> "rollback".equals(l.get("event"))).collect(Collectors.toList());
    assertEquals(1, rollbacks.size());
    Map<String, Object> rb = rollbacks.get(0);
    System.out.println("spike: " + rb);
    assertEquals(26, ((Number) rb.get("step")).intValue()); // batch 25 is step 26's
    assertEquals("checkpoints/step-20", rb.get("checkpoint"));
    assertEquals(25, ((Number) rb.get("skip_from")).intValue());
    assertEquals(28, ((Number) rb.get("skip_to")).intValue());
    assertTrue(((Number) rb.get("loss")).doubleValue() > 3 * ((Number) rb.get("mean")).doubleValue());
    // After the rollback: steps 21.. are redone, batches 25, 26, 27 never used, lr halved.
    int at = lines.indexOf(rb);
    List<Map<String, Object>> after = lines.subList(at + 1, lines.size()).stream()
        .filter(l -> !l.containsKey("event") && l.containsKey("loss")).collect(Collectors.toList());
    assertEquals(21, ((Number) after.get(0).get("step")).intValue());
    assertEquals(20, after.size());
    for (Map<String, Object> l : after) {
      long b = ((Number) l.get("batch")).longValue();
      assertFalse(b >= 25 && b < 28, "batch " + b + " should have been skipped");
      assertTrue(Double.isFinite(((Number) l.get("loss")).doubleValue()));
    }
    assertEquals(24, ((Number) after.get(4).get("batch")).intValue()); // step 25 takes batch 24
    assertEquals(28, ((Number) after.get(5).get("batch")).intValue()); // step 26 skips 25..27
    double lrBefore = ((Number) stepLines(run).stream().filter(l -> ((Number) l.get("step")).intValue() == 21).findFirst().orElseThrow().get("lr")).doubleValue();
    double lrAfter = ((Number) after.get(0).get("lr")).doubleValue();
    assertEquals(lrBefore * 0.5, lrAfter, 1e-12);
    assertEquals("done", lines.get(lines.size() - 1).get("event"));
  }

  @Test
  @Order(4)
  void spikesBeyondMaxRollbacksGiveUp() throws IOException {
    Path run = tmp.resolve("runs/giveup");
    Files.createDirectories(run);
    Path spec = tmp.resolve("runs/giveup.yaml");
    Files.writeString(spec, TrainFixtures.spec(tok, train, valid, 30,
        "checkpoint_interval: 10\neval_interval: 0\nspike: {window: 5, skip_batches: 0, max_rollbacks: 1}\ndebug: {corrupt_batch_at: 12}\n"));
    assertEquals(1, TrainMain.run(new String[] {"--spec", spec.toString(), "--run-dir", run.toString()}));
    List<Map<String, Object>> lines = MetricsLog.read(run.resolve("metrics.jsonl"));
    assertEquals(1, lines.stream().filter(l -> "rollback".equals(l.get("event"))).count());
    assertEquals("give_up", lines.get(lines.size() - 1).get("event"));
    assertTrue(Files.readString(run.resolve("exit.json")).contains("\"failed\""));
  }

  @Test
  @Order(5)
  void sftFromACheckpointLowersTheLossOnItsSet() throws IOException {
    assertNotNull(pretrainedRun, "needs the pretraining test's run");
    Path jsonl = tmp.resolve("sft.jsonl");
    StringBuilder sb = new StringBuilder();
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    for (int i = 0; i < 64; i++) {
      String s = TrainFixtures.SUBJECTS[r.nextInt(TrainFixtures.SUBJECTS.length)];
      String o = TrainFixtures.OBJECTS[r.nextInt(TrainFixtures.OBJECTS.length)];
      // The answer repeats the question's object in reverse word order: unseen in pretraining.
      String[] w = o.split(" ");
      StringBuilder rev = new StringBuilder();
      for (int k = w.length - 1; k >= 0; k--) rev.append(k == w.length - 1 ? "" : " ").append(w[k]);
      sb.append(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of(
          "question", "what does " + s + " want? ", "answer", "it wants " + rev + "."))).append('\n');
    }
    Files.writeString(jsonl, sb.toString());
    Path run = tmp.resolve("runs/sft");
    String yaml = "tokenizer: " + tok + "\n"
        + "model: {layers: 2, width: 64, heads: 4, context_length: 32, vocab_size: 0, dropout: 0.0}\n"
        + "optimizer: {peak_lr: 1.0e-3, min_lr: 1.0e-4, warmup_steps: 5, weight_decay: 0.0}\n"
        + "sft: {path: " + jsonl + ", prompt_field: question, response_field: answer}\n"
        + "init_from: " + pretrainedRun + "\n"
        + "batch_size: 8\nmax_steps: 60\nseed: 7\ndevice: cpu\ncheckpoint_interval: 60\neval_interval: 60\neval_batches: 8\n";
    Trainer.Result res = train(yaml, run);
    List<Map<String, Object>> lines = MetricsLog.read(run.resolve("metrics.jsonl"));
    assertTrue(String.valueOf(lines.get(0).get("init_from")).endsWith("step-300"), String.valueOf(lines.get(0)));
    double before = ((Number) lines.get(1).get("val_loss")).doubleValue();
    System.out.printf("sft: response-token loss %.4f from the pretrained checkpoint -> %.4f after %d steps%n", before, res.lastValLoss(), res.steps());
    assertTrue(res.lastValLoss() < 0.5 * before, before + " -> " + res.lastValLoss());
  }

  @Test
  @Order(6)
  void gradientAccumulationMatchesOneLargeBatch() throws IOException {
    String common = "checkpoint_interval: 10\neval_interval: 0\n";
    Path big = tmp.resolve("runs/b8");
    train(TrainFixtures.spec(tok, train, valid, 3, common), big);
    Path acc = tmp.resolve("runs/b4x2");
    train(TrainFixtures.spec(tok, train, valid, 3, common).replace("batch_size: 8\n", "batch_size: 4\ngrad_accumulation: 2\n"), acc);
    Map<Long, Double> a = lossByStep(big);
    Map<Long, Double> b = lossByStep(acc);
    for (long s = 1; s <= 3; s++) assertEquals(a.get(s), b.get(s), 1e-4, "step " + s); // same samples, summed in another order
  }

  @Test
  @Order(7)
  void launcherCancelKillsTheRun() throws Exception {
    Path run = tmp.resolve("runs/cancel");
    Files.createDirectories(run);
    Path spec = tmp.resolve("runs/cancel.yaml");
    Files.writeString(spec, TrainFixtures.spec(tok, train, valid, 1000, "eval_interval: 0\ndebug: {step_sleep_ms: 1000}\n"));
    LocalLauncher.Handle h = LocalLauncher.launch(spec, run);
    assertEquals(LocalLauncher.Status.RUNNING, h.status());
    LocalLauncher.Handle attached = LocalLauncher.attach(run);
    assertEquals(h.pid(), attached.pid());
    attached.cancel();
    assertTrue(h.waitFor(Duration.ofSeconds(30)));
    assertFalse(h.alive());
    assertEquals(LocalLauncher.Status.FAILED, h.status());
  }
}
