package dev.sieve.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable tensors of a parameter-efficient fine-tuning run ({@link PeftSpec}) over a
 * {@link GptModel} whose own weights (the base, loaded from {@code init_from}) are frozen: no
 * gradient, not in the optimizer, not in the run's checkpoints.
 *
 * <p>{@code lora} (Hu et al. 2021): for each targeted projection weight {@code W (out, in)} a pair
 * {@code A (rank, in)}, drawn uniform in {@code ±1/sqrt(in)} (the reference implementation's
 * Kaiming-uniform with {@code a = sqrt(5)}), and {@code B (out, rank)}, zero, so the run starts at
 * exactly the base model. The adapter is applied where parameters are fetched ({@link StepStore}):
 * the projection computes with {@code W + s·B·A}, {@code s = alpha / rank}, which is the same
 * function as the paper's {@code W x + s·B A x}. {@code dropout p} zeroes each input channel of
 * {@code A} with probability {@code p} per forward pass (and scales the rest by {@code 1/(1-p)});
 * the paper drops the adapter's input per token, which a fetched weight cannot express, so here one
 * draw covers the whole micro-batch. Tensors are named {@code <parameter>.lora_a} / {@code .lora_b}.
 *
 * <p>{@code bitfit} (Ben Zaken et al. 2021): the model's own bias terms train (parameters of DJL
 * type BIAS and BETA: the attention and MLP biases and the LayerNorm biases; the LayerNorm gains
 * stay frozen, as in the paper), under their own names.
 *
 * <p>{@code prompt} (Lester et al. 2021): one trainable tensor {@value #PROMPT} {@code
 * (virtual_tokens, width)}, prepended to every sequence's token embeddings ({@link
 * GptModel}, through {@link StepStore#virtualTokens}); its rows start as the embeddings of
 * {@code virtual_tokens} vocabulary tokens drawn uniformly from the engine's RNG (the paper's
 * "sampled vocabulary" initialisation, §2.2, there restricted to the 5,000 most common tokens,
 * here from the whole vocabulary). Every model parameter stays frozen.
 *
 * <p>Targets map onto projection weights inside the blocks: {@code q, k, v, o} are the attention's
 * query, key, value and output projections ({@code gpt2}: {@code queryProjection, keyProjection,
 * valueProjection, resultProjection}; {@code llama}: {@code q, k, v, out}), {@code up} and {@code
 * down} the MLP's input and output matrices ({@code gpt2}: its first and second {@code Linear};
 * {@code llama}: {@code up, down}) and {@code gate} llama's SwiGLU gate. The embeddings and the head
 * are never targets.
 */
public final class Adapters {
  /** Suffix of a LoRA A tensor's name. */
  public static final String A = ".lora_a";
  /** Suffix of a LoRA B tensor's name. */
  public static final String B = ".lora_b";
  /** The name of prompt tuning's tensor. */
  public static final String PROMPT = "virtual_tokens";

  /** A LoRA pair on one projection: {@code a (rank, in)}, {@code b (out, rank)}. */
  record Lora(String name, NDArray a, NDArray b) {}

  private final PeftSpec spec;
  private final Map<Parameter, Lora> lora = new IdentityHashMap<>();
  private final List<String> names = new ArrayList<>();
  private final List<NDArray> arrays = new ArrayList<>();
  private NDArray prompt; // prompt tuning's (virtual_tokens, width); null otherwise

  private Adapters(PeftSpec spec) {
    this.spec = spec;
  }

  /**
   * Sets up {@code spec}'s method on an initialised model holding its base weights: freezes every
   * parameter but BitFit's, and creates the LoRA pairs on {@code manager} (A from the engine's RNG).
   *
   * @throws IllegalArgumentException when no parameter matches the targets
   */
  static Adapters attach(GptModel model, PeftSpec spec, NDManager manager) {
    Adapters ad = new Adapters(spec);
    if (spec.method.equals("prompt")) return ad.promptTuning(model, spec.virtualTokens, manager);
    boolean bitfit = spec.method.equals("bitfit");
    for (Pair<String, Parameter> p : model.getParameters()) {
      Parameter param = p.getValue();
      boolean trains = bitfit && isBias(param);
      param.freeze(!trains);
      if (trains) {
        ad.names.add(p.getKey());
        ad.arrays.add(param.getArray());
      }
      String t = target(p.getKey());
      if (!bitfit && t != null && spec.targets.contains(t)) {
        Shape s = param.getArray().getShape(); // (out, in)
        float bound = (float) (1.0 / Math.sqrt(s.get(1)));
        NDArray a = manager.randomUniform(-bound, bound, new Shape(spec.rank, s.get(1)), DataType.FLOAT32);
        NDArray b = manager.zeros(new Shape(s.get(0), spec.rank), DataType.FLOAT32);
        a.setRequiresGradient(true);
        b.setRequiresGradient(true);
        ad.lora.put(param, new Lora(p.getKey(), a, b));
        ad.names.add(p.getKey() + A);
        ad.arrays.add(a);
        ad.names.add(p.getKey() + B);
        ad.arrays.add(b);
      }
    }
    if (ad.arrays.isEmpty()) throw new IllegalArgumentException("peft " + spec.method + ": no parameter of the model matches " + (bitfit ? "bias" : spec.targets));
    return ad;
  }

