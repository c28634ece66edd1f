package dev.sieve.train;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/train-gpu}: tokens/s and model-FLOPs utilisation of a fixed number of training
 * steps. On the first CUDA device: a ~125M-parameter decoder (12 layers, width 768, 12 heads,
 * context 1024, vocabulary 25,600; GPT-2 small's shape with a smaller untied vocabulary), batch 8,
 * the given precision (fp16 with loss scaling by default: DJL 0.36 has no bf16). Without a CUDA device it says so and runs a tiny model
 * (2 layers, width 64, context 64) in fp32 on the CPU, so the script is exercised anywhere.
 *
 * <p>MFU (PaLM, Chowdhery et al. 2022, appendix B): model FLOPs per token {@code 6N + 12·L·E·T}
 * (the matmuls of forward and backward plus attention's scores and weighted sum), times tokens/s,
 * over the device's peak FLOP/s for the precision, taken from its name ({@link #peakFlops}).
 * Args: work folder, steps, device name (nvidia-smi's, or "cpu"), precision, block style.
 */
public final class TrainGpuBench {
  private TrainGpuBench() {}

  /**
   * Dense peak FLOP/s of an NVIDIA device by name: tensor-core bf16/fp16 for {@code bf16}/{@code
   * fp16}, plain fp32 (no TF32) for {@code fp32}; vendor data sheets (SXM parts where a name does
   * not say PCIe). 0 when the name is not known.
   */
  static double peakFlops(String name, String precision) {
    String n = name.toUpperCase(Locale.ROOT);
    boolean half = !precision.equals("fp32");
    double[][] table = {
        // {half, fp32} in TFLOP/s
        {989, 67}, // H100 SXM / H200
        {756, 51}, // H100 PCIe
        {312, 19.5}, // A100
        {125, 15.7}, // V100 (fp16 tensor)
        {65, 8.1}, // T4
        {121, 30.3}, // L4
        {362, 91.6}, // L40S
        {125, 31.2}, // A10
        {165, 82.6}, // RTX 4090
    };
    int row;
    if (n.contains("H200") || (n.contains("H100") && !n.contains("PCIE"))) row = 0;
    else if (n.contains("H100")) row = 1;
    else if (n.contains("A100")) row = 2;
    else if (n.contains("V100")) row = 3;
    else if (n.contains("T4")) row = 4;
    else if (n.contains("L40S")) row = 6;
    else if (n.contains("L4")) row = 5;
    else if (n.contains("A10")) row = 7;
    else if (n.contains("4090")) row = 8;
    else return 0;
    return table[row][half ? 0 : 1] * 1e12;
  }

  /** Model FLOPs per trained token: {@code 6N + 12·L·E·T}. */
  static double flopsPerToken(long params, int layers, int width, int seq) {
    return 6.0 * params + 12.0 * layers * width * seq;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long steps = Long.parseLong(args[1]);
    String gpuName = args.length > 2 ? args[2] : "cpu";
    String precision = args.length > 3 ? args[3] : "fp16";
    String block = args.length > 4 ? args[4] : "llama";
    Files.createDirectories(dir);
    Trainer.configureEngine();
    boolean gpu = Engine.getInstance().getGpuCount() > 0;
    if (!gpu) {
      System.out.println("no CUDA device seen by the PyTorch engine (" + gpuName + "): running a tiny model in fp32 on the CPU instead");
      precision = "fp32";
    }
    String model = gpu ? "{layers: 12, width: 768, heads: 12, context_length: 1024, vocab_size: 25600, dropout: 0.0, block: " + block + "}"
        : "{layers: 2, width: 64, heads: 4, context_length: 64, vocab_size: 512, dropout: 0.0, block: " + block + "}";
    String tokenizer = TrainFixtures.tokenizer(dir.resolve("tok"));
    Path train = dir.resolve("train");
    if (!Files.exists(dir.resolve("train.idx"))) TrainFixtures.shard(train, tokenizer, 1, gpu ? 20000 : 2000);
    String yaml = "tokenizer: " + tokenizer + "\n"
        + "model: " + model + "\n"
        + "data: {shards: [" + train.toAbsolutePath() + "]}\n"
        + "optimizer: {peak_lr: 6.0e-4, min_lr: 6.0e-5, warmup_steps: 10}\n"
        + "batch_size: 8\nmax_steps: " + steps + "\ncheckpoint_interval: " + (steps + 1) + "\neval_interval: 0\nseed: 1234\n"
        + "precision: " + precision + "\ndevice: " + (gpu ? "gpu" : "cpu") + "\nspike: {enabled: false}\n";
    JobSpec spec = JobSpec.parse(yaml);
    long params = TrainPlan.parameters(spec.model, spec.model.vocabSize);
    Path run = dir.resolve("run-" + System.currentTimeMillis());
    long t0 = System.nanoTime();
    Trainer.Result r;
    String device;
    String used;
    try (Trainer t = new Trainer(spec, run)) {
      device = String.valueOf(t.device());
      used = t.precision();
      r = t.run();
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    List<Double> rates = new ArrayList<>();
    long skip = Math.min(5, steps / 4);
    for (Map<String, Object> m : MetricsLog.read(run.resolve("metrics.jsonl"))) {
      if (m.get("tokens_per_s") instanceof Number n && m.get("step") instanceof Number s && s.longValue() > skip) rates.add(n.doubleValue());
    }
    Collections.sort(rates);
    double tps = rates.isEmpty() ? r.tokens() / wall : rates.get(rates.size() / 2);
    double perToken = flopsPerToken(params, spec.model.layers, spec.model.width, spec.seqLength());
    double peak = gpu ? peakFlops(gpuName, used) : 0;
    String mfu = peak > 0 ? String.format(Locale.ROOT, "%.3f", tps * perToken / peak) : "n/a";
    System.out.printf(Locale.ROOT, "model: %,d parameters (block %s), %d steps of %d x %d tokens, %s, %.1f s wall; loss %.3f%n", params, block,
        r.steps(), spec.batchSize, spec.seqLength(), used, wall, r.lastLoss());
    System.out.printf(Locale.ROOT, "model FLOPs per token %.3g; device peak %s%n", perToken,
        peak > 0 ? String.format(Locale.ROOT, "%.0f TFLOP/s (%s, %s)", peak / 1e12, gpuName, used) : "unknown (" + gpuName + ")");
    System.out.printf(Locale.ROOT, "BENCH train-gpu device=%s name=%s precision=%s params=%d tokens_per_s=%.0f mfu=%s%n",
        gpu ? "cuda" : "cpu", gpuName.replaceAll("[^A-Za-z0-9]", ""), used, params, tps, mfu);
  }
}
