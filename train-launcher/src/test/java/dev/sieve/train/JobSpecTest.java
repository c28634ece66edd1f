package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class JobSpecTest {
  private static final String MIN = "data: {shards: [x/train]}\nmax_steps: 10\n";

  @Test
  void defaultsAndSnakeCaseKeys() {
    JobSpec s = JobSpec.parse(MIN + "model: {layers: 2, width: 64, heads: 4, context_length: 32, vocab_size: 300}\n"
        + "optimizer: {peak_lr: 1.0e-3, warmup_steps: 5}\nbatch_size: 4\ngrad_accumulation: 2\n"
        + "spike: {factor: 4, skip_batches: 7}\ndebug: {corrupt_batch_at: 3}\n");
    assertEquals(32, s.model.contextLength);
    assertEquals(32, s.seqLength());
    assertEquals(1.0e-3, s.optimizer.peakLr);
    assertEquals(4 * 2 * 32, s.tokensPerStep());
    assertEquals(4.0, s.spike.factor);
    assertEquals(7, s.spike.skipBatches);
    assertEquals(JobSpec.Spike.DEFAULT_WINDOW, s.spike.window);
    assertEquals(3, s.debug.corruptBatchAt);
    assertEquals("auto", s.device);
    assertEquals(10, s.totalSteps());
  }

  @Test
  void pathsAreRecordedLakeRelativeAndResolvedAgainstTheRunFoldersLake(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path lake = dir.resolve("lake");
    java.nio.file.Path runDir = lake.resolve("runs/r1");
    java.nio.file.Files.createDirectories(lake.resolve("gold/shards/web/b1/train"));
    java.nio.file.Files.writeString(lake.resolve("gold/shards/web/b1/train/part-00000.idx"), "");
    assertEquals(lake.toAbsolutePath(), JobSpec.lakeOf(runDir));
    assertEquals(null, JobSpec.lakeOf(dir.resolve("elsewhere/r1")));
    assertEquals("runs/r1/spec.yaml", JobSpec.recordedPath(runDir, runDir.resolve("spec.yaml")));
    assertEquals("/data/x.yaml", JobSpec.recordedPath(runDir, java.nio.file.Path.of("/data/x.yaml")));

    JobSpec s = JobSpec.parse("data: {shards: [" + lake.resolve("gold/shards/web/b1/train/part-00000") + ", gold/shards/web/b1/train/part-00000, s3a://b/x, /data/y]}\n"
        + "tokenizer: hf:" + lake.resolve("gold/tokenizers/web/tokenizer.json") + "\nmax_steps: 1\n");
    s.recordPaths(lake);
    assertEquals(java.util.List.of("gold/shards/web/b1/train/part-00000", "gold/shards/web/b1/train/part-00000", "s3a://b/x", "/data/y"), s.data.shards);
    assertEquals("hf:gold/tokenizers/web/tokenizer.json", s.tokenizer);

    // The lake moved: the recorded spec resolves against the run folder's new lake.
    java.nio.file.Path moved = dir.resolve("moved");
    java.nio.file.Files.move(lake, moved);
    JobSpec r = JobSpec.parse(s.toYaml()).resolvePaths(JobSpec.lakeOf(moved.resolve("runs/r1")));
    assertEquals(moved.toAbsolutePath().resolve("gold/shards/web/b1/train/part-00000").toString(), r.data.shards.get(0));
    assertEquals("s3a://b/x", r.data.shards.get(2));
    assertEquals("/data/y", r.data.shards.get(3), "absolute stays absolute");
    assertEquals("hf:" + moved.toAbsolutePath().resolve("gold/tokenizers/web/tokenizer.json"), r.tokenizer);
  }

  @Test
  void unknownKeysAreErrorsNamingTheKey() {
    ConfigException top = assertThrows(ConfigException.class, () -> JobSpec.parse(MIN + "batchsize: 4\n"));
    assertTrue(top.getMessage().contains("'batchsize'"), top.getMessage());
    ConfigException nested = assertThrows(ConfigException.class, () -> JobSpec.parse(MIN + "model: {widht: 64}\n"));
    assertTrue(nested.getMessage().contains("'model.widht'"), nested.getMessage());
    ConfigException spike = assertThrows(ConfigException.class, () -> JobSpec.parse(MIN + "spike: {k: 3}\n"));
    assertTrue(spike.getMessage().contains("'spike.k'"), spike.getMessage());
  }

  @Test
  void badValuesNameTheKey() {
    assertTrue(assertThrows(ConfigException.class, () -> JobSpec.parse(MIN + "model: {width: 30, heads: 4}\n")).getMessage().contains("model.heads"));
    assertTrue(assertThrows(ConfigException.class, () -> JobSpec.parse(MIN + "device: cpu\nprecision: bf16\n")).getMessage().contains("precision"));
    assertTrue(assertThrows(ConfigException.class, () -> JobSpec.parse("data: {shards: [x]}\n")).getMessage().contains("max_steps"));
    assertTrue(assertThrows(ConfigException.class, () -> JobSpec.parse(MIN + "batch_size: abc\n")).getMessage().contains("batch_size"));
    assertTrue(assertThrows(ConfigException.class, () -> JobSpec.parse(MIN + "precision: fp8\n")).getMessage().startsWith("bad value for 'precision': fp8"));
    assertTrue(assertThrows(ConfigException.class, () -> JobSpec.parse(MIN + "model: {block: mamba}\n")).getMessage()
        .startsWith("bad value for 'model.block': mamba (one of [gpt2, llama])"));
    // RoPE rotates channel pairs: an odd head dimension (width 36 / 4 heads = 9) is refused for llama, fine for gpt2.
    assertTrue(assertThrows(ConfigException.class, () -> JobSpec.parse(MIN + "model: {width: 36, heads: 4, block: llama}\n")).getMessage()
        .contains("model.heads"));
    assertEquals(GptModel.Style.GPT2, JobSpec.parse(MIN + "model: {width: 36, heads: 4}\n").model.style());
    assertEquals(GptModel.Style.LLAMA, JobSpec.parse(MIN + "model: {block: llama}\n").model.style());
    assertTrue(JobSpec.parse(MIN).toYaml().contains("block: \"gpt2\"") || JobSpec.parse(MIN).toYaml().contains("block: gpt2"),
        "the block style is written into a run's spec.yaml");
    JobSpec tokens = JobSpec.parse("data: {shards: [x], seq_length: 16}\nmodel: {context_length: 32}\nmax_tokens: 1000\nbatch_size: 2\n");
    assertEquals(32, tokens.totalSteps()); // ceil(1000 / (2 × 16))
  }

  @Test
  void trainPlanChinchillaNumbers() {
    assertEquals(20_000_000L, TrainPlan.optimalTokens(1_000_000));
    assertEquals(6.0 * 1e6 * 2e7, TrainPlan.flops(1_000_000, 20_000_000), 1.0);
    assertEquals(1_000_000L, TrainPlan.optimalParameters(1.2e14)); // C = 6 · 1e6 · 2e7
    TrainPlan.Plan p = TrainPlan.forParameters(1_000_000, 5_000_000);
    assertEquals(15_000_000L, p.shortfall());
    assertTrue(TrainPlan.forBudget(1.2e14, 30_000_000).enough());
    // Chinchilla itself: 70B parameters, 1.4T tokens, ≈ 5.9e23 FLOPs.
    assertEquals(1.4e12, TrainPlan.optimalTokens(70_000_000_000L), 1e6);
    assertEquals(5.88e23, TrainPlan.flops(70_000_000_000L, 1_400_000_000_000L), 1e21);
    JobSpec.Model m = new JobSpec.Model();
    m.layers = 2;
    m.width = 64;
    m.contextLength = 32;
    assertEquals(GptModel.parameterCount(2, 64, 32, 300), TrainPlan.parameters(m, 300));
  }

  @Test
  void warmupThenCosine() {
    JobSpec.Optimizer o = new JobSpec.Optimizer();
    o.peakLr = 1.0;
    o.minLr = 0.1;
    o.warmupSteps = 10;
    assertEquals(0.1, Trainer.learningRate(o, 1, 110), 1e-12);
    assertEquals(1.0, Trainer.learningRate(o, 10, 110), 1e-12);
    assertEquals(0.55, Trainer.learningRate(o, 60, 110), 1e-12);
    assertEquals(0.1, Trainer.learningRate(o, 110, 110), 1e-12);
  }

  @Test
  void peftDefaultsAndOneLineErrorsNamingTheKey() {
    JobSpec s = JobSpec.parse(MIN + "init_from: runs/base\npeft: {method: lora}\n");
    assertEquals("lora", s.peft.method);
    assertEquals(PeftSpec.DEFAULT_RANK, s.peft.rank);
    assertEquals(1.0, s.peft.scale(), "alpha defaults to rank");
    assertEquals(java.util.List.of("q", "v"), s.peft.targets);
    assertEquals(2.0, JobSpec.parse(MIN + "init_from: x\npeft: {rank: 4, alpha: 8, targets: [q, k, v, o, up, down]}\n").peft.scale());
    assertEquals("bitfit", JobSpec.parse(MIN + "init_from: x\npeft: {method: bitfit}\n").peft.method);
    String[][] bad = {
        {"peft: {method: lora}\n", "'init_from'"},
        {"init_from: x\npeft: {method: adapters}\n", "'peft.method'"},
        {"init_from: x\npeft: {method: prompt}\n", "'peft.virtual_tokens'"},
        {"init_from: x\nmodel: {context_length: 32}\npeft: {method: prompt, virtual_tokens: 32}\n", "'peft.virtual_tokens'"},
        {"init_from: x\npeft: {rank: 0}\n", "'peft.rank'"},
        {"init_from: x\npeft: {alpha: -1}\n", "'peft.alpha'"},
        {"init_from: x\npeft: {dropout: 1.0}\n", "'peft.dropout'"},
        {"init_from: x\npeft: {targets: [q, wq]}\n", "'peft.targets'"},
        {"init_from: x\npeft: {targets: []}\n", "'peft.targets'"},
        {"init_from: x\npeft: {targets: [gate]}\n", "'peft.targets'"},
        {"init_from: x\nmodel: {block: llama}\npeft: {method: bitfit}\n", "'peft.method'"},
        {"init_from: x\npeft: {rnak: 4}\n", "'peft.rnak'"},
    };
    for (String[] b : bad) {
      ConfigException e = assertThrows(ConfigException.class, () -> JobSpec.parse(MIN + b[0]), b[0]);
      assertTrue(e.getMessage().contains(b[1]), b[0] + " -> " + e.getMessage());
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
    assertEquals(java.util.List.of("gate"), JobSpec.parse(MIN + "init_from: x\nmodel: {block: llama}\npeft: {targets: [gate]}\n").peft.targets);
    // Prompt tuning: the virtual tokens take their room in the context.
    JobSpec prompt = JobSpec.parse(MIN + "init_from: x\npeft: {method: prompt, virtual_tokens: 20}\n");
    assertEquals(20, prompt.virtualTokens());
    assertEquals(256 - 20, prompt.seqLength());
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobSpec.parse("data: {shards: [x/train], seq_length: 240}\nmax_steps: 10\ninit_from: x\npeft: {method: prompt, virtual_tokens: 20}\n"));
    assertTrue(e.getMessage().startsWith("bad value for 'data.seq_length'"), e.getMessage());
  }
}
