package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Precision: the spec's key, the CPU fallback, dynamic loss scaling, and the half-precision path run on the CPU. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrecisionTest {
  @TempDir static Path tmp;
  String tok;
  Path train;
  Path valid;

  @BeforeAll
  void data() throws IOException {
    TrainFixtures.Corpus corpus = TrainFixtures.Corpus.of(tmp, 100, 20);
    tok = corpus.tok();
    train = corpus.train();
    valid = corpus.valid();
  }

  String spec(String extra) {
    return "tokenizer: " + tok + "\n"
        + "model: {layers: 1, width: 32, heads: 2, context_length: 16, vocab_size: 0}\n"
        + "data: {shards: [" + train + "], validation: [" + valid + "]}\n"
        + "optimizer: {peak_lr: 3.0e-3, min_lr: 3.0e-4, warmup_steps: 2}\n"
        + "batch_size: 4\nmax_steps: 6\ncheckpoint_interval: 6\neval_interval: 0\nseed: 5\n" + extra;
  }

  Trainer.Result train(String yaml, Path run) {
    try (Trainer t = new Trainer(JobSpec.parse(yaml), run)) {
      return t.run();
    }
  }

  @Test
  void computeTypeIsHalfOnAGpuOnlyAndFp32OnTheCpu() {
    GptModel.Style llama = GptModel.Style.LLAMA;
    assertEquals(DataType.FLOAT32, Trainer.computeType("bf16", true, llama), "DJL 0.36 cannot make bf16 tensors");
    assertEquals(DataType.FLOAT16, Trainer.computeType("fp16", true, llama));
    assertEquals(DataType.FLOAT32, Trainer.computeType("fp16", true, GptModel.Style.GPT2), "DJL's attention block is fp32-only");
    assertEquals(DataType.FLOAT32, Trainer.computeType("fp32", true, llama));
    for (String p : JobSpec.PRECISIONS) assertEquals(DataType.FLOAT32, Trainer.computeType(p, false, llama));
  }

  @Test
  void aBadPrecisionIsOneLineNamingTheKeyAndExitCodeTwo() throws IOException {
    Path specFile = tmp.resolve("bad.yaml");
    Files.writeString(specFile, spec("precision: fp8\ndevice: cpu\n"));
    Path run = tmp.resolve("runs/bad");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.err;
    System.setErr(new java.io.PrintStream(err, true));
    int code;
    try {
      code = TrainMain.run(new String[] {"--spec", specFile.toString(), "--run-dir", run.toString()});
    } finally {
      System.setErr(old);
    }
    assertEquals(2, code);
    String msg = err.toString().strip();
    assertEquals(1, msg.lines().count(), msg);
    assertTrue(msg.startsWith("bad value for 'precision': fp8"), msg);
    Map<?, ?> exit = new ObjectMapper().readValue(run.resolve("exit.json").toFile(), Map.class);
    assertEquals(2, exit.get("exit_code"));
  }

  @Test
  void bf16OnACpuRunFallsBackToFp32AndSaysSo() {
    // device auto on a machine without a GPU: the run goes on, in fp32, and its start event says so.
    Path run = tmp.resolve("runs/fallback");
    Trainer.Result r = train(spec("precision: bf16\ndevice: auto\n"), run);
    assertEquals(6, r.steps());
    Map<String, Object> start = MetricsLog.read(run.resolve("metrics.jsonl")).get(0);
    assertEquals("start", start.get("event"));
    assertEquals(ai.djl.engine.Engine.getInstance().getGpuCount() > 0 ? "bf16" : "fp32", start.get("precision"));
  }

  @Test
  void fp16TrainsOnTheCpuCloseToFp32WithMasterWeightsAndLossScaling() {
    // fp16 compute with fp32 master weights and dynamic loss scaling, forced onto the CPU through the
    // debug hook (PyTorch's CPU kernels take fp16, slowly). bf16 and a gpt2 model stay fp32.
    String llama = "vocab_size: 0, block: llama}";
    Trainer.Result fp32 = train(spec("device: cpu\n").replace("vocab_size: 0}", llama), tmp.resolve("runs/fp32"));
    Trainer.Result fp16 = train(spec("precision: fp16\ndevice: cpu\ndebug: {half_on_cpu: true}\n").replace("vocab_size: 0}", llama),
        tmp.resolve("runs/fp16"));
    Trainer.Result bf16 = train(spec("precision: bf16\ndevice: cpu\ndebug: {half_on_cpu: true}\n").replace("vocab_size: 0}", llama),
        tmp.resolve("runs/bf16"));
    Trainer.Result gpt2 = train(spec("precision: fp16\ndevice: cpu\ndebug: {half_on_cpu: true}\n"), tmp.resolve("runs/gpt2-fp16"));
    assertEquals("fp16", MetricsLog.read(tmp.resolve("runs/fp16/metrics.jsonl")).get(0).get("precision"));
    assertEquals("fp32", MetricsLog.read(tmp.resolve("runs/bf16/metrics.jsonl")).get(0).get("precision"));
    assertEquals("fp32", MetricsLog.read(tmp.resolve("runs/gpt2-fp16/metrics.jsonl")).get(0).get("precision"));
    assertEquals(fp32.lastLoss(), bf16.lastLoss(), 0.0, "bf16 falls back to fp32: the same losses");
    assertTrue(Double.isFinite(gpt2.lastLoss()));
    assertTrue(Double.isFinite(fp16.lastLoss()), "loss " + fp16.lastLoss());
    assertEquals(((Number) MetricsLog.read(tmp.resolve("runs/fp32/metrics.jsonl")).stream().filter(l -> l.get("loss") != null).findFirst()
        .orElseThrow().get("loss")).doubleValue(), ((Number) MetricsLog.read(tmp.resolve("runs/fp16/metrics.jsonl")).stream()
        .filter(l -> l.get("loss") != null).findFirst().orElseThrow().get("loss")).doubleValue(), 1e-3, "the same first loss in fp16 as in fp32");
    // Known answer: at 2^16 this model's fp16 gradients overflow, so the first steps are skipped and
    // halve the scale (PyTorch's GradScaler does the same) until they fit; then every step applies.
    TrainState st = Checkpoints.readState(tmp.resolve("runs/fp16/checkpoints/step-6"));
    List<Map<String, Object>> steps = MetricsLog.read(tmp.resolve("runs/fp16/metrics.jsonl")).stream()
        .filter(l -> l.get("loss") != null && l.get("event") == null).toList();
    long skipped = steps.stream().filter(l -> !(l.get("grad_norm") instanceof Number)).count();
    assertEquals(st.overflowSteps, skipped, "a skipped step logs no gradient norm");
    assertTrue(skipped >= 1 && skipped <= 5, "skipped " + skipped);
    assertEquals(LossScaler.INITIAL_SCALE / Math.pow(2, skipped), st.lossScale);
    assertEquals(6 - skipped, st.lossScaleGoodSteps);
    // The first applied step sees about the gradient of the untrained model, as fp32's first step did.
    double fp32Norm = ((Number) MetricsLog.read(tmp.resolve("runs/fp32/metrics.jsonl")).stream()
        .filter(l -> l.get("grad_norm") instanceof Number).findFirst().orElseThrow().get("grad_norm")).doubleValue();
    double fp16Norm = ((Number) steps.get((int) skipped).get("grad_norm")).doubleValue();
    assertEquals(fp32Norm, fp16Norm, 0.1 * fp32Norm, "fp16 gradients (unscaled) match fp32's");
    assertTrue(fp16.lastLoss() < ((Number) steps.get(0).get("loss")).doubleValue(), "the applied fp16 updates lower the loss");
    assertEquals(fp32.lastLoss() > 0, true);
  }

  @Test
  void lossScalerHalvesOnOverflowAndDoublesAfterTheGrowthInterval() {
    LossScaler s = new LossScaler(LossScaler.INITIAL_SCALE, 0);
    assertFalse(s.update(false), "an overflowed step is not applied");
    assertEquals(32768.0, s.scale());
    assertEquals(0, s.goodSteps());
    for (int i = 0; i < LossScaler.GROWTH_INTERVAL - 1; i++) assertTrue(s.update(true));
    assertEquals(32768.0, s.scale());
    assertEquals(LossScaler.GROWTH_INTERVAL - 1, s.goodSteps());
    assertTrue(s.update(true));
    assertEquals(65536.0, s.scale(), "doubled after 2000 good steps in a row");
    assertEquals(0, s.goodSteps());
    s.update(true);
    s.update(false);
    assertEquals(32768.0, s.scale());
    assertEquals(0, s.goodSteps(), "an overflow restarts the run of good steps");
  }
}
