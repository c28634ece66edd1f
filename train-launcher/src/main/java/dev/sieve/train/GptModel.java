package dev.sieve.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
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
 * self-attention (DJL's attention block under a lower-triangular mask) and a 4×
 * GELU MLP ({@link Gpt2Block}), a final LayerNorm and an output projection to the
 * vocabulary. Every LayerNorm normalises over axis 2 only (the embedding): DJL's default axes
 * would mix time steps and leak the future into the past.
 *
 * <p>Input: token ids {@code (B, T)} as int64, {@code T <= context_length}; output: logits
 * {@code (B, T, V)}. When the parameter store is a {@link StepStore} with virtual tokens (prompt
 * tuning, {@link Adapters}), their {@code n} embeddings come before each row's token embeddings
 * ({@code T + n <= context_length}, positions and causal mask over all {@code T + n}) and the
 * logits of the {@code T} real positions only are returned. Weights start from N(0, 0.02) (GPT-2's initialisation); biases at 0,
 * LayerNorm at (1, 0). This style computes in fp32 only: DJL's attention block casts its mask to
 * fp32 and so mixes fp32 into fp16 matmuls.
 *
 * <p>{@link Style#LLAMA}: LLaMA's block (Touvron et al. 2023): token embeddings only, positions by
 * rotary embeddings on queries and keys ({@link RotaryEmbedding}, RoFormer, Su et al. 2021, base
 * {@value RotaryEmbedding#BASE}), RMSNorm before attention and MLP and at the end ({@link RmsNorm}, eps
 * {@value RmsNorm#EPS}), a SwiGLU MLP {@code W2(silu(W1 x) ⊙ W3 x)} of hidden width
 * {@link #swigluHidden} (≈ 8E/3, so that its 3 matrices hold about the 8E² of a 4× GELU MLP), no
 * biases anywhere. RMSNorm gains start at 1, every matrix at N(0, 0.02).
 */
public final class GptModel extends AbstractBlock {
  /** The block style, {@code model.block} in a job spec: which block, final norm and mask a model is built from. */
  public enum Style {
    /** Learned positions, LayerNorm, 4× GELU MLP, biases: GPT-2 ({@link Gpt2Block}). */
    GPT2("gpt2"),
    /** Rotary positions, RMSNorm, SwiGLU MLP, no biases: LLaMA ({@link LlamaBlock}). */
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

    /** One block of this style. */
    PreNormBlock block(int width, int heads, float dropout) {
      return this == GPT2 ? new Gpt2Block(width, heads, dropout) : new LlamaBlock(width, heads, dropout);
    }

    /** The norm after the last block: LayerNorm over axis 2, or {@link RmsNorm}. */
    AbstractBlock finalNorm(int width) {
      return this == GPT2 ? LayerNorm.builder().axis(2).build() : new RmsNorm(width);
    }

    /** The causal mask the blocks take, in {@code type}: {@link CausalMasks#mask} or {@link CausalMasks#bias}. */
    NDArray mask(NDManager manager, int batch, int t, DataType type) {
      NDArray m = this == GPT2 ? CausalMasks.mask(manager, batch, t) : CausalMasks.bias(manager, t);
      return m.toType(type, false);
    }

    /** The shape of {@link #mask}. */
    Shape maskShape(long batch, long t) {
      return this == GPT2 ? new Shape(batch, t, t) : new Shape(t, t);
    }
  }

  private final Style style;
  private final int vocab;
  private final int width;
  private final int context;
  private final float dropout;
  private final Parameter tokenEmbedding;
  private final Parameter positionEmbedding;
  private final List<PreNormBlock> blocks = new ArrayList<>();
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
      blocks.add(addChildBlock("block" + i, style.block(width, heads, dropout)));
    }
    finalNorm = addChildBlock("final_norm", style.finalNorm(width));
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

  /** {@link SwiGlu#hidden}: {@code 8E/3} rounded up to a multiple of 8 (256 for E = 96, 2048 for E = 768). */
  public static int swigluHidden(int width) {
    return SwiGlu.hidden(width);
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
    for (PreNormBlock blk : blocks) blk.initialize(manager, dataType, hidden, style.maskShape(b, t));
    finalNorm.initialize(manager, dataType, hidden);
    head.initialize(manager, dataType, hidden);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), vocab)};
  }

  /** {@link CausalMasks#mask}. */
  public static NDArray causalMask(NDManager manager, int batch, int t) {
    return CausalMasks.mask(manager, batch, t);
  }

  /** {@link CausalMasks#bias}. */
  public static NDArray causalBias(NDManager manager, int t) {
    return CausalMasks.bias(manager, t);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray tokens = inputs.head();
    int b = (int) tokens.getShape().get(0);
    NDArray virtual = ps instanceof StepStore s ? s.virtualTokens(training) : null;
    int n = virtual == null ? 0 : (int) virtual.getShape().get(0);
    int t = (int) tokens.getShape().get(1) + n;
    if (t > context) throw new IllegalArgumentException("sequence of " + t + " tokens" + (n > 0 ? " (" + n + " virtual)" : "") + " exceeds the context length " + context);
    NDManager manager = tokens.getManager();
    NDArray tokW = ps.getValue(tokenEmbedding, tokens.getDevice(), training);
    NDArray x = Embedding.embedding(tokens, tokW, SparseFormat.DENSE).head();
    if (virtual != null) { // prompt tuning: the same virtual tokens before every row
      NDList rows = new NDList(b + 1);
      for (int i = 0; i < b; i++) rows.add(virtual.expandDims(0));
      x = NDArrays.concat(new NDList(NDArrays.concat(rows, 0), x), 1);
    }
    if (positionEmbedding != null) {
      NDArray posW = ps.getValue(positionEmbedding, tokens.getDevice(), training);
      x = x.add(posW.get(new NDIndex("0:{}", t)));
    }
    NDArray mask = style.mask(manager, b, t, x.getDataType());
    x = embeddingDropout.forward(ps, new NDList(x), training).head();
    for (PreNormBlock blk : blocks) x = blk.forward(ps, new NDList(x, mask), training).head();
    x = finalNorm.forward(ps, new NDList(x), training).head();
    NDArray logits = head.forward(ps, new NDList(x), training).head();
    return new NDList(n == 0 ? logits : logits.get(new NDIndex(":, {}:, :", n)));
  }
}
