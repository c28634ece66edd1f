package dev.sieve.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code bench/train}: the demo-sized model (4 layers, width 96, 4 heads, context 64, vocabulary
 * 2,048: about 0.9M parameters) trained for {@code steps} steps of 8 × 64 tokens on synthetic
 * shards, on the device DJL picks ({@code device: auto}). Reports the median of the per-step
 * tokens/s the trainer logs (the first 10 steps, warm-up, left out) and wall-clock tokens/s.
 * Args: work folder, steps.
 */
public final class TrainBench {
  private TrainBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long steps = Long.parseLong(args[1]);
    Files.createDirectories(dir);
    String tokenizer = TrainFixtures.tokenizer(dir.resolve("tok"));
    Path train = dir.resolve("train");
    Path valid = dir.resolve("valid");
    TrainFixtures.shard(train, tokenizer, 1, 3000);
    TrainFixtures.shard(valid, tokenizer, 2, 200);
    String yaml = "tokenizer: " + tokenizer + "\n"
        + "model: {layers: 4, width: 96, heads: 4, context_length: 64, vocab_size: 2048, dropout: 0.0}\n"
        + "data: {shards: [" + train.toAbsolutePath() + "], validation: [" + valid.toAbsolutePath() + "]}\n"
        + "optimizer: {peak_lr: 3.0e-3, min_lr: 3.0e-4, warmup_steps: 30, weight_decay: 0.01, grad_clip: 1.0}\n"
        + "batch_size: 8\nmax_steps: " + steps + "\ncheckpoint_interval: " + steps + "\neval_interval: " + steps
        + "\neval_batches: 2\nseed: 1234\ndevice: auto\n";
    JobSpec spec = JobSpec.parse(yaml);
    long params = TrainPlan.parameters(spec.model, spec.model.vocabSize);
    Path run = dir.resolve("run-" + System.currentTimeMillis());
    Trainer.configureEngine();
    long t0 = System.nanoTime();
    Trainer.Result r;
    String device;
    try (Trainer t = new Trainer(spec, run)) {
      device = String.valueOf(t.device());
      r = t.run();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    List<Double> rates = new ArrayList<>();
    for (Map<String, Object> m : MetricsLog.read(run.resolve("metrics.jsonl"))) {
      if (m.get("tokens_per_s") instanceof Number n && m.get("step") instanceof Number s && s.longValue() > 10) rates.add(n.doubleValue());
    }
    Collections.sort(rates);
    double median = rates.isEmpty() ? r.tokens() / wall : rates.get(rates.size() / 2);
    System.out.printf("model: %,d parameters; %d steps, %,d tokens in %.1f s (%.0f tokens/s wall, startup and evaluation included)%n", params,
        r.steps(), r.tokens(), wall, r.tokens() / wall);
    System.out.printf("loss %.3f, validation loss %.3f on %s%n", r.lastLoss(), r.lastValLoss(), device);
    System.out.printf("BENCH train tokens_per_s=%.0f device=%s params=%d mfu=n/a%n", median, device.replaceAll("[^A-Za-z0-9]", ""), params);
  }
}
