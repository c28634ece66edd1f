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
 * A GPT-style decoder from DJL blocks: token + learned position embeddings, {@code layers}
 * pre-LN blocks ({@code x + attn(LN(x))}, then {@code x + MLP(LN(x))}) with causal
 * self-attention ({@link ScaledDotProductAttentionBlock} under a lower-triangular mask) and a 4×
 * GELU MLP ({@link PointwiseFeedForwardBlock}), a final LayerNorm and an output projection to the
 * vocabulary. Every LayerNorm normalises over axis 2 only (the embedding): DJL's default axes
 * would mix time steps and leak the future into the past.
 *
 * <p>Input: token ids {@code (B, T)} as int64, {@code T <= context_length}; output: logits
 * {@code (B, T, V)}. Weights start from N(0, 0.02) (GPT-2's initialisation); biases at 0,
 * LayerNorm at (1, 0).
 */
public final class GptModel extends AbstractBlock {
  private final int vocab;
  private final int width;
  private final int context;
  private final float dropout;
  private final Parameter tokenEmbedding;
  private final Parameter positionEmbedding;
  private final List<DecoderBlock> blocks = new ArrayList<>();
  private final LayerNorm finalNorm;
  private final Linear head;
  private final Dropout embeddingDropout;

  public GptModel(int layers, int width, int heads, int context, int vocab, float dropout) {
    this.vocab = vocab;
    this.width = width;
    this.context = context;
    this.dropout = dropout;
    tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(vocab, width)).build());
    positionEmbedding = addParameter(Parameter.builder().setName("position_embedding").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(context, width)).build());
    embeddingDropout = addChildBlock("embedding_dropout", Dropout.builder().optRate(dropout).build());
    for (int i = 0; i < layers; i++) blocks.add(addChildBlock("block" + i, new DecoderBlock(width, heads, dropout)));
    finalNorm = addChildBlock("final_norm", LayerNorm.builder().axis(2).build());
    head = addChildBlock("head", Linear.builder().setUnits(vocab).optBias(false).build());
    setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
  }

  public static GptModel of(JobSpec.Model m, int vocab) {
    return new GptModel(m.layers, m.width, m.heads, m.contextLength, vocab, (float) m.dropout);
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
   * Parameters of a spec's model without building it: embeddings {@code (V + C)·E}, per block
   * 4 attention projections {@code 4(E² + E)}, MLP {@code 8E² + 5E}, two LayerNorms {@code 4E},
   * final LayerNorm {@code 2E}, head {@code E·V}.
   */
  public static long parameterCount(int layers, int width, int context, int vocab) {
    long e = width;
    long perBlock = 4 * (e * e + e) + (8 * e * e + 5 * e) + 4 * e;
    return (long) vocab * e + context * e + layers * perBlock + 2 * e + e * vocab;
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
    for (DecoderBlock blk : blocks) blk.initialize(manager, dataType, hidden, new Shape(b, t, t));
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

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray tokens = inputs.head();
    int b = (int) tokens.getShape().get(0);
    int t = (int) tokens.getShape().get(1);
    if (t > context) throw new IllegalArgumentException("sequence of " + t + " tokens exceeds the context length " + context);
    NDManager manager = tokens.getManager();
    NDArray tokW = ps.getValue(tokenEmbedding, tokens.getDevice(), training);
    NDArray posW = ps.getValue(positionEmbedding, tokens.getDevice(), training);
    NDArray x = Embedding.embedding(tokens, tokW, SparseFormat.DENSE).head();
    x = x.add(posW.get(new NDIndex("0:{}", t)));
    x = embeddingDropout.forward(ps, new NDList(x), training).head();
    NDArray mask = causalMask(manager, b, t).toType(x.getDataType(), false);
    for (DecoderBlock blk : blocks) x = blk.forward(ps, new NDList(x, mask), training).head();
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
}
