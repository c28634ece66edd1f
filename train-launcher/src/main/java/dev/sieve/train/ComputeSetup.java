package dev.sieve.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;

/**
 * Where and in what type a run computes: the PyTorch engine's threads ({@link #configureEngine}),
 * the device ({@link #pickDevice}) and the compute type ({@link #computeType}), with the fallbacks
 * a spec's {@code precision} may meet said on stderr ({@link #warnFallback}).
 */
public final class ComputeSetup {
  /** Why {@code precision: bf16} computes in fp32 here. */
  static final String BF16_UNSUPPORTED = "DJL 0.36's PyTorch binding has no bfloat16 dtype (its JNI maps DJL types to PyTorch's without "
      + "bfloat16, and a cast to it aborts the JVM: 'terminate called without an active exception')";

  /** Why {@code precision: fp16} computes in fp32 for {@code model.block: gpt2}. */
  static final String GPT2_FP32_ONLY = "the gpt2 block's attention (DJL's ScaledDotProductAttentionBlock) casts its mask to fp32 "
      + "and so mixes fp32 into fp16 matmuls";

  private ComputeSetup() {}

  /** Sets PyTorch to one intra-op and one inter-op thread unless already set (call before the engine loads). */
  public static void configureEngine() {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) System.setProperty("ai.djl.pytorch.num_threads", "1");
    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
  }

  /** GPU 0 when the engine sees one and {@code wanted} ({@code auto | cpu | gpu}) allows it; else the CPU. */
  public static Device pickDevice(String wanted) {
    int gpus = Engine.getInstance().getGpuCount();
    switch (wanted) {
      case "cpu":
        return Device.cpu();
      case "gpu":
        if (gpus == 0) throw new IllegalStateException("device: gpu, but the PyTorch engine sees no GPU");
        return Device.gpu(0);
      default:
        return gpus > 0 ? Device.gpu(0) : Device.cpu();
    }
  }

  /**
   * The type the forward and backward passes compute in: {@code fp16} for a {@code llama} model on
   * a GPU (the fp32 weights stay the master copy, {@link StepStore} gives each step fp16 copies,
   * and {@link LossScaler dynamic loss scaling} keeps small gradients), fp32 otherwise. A CPU run
   * of an fp16 spec falls back to fp32, and so does a {@code gpt2} model ({@link #GPT2_FP32_ONLY});
   * {@code bf16} falls back to fp32 everywhere ({@link #BF16_UNSUPPORTED}). Each fallback says so on
   * stderr ({@link #warnFallback}), and the start event's {@code precision} is what the run computes in.
   */
  static DataType computeType(String precision, boolean gpu, GptModel.Style style) {
    if (!gpu || style == GptModel.Style.GPT2) return DataType.FLOAT32;
    return precision.equals("fp16") ? DataType.FLOAT16 : DataType.FLOAT32;
  }

  /** Says on stderr why {@code compute} is not the spec's {@code precision}, if it is not. */
  static void warnFallback(JobSpec spec, Device device, DataType compute) {
    if (spec.precision.equals("fp16") && spec.model.style() == GptModel.Style.GPT2) {
      System.err.println("precision fp16: " + GPT2_FP32_ONLY + "; falling back to fp32 (model.block: llama trains in fp16)");
    } else if (spec.precision.equals("bf16")) {
      System.err.println("precision bf16: " + BF16_UNSUPPORTED + "; falling back to fp32 (precision: fp16 gives half precision on a GPU)");
    } else if (!spec.precision.equals("fp32") && compute == DataType.FLOAT32) {
      System.err.println("precision " + spec.precision + ": no GPU (the run is on " + device + "); falling back to fp32 "
          + "(this trainer computes in fp16 on a GPU only)");
    }
  }

  /** The name of a compute type: fp32, bf16 or fp16. */
  static String name(DataType compute) {
    return compute == DataType.BFLOAT16 ? "bf16" : compute == DataType.FLOAT16 ? "fp16" : "fp32";
  }
}