  /** Freezes the model and creates the virtual tokens from the embeddings of random vocabulary tokens. */
  private Adapters promptTuning(GptModel model, int n, NDManager manager) {
    NDArray embedding = null;
    for (Pair<String, Parameter> p : model.getParameters()) {
      p.getValue().freeze(true);
      if (p.getKey().endsWith("token_embedding")) embedding = p.getValue().getArray();
    }
    if (embedding == null) throw new IllegalStateException("peft prompt: the model has no token_embedding");
    int width = (int) embedding.getShape().get(1);
    long[] ids = manager.randomInteger(0, model.vocab(), new Shape(n), DataType.INT64).toLongArray();
    float[] table = embedding.toFloatArray();
    float[] rows = new float[n * width];
    for (int i = 0; i < n; i++) System.arraycopy(table, (int) ids[i] * width, rows, i * width, width);
    prompt = manager.create(rows, new Shape(n, width));
    prompt.setRequiresGradient(true);
    names.add(PROMPT);
    arrays.add(prompt);
    return this;
  }

  /** Prompt tuning's virtual tokens {@code (virtual_tokens, width)}; null for other methods. */
  NDArray prompt() {
    return prompt;
  }

  /** BitFit's parameters: biases and LayerNorm betas. */
  static boolean isBias(Parameter p) {
    return p.getType() == Parameter.Type.BIAS || p.getType() == Parameter.Type.BETA;
  }

  /**
   * The LoRA target a parameter name is ({@code q, k, v, o, up, down, gate}), or null: a projection
   * weight inside a block, child names compared without DJL's {@code NN} numbering.
   */
  static String target(String parameterName) {
    String[] parts = parameterName.split("_");
    int n = parts.length;
    if (n < 3 || !parts[n - 1].equals("weight") || !parameterName.contains("block")) return null;
    String child = parts[n - 2];
    String bare = child.replaceFirst("^\\d+", "");
    String parent = parts[n - 3].replaceFirst("^\\d+", "");
    switch (bare) {
      case "queryProjection": case "q": return "q";
      case "keyProjection": case "k": return "k";
      case "valueProjection": case "v": return "v";
      case "resultProjection": case "out": return "o";
      case "gate": return "gate";
      case "up": return "up";
      case "down": return "down";
      case "Linear":
        if (!parent.equals("mlp")) return null;
        return child.startsWith("01") ? "up" : "down"; // gpt2's MLP: 01Linear (E -> 4E), 03Linear (4E -> E)
      default: return null;
    }
  }

  PeftSpec spec() {
    return spec;
  }

  /** The trainable tensors' names, in a fixed order (checkpoint names). */
  List<String> names() {
    return names;
  }

  /** The trainable arrays, in {@link #names} order. */
  List<NDArray> arrays() {
    return arrays;
  }

  /** The LoRA pair on {@code p}, or null. */
  Lora lora(Parameter p) {
    return lora.isEmpty() ? null : lora.get(p);
  }

  /** {@code alpha / rank}. */
  float scale() {
    return (float) spec.scale();
  }

  /** Scalars that train. */
  long trainableParameters() {
    long n = 0;
    for (NDArray a : arrays) n += a.getShape().size();
    return n;
  }

  /**
   * The weight a LoRA-adapted projection computes with: {@code w + s·b·a}, {@code a}'s input
   * channels dropped with the spec's dropout when {@code training} (a mask drawn on {@code
   * manager} from the engine's RNG).
   */
  NDArray adapted(NDArray w, NDArray a, NDArray b, boolean training, NDManager manager) {
    if (training && spec.dropout > 0) {
      NDArray keep = manager.randomUniform(0f, 1f, new Shape(1, a.getShape().get(1)), DataType.FLOAT32)
          .gte((float) spec.dropout).toType(a.getDataType(), false).div((float) (1 - spec.dropout));
      a = a.mul(keep);
    }
    return w.add(b.matMul(a).mul(scale()));
  }

  /**
   * Merges a PEFT checkpoint's tensors ({@code params.bin} of a PEFT run, by name) into the base
   * weights of {@code model}, in place: {@code W += (alpha / rank)·B·A} per LoRA pair; BitFit's
   * biases replace the base's.
   *
   * @return the number of parameters changed
   * @throws IllegalStateException when a tensor names no parameter or has another shape (prompt
   *     tuning's {@value #PROMPT} among them: an input, nothing to merge)
   */
  static int merge(GptModel model, PeftSpec spec, Map<String, Checkpoints.Tensor> tensors) {
    Map<String, Parameter> byName = new java.util.HashMap<>();
    for (Pair<String, Parameter> p : model.getParameters()) byName.put(p.getKey(), p.getValue());
    int changed = 0;
    for (Checkpoints.Tensor t : tensors.values()) {
      if (t.name().endsWith(B)) continue;
      if (t.name().endsWith(A)) {
        String base = t.name().substring(0, t.name().length() - A.length());
        Parameter p = byName.get(base);
        Checkpoints.Tensor tb = tensors.get(base + B);
        if (p == null || tb == null) throw new IllegalStateException("LoRA tensor " + t.name() + ": no parameter " + base + " or no " + base + B);
        NDArray w = p.getArray();
        try (NDManager m = w.getManager().newSubManager()) {
          NDArray a = m.create(t.values(), new Shape(t.shape()));
          NDArray b = m.create(tb.values(), new Shape(tb.shape()));
          NDArray delta = b.matMul(a).mul(scale(spec));
          if (!delta.getShape().equals(w.getShape())) throw new IllegalStateException("LoRA pair on " + base + " gives " + delta.getShape() + ", weight is " + w.getShape());
          w.set(w.add(delta).toFloatArray());
        }
      } else {
        Parameter p = byName.get(t.name());
        if (p == null || !new Shape(t.shape()).equals(p.getArray().getShape())) throw new IllegalStateException("tensor " + t.name() + " missing in the model or of another shape");
        p.getArray().set(t.values());
      }
      changed++;
    }
    return changed;
  }

  private static float scale(PeftSpec spec) {
    return (float) spec.scale();
  }

  /** SHA-256 of a file, hex (the base checkpoint's identity in a PEFT run's state). */
  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
