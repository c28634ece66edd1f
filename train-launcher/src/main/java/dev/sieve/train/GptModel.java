package dev.sieve.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.PointwiseFeedForwardBlock;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A decoder-only transformer in one of two {@link Style block styles}.
 *
 * <p>{@link Style#GPT2} (the default): token + learned position embeddings, {@code layers}
 * pre-LN blocks ({@code x + attn(LN(x))}, then {@code x + MLP(LN(x))}) with causal
 * self-attention ({@link ScaledDotProductAttentionBlock} under a lower-triangular mask) and a 4×
 * GELU MLP ({@link PointwiseFeedForwardBlock}), a final LayerNorm and an output projection to the
 * vocabulary. Every LayerNorm normalises over axis 2 only (the embedding): DJL's default axes
 * would mix time steps and leak the future into the past.
 *
 * <p>Input: token ids {@code (B, T)} as int64, {@code T <= context_length}; output: logits
 * {@code (B, T, V)}. Weights start from N(0, 0.02) (GPT-2's initialisation); biases at 0,
 * LayerNorm at (1, 0). This style computes in fp32 only: DJL's attention block casts its mask to
 * fp32 and so mixes fp32 into fp16 matmuls.
 *
 * <p>{@link Style#LLAMA}: LLaMA's block (Touvron et al. 2023): token embeddings only, positions by
 * rotary embeddings on queries and keys ({@link Rope}, RoFormer, Su et al. 2021, base
 * {@value Rope#BASE}), RMSNorm before attention and MLP and at the end ({@link RmsNorm}, eps
 * {@value RmsNorm#EPS}), a SwiGLU MLP {@code W2(silu(W1 x) ⊙ W3 x)} of hidden width
 * {@link #swigluHidden} (≈ 8E/3, so that its 3 matrices hold about the 8E² of a 4× GELU MLP), no
 * biases anywhere. RMSNorm gains start at 1, every matrix at N(0, 0.02).
 */
public final class GptModel extends AbstractBlock {
  /** The block style, {@code model.block} in a job spec. */
  public enum Style {
    /** Learned positions, LayerNorm, 4× GELU MLP, biases: GPT-2. */
    GPT2("gpt2"),
    /** Rotary positions, RMSNorm, SwiGLU MLP, no biases: LLaMA. */
    LLAMA("llama");

    public final String key;

    Style(String key) {
      this.key = key;
    }

    /** The style a spec's {@code model.block} names; null for an unknown name. */
    public static Style of(String key) {
      for (Style s : values()) if (s.key.equals(key)) return s;
      return null;
    }
  }

  private final Style style;
  private final int vocab;
  private final int width;
  private final int context;
  private final float dropout;
  private final Parameter tokenEmbedding;
  private final Parameter positionEmbedding;
  private final List<AbstractBlock> blocks = new ArrayList<>();
  private final AbstractBlock finalNorm;
  private final Linear head;
  private final Dropout embeddingDropout;

  /** A {@link Style#GPT2} model. */
  public GptModel(int layers, int width, int heads, int context, int vocab, float dropout) {
    this(Style.GPT2, layers, width, heads, context, vocab, dropout);
  }

  public GptModel(Style style, int layers, int width, int heads, int context, int vocab, float dropout) {
    this.style = style;
    this.vocab = vocab;
    this.width = width;
    this.context = context;
    this.dropout = dropout;
    tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(vocab, width)).build());
    positionEmbedding = style == Style.GPT2 ? addParameter(Parameter.builder().setName("position_embedding").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(context, width)).build()) : null;
    embeddingDropout = addChildBlock("embedding_dropout", Dropout.builder().optRate(dropout).build());
    for (int i = 0; i < layers; i++) {
      blocks.add(addChildBlock("block" + i, style == Style.GPT2 ? new DecoderBlock(width, heads, dropout) : new LlamaBlock(width, heads, dropout)));
    }
    finalNorm = addChildBlock("final_norm", style == Style.GPT2 ? LayerNorm.builder().axis(2).build() : new RmsNorm(width));
    head = addChildBlock("head", Linear.builder().setUnits(vocab).optBias(false).build());
    setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
  }

  public static GptModel of(JobSpec.Model m, int vocab) {
    return new GptModel(Style.of(m.block), m.layers, m.width, m.heads, m.contextLength, vocab, (float) m.dropout);
  }

  public Style style() {
    return style;
  }

  public int vocab() {
    return vocab;
  }

  public int context() {
    return context;
  }

  /** Parameters by name, in a fixed order. */
  public long parameterCount() {
    long n = 0;
    for (var p : getParameters()) n += p.getValue().getShape().size();
    return n;
  }

  /**
   * Parameters of a {@link Style#GPT2} model without building it: embeddings {@code (V + C)·E},
   * per block 4 attention projections {@code 4(E² + E)}, MLP {@code 8E² + 5E}, two LayerNorms
   * {@code 4E}, final LayerNorm {@code 2E}, head {@code E·V}.
   */
  public static long parameterCount(int layers, int width, int context, int vocab) {
    return parameterCount(Style.GPT2, layers, width, context, vocab);
  }

  /**
   * Parameters of a model without building it. {@link Style#GPT2}: see {@link #parameterCount(int,
   * int, int, int)}. {@link Style#LLAMA}: token embedding {@code V·E} (no position table), per block
   * 4 attention projections {@code 4E²}, SwiGLU {@code 3·E·H} with {@code H =} {@link
   * #swigluHidden}{@code (E)}, two RMSNorm gains {@code 2E}; final RMSNorm {@code E}, head {@code E·V}.
   */
  public static long parameterCount(Style style, int layers, int width, int context, int vocab) {
    long e = width;
    if (style == Style.LLAMA) {
      long perBlock = 4 * e * e + 3 * e * swigluHidden(width) + 2 * e;
      return (long) vocab * e + layers * perBlock + e + e * vocab;
    }
    long perBlock = 4 * (e * e + e) + (8 * e * e + 5 * e) + 4 * e;
    return (long) vocab * e + context * e + layers * perBlock + 2 * e + e * vocab;
  }

  /** SwiGLU's hidden width: {@code 8E/3} rounded up to a multiple of 8 (LLaMA's 2/3 of 4E; 256 for E = 96, 2048 for E = 768). */
  public static int swigluHidden(int width) {
    int h = (8 * width + 2) / 3;
    return (h + 7) / 8 * 8;
  }

  /** Initialises every parameter on {@code manager}'s device (the engine's seed decides the values). */
  public void init(NDManager manager) {
    initialize(manager, DataType.FLOAT32, new Shape(1, context));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long b = inputShapes[0].get(0);
    long t = inputShapes[0].get(1);
    Shape hidden = new Shape(b, t, width);
    embeddingDropout.initialize(manager, dataType, hidden);
    for (AbstractBlock blk : blocks) blk.initialize(manager, dataType, hidden, style == Style.GPT2 ? new Shape(b, t, t) : new Shape(t, t));
    finalNorm.initialize(manager, dataType, hidden);
    head.initialize(manager, dataType, hidden);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), vocab)};
  }

  /** A {@code (B, T, T)} mask with 1 where query position i may attend to key position j ≤ i. */
  public static NDArray causalMask(NDManager manager, int batch, int t) {
    float[] m = new float[batch * t * t];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < t; i++) {
        for (int j = 0; j <= i; j++) m[(b * t + i) * t + j] = 1f;
      }
    }
    return manager.create(m, new Shape(batch, t, t));
  }

  /** A {@code (T, T)} additive mask: 0 where query i may attend to key j ≤ i, -∞ above the diagonal. */
  public static NDArray causalBias(NDManager manager, int t) {
    float[] m = new float[t * t];
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) m[i * t + j] = Float.NEGATIVE_INFINITY;
    }
    return manager.create(m, new Shape(t, t));
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray tokens = inputs.head();
    int b = (int) tokens.getShape().get(0);
    int t = (int) tokens.getShape().get(1);
    if (t > context) throw new IllegalArgumentException("sequence of " + t + " tokens exceeds the context length " + context);
    NDManager manager = tokens.getManager();
    NDArray tokW = ps.getValue(tokenEmbedding, tokens.getDevice(), training);
    NDArray x = Embedding.embedding(tokens, tokW, SparseFormat.DENSE).head();
    NDArray mask;
    if (style == Style.GPT2) {
      NDArray posW = ps.getValue(positionEmbedding, tokens.getDevice(), training);
      x = x.add(posW.get(new NDIndex("0:{}", t)));
      mask = causalMask(manager, b, t).toType(x.getDataType(), false);
    } else {
      mask = causalBias(manager, t).toType(x.getDataType(), false);
    }
    x = embeddingDropout.forward(ps, new NDList(x), training).head();
    for (AbstractBlock blk : blocks) x = blk.forward(ps, new NDList(x, mask), training).head();
    x = finalNorm.forward(ps, new NDList(x), training).head();
    return head.forward(ps, new NDList(x), training);
  }

  /** One pre-LN transformer block. Inputs: {@code x (B, T, E)} and the mask {@code (B, T, T)}. */
  static final class DecoderBlock extends AbstractBlock {
    private final LayerNorm norm1;
    private final ScaledDotProductAttentionBlock attention;
    private final Dropout dropout1;
    private final LayerNorm norm2;
    private final PointwiseFeedForwardBlock mlp;
    private final Dropout dropout2;

    DecoderBlock(int width, int heads, float dropout) {
      norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
      attention = addChildBlock("attention", ScaledDotProductAttentionBlock.builder()
          .setEmbeddingSize(width).setHeadCount(heads).optAttentionProbsDropoutProb(dropout).build());
      dropout1 = addChildBlock("dropout1", Dropout.builder().optRate(dropout).build());
      norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
      mlp = addChildBlock("mlp", new PointwiseFeedForwardBlock(List.of(4 * width), width, Activation::gelu));
      dropout2 = addChildBlock("dropout2", Dropout.builder().optRate(dropout).build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
      Shape x = inputShapes[0];
      norm1.initialize(manager, dataType, x);
      attention.initialize(manager, dataType, x, inputShapes[1]);
      dropout1.initialize(manager, dataType, x);
      norm2.initialize(manager, dataType, x);
      mlp.initialize(manager, dataType, x);
      dropout2.initialize(manager, dataType, x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return new Shape[] {inputShapes[0]};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
      NDArray x = inputs.get(0);
      NDArray mask = inputs.get(1);
      NDArray h = norm1.forward(ps, new NDList(x), training).head();
      h = attention.forward(ps, new NDList(h, mask), training).head();
      h = dropout1.forward(ps, new NDList(h), training).head();
      x = x.add(h);
      h = norm2.forward(ps, new NDList(x), training).head();
      h = mlp.forward(ps, new NDList(h), training).head();
      h = dropout2.forward(ps, new NDList(h), training).head();
      return new NDList(x.add(h));
    }
  }

  /**
   * Root-mean-square normalisation over the last axis (Zhang & Sennrich 2019): {@code x / sqrt(mean(x²)
   * + eps) · g}, in the input's type (DJL's casts are not differentiable). One gain per channel, no bias.
   */
  static final class RmsNorm extends AbstractBlock {
    /** LLaMA's epsilon. */
    public static final float EPS = 1e-6f;
    private final Parameter gain;

    RmsNorm(int width) {
      gain = addParameter(Parameter.builder().setName("gain").setType(Parameter.Type.GAMMA).optShape(new Shape(width)).build());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return new Shape[] {inputShapes[0]};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
      NDArray x = inputs.head();
      int last = x.getShape().dimension() - 1;
      NDArray scale = x.square().mean(new int[] {last}, true).add(EPS).sqrt();
      return new NDList(x.div(scale).mul(ps.getValue(gain, x.getDevice(), training)));
    }
  }

  /**
   * Rotary position embeddings (Su et al. 2021, "RoFormer"), GPT-NeoX's half-split layout: the
   * head dimension {@code D} (even) is split into halves {@code (x1, x2)} and rotated as
   * {@code (x1·cos − x2·sin, x2·cos + x1·sin)} with angle {@code p·θ_i}, {@code θ_i = BASE^(−2i/D)}
   * for channel pair {@code i} at position {@code p}. So {@code rope(q, m)·rope(k, n)} depends
   * on {@code q, k} and {@code m − n} only.
   */
  public static final class Rope {
    /** RoFormer's and LLaMA's base. */
    public static final double BASE = 10000.0;

    private Rope() {}

    /** {@code cos} and {@code sin} tables {@code (T, D)} for positions {@code offset .. offset+T-1}. */
    static NDArray[] tables(NDManager m, int t, int d, int offset) {
      int half = d / 2;
      float[] cos = new float[t * d];
      float[] sin = new float[t * d];
      for (int p = 0; p < t; p++) {
        for (int i = 0; i < half; i++) {
          double a = (p + offset) * Math.pow(BASE, -2.0 * i / d);
          float c = (float) Math.cos(a);
          float s = (float) Math.sin(a);
          cos[p * d + i] = c;
          cos[p * d + i + half] = c;
          sin[p * d + i] = s;
          sin[p * d + i + half] = s;
        }
      }
      return new NDArray[] {m.create(cos, new Shape(t, d)), m.create(sin, new Shape(t, d))};
    }

    /** Rotates {@code x (…, T, D)} for positions {@code offset .. offset+T-1}. */
    public static NDArray apply(NDArray x, int offset) {
      Shape s = x.getShape();
      int t = (int) s.get(s.dimension() - 2);
      int d = (int) s.get(s.dimension() - 1);
      if (d % 2 != 0) throw new IllegalArgumentException("rotary embeddings need an even head dimension: " + d);
      NDArray[] cs = tables(x.getManager(), t, d, offset);
      NDArray cos = cs[0].toType(x.getDataType(), false);
      NDArray sin = cs[1].toType(x.getDataType(), false);
      NDList halves = x.split(2, s.dimension() - 1);
      NDArray rotated = halves.get(1).neg().concat(halves.get(0), s.dimension() - 1);
      return x.mul(cos).add(rotated.mul(sin));
    }
  }

  /** Causal self-attention with rotary positions and no biases. Inputs: {@code x (B, T, E)}, the additive mask {@code (T, T)}. */
  static final class RopeAttention extends AbstractBlock {
    private final int width;
    private final int heads;
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear out;

    RopeAttention(int width, int heads) {
      this.width = width;
      this.heads = heads;
      q = addChildBlock("q", Linear.builder().setUnits(width).optBias(false).build());
      k = addChildBlock("k", Linear.builder().setUnits(width).optBias(false).build());
      v = addChildBlock("v", Linear.builder().setUnits(width).optBias(false).build());
      out = addChildBlock("out", Linear.builder().setUnits(width).optBias(false).build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
      for (Linear l : List.of(q, k, v, out)) l.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return new Shape[] {inputShapes[0]};
    }

    private NDArray heads(NDArray x, long b, long t) {
      return x.reshape(b, t, heads, width / heads).transpose(0, 2, 1, 3); // (B, H, T, D)
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
      NDArray x = inputs.get(0);
      NDArray bias = inputs.get(1);
      long b = x.getShape().get(0);
      long t = x.getShape().get(1);
      NDArray qh = Rope.apply(heads(q.forward(ps, new NDList(x), training).head(), b, t), 0);
      NDArray kh = Rope.apply(heads(k.forward(ps, new NDList(x), training).head(), b, t), 0);
      NDArray vh = heads(v.forward(ps, new NDList(x), training).head(), b, t);
      NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2)).mul((float) (1.0 / Math.sqrt(width / (double) heads))).add(bias);
      NDArray attended = scores.softmax(3).matMul(vh).transpose(0, 2, 1, 3).reshape(b, t, width);
      return out.forward(ps, new NDList(attended), training);
    }
  }

  /** SwiGLU (Shazeer 2020): {@code W2(silu(W1 x) ⊙ W3 x)}, hidden width {@link #swigluHidden}, no biases. */
  static final class SwiGlu extends AbstractBlock {
    private final Linear gate;
    private final Linear up;
    private final Linear down;

    SwiGlu(int width) {
      int hidden = swigluHidden(width);
      gate = addChildBlock("gate", Linear.builder().setUnits(hidden).optBias(false).build());
      up = addChildBlock("up", Linear.builder().setUnits(hidden).optBias(false).build());
      down = addChildBlock("down", Linear.builder().setUnits(width).optBias(false).build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
      gate.initialize(manager, dataType, inputShapes[0]);
      up.initialize(manager, dataType, inputShapes[0]);
      Shape s = inputShapes[0];
      down.initialize(manager, dataType, new Shape(s.get(0), s.get(1), swigluHidden((int) s.get(2))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return new Shape[] {inputShapes[0]};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
      NDArray x = inputs.head();
      NDArray g = gate.forward(ps, new NDList(x), training).head();
      NDArray u = up.forward(ps, new NDList(x), training).head();
      NDArray h = g.mul(Activation.sigmoid(g)).mul(u);
      return down.forward(ps, new NDList(h), training);
    }
  }

  /** One LLaMA block: {@code x + attn(RMSNorm(x))}, then {@code x + SwiGLU(RMSNorm(x))}. Inputs: {@code x (B, T, E)}, mask {@code (T, T)}. */
  static final class LlamaBlock extends AbstractBlock {
    private final RmsNorm norm1;
    private final RopeAttention attention;
    private final Dropout dropout1;
    private final RmsNorm norm2;
    private final SwiGlu mlp;
    private final Dropout dropout2;

    LlamaBlock(int width, int heads, float dropout) {
      norm1 = addChildBlock("norm1", new RmsNorm(width));
      attention = addChildBlock("attention", new RopeAttention(width, heads));
      dropout1 = addChildBlock("dropout1", Dropout.builder().optRate(dropout).build());
      norm2 = addChildBlock("norm2", new RmsNorm(width));
      mlp = addChildBlock("mlp", new SwiGlu(width));
      dropout2 = addChildBlock("dropout2", Dropout.builder().optRate(dropout).build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
      Shape x = inputShapes[0];
      norm1.initialize(manager, dataType, x);
      attention.initialize(manager, dataType, x, inputShapes[1]);
      dropout1.initialize(manager, dataType, x);
      norm2.initialize(manager, dataType, x);
      mlp.initialize(manager, dataType, x);
      dropout2.initialize(manager, dataType, x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return new Shape[] {inputShapes[0]};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
      NDArray x = inputs.get(0);
      NDArray mask = inputs.get(1);
      NDArray h = norm1.forward(ps, new NDList(x), training).head();
      h = attention.forward(ps, new NDList(h, mask), training).head();
      h = dropout1.forward(ps, new NDList(h), training).head();
      x = x.add(h);
      h = norm2.forward(ps, new NDList(x), training).head();
      h = mlp.forward(ps, new NDList(h), training).head();
      h = dropout2.forward(ps, new NDList(h), training).head();
      return new NDList(x.add(h));
    }
  }
}
