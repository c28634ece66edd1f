package dev.sieve.train;

import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.PointwiseFeedForwardBlock;
import ai.djl.nn.transformer.ScaledDotProductAttentionBlock;
import java.util.List;

/**
 * GPT-2's block (Radford et al. 2019): LayerNorm (over axis 2 only, the embedding: DJL's default
 * axes would mix time steps and leak the future into the past), causal self-attention with biases
 * (DJL's {@link ScaledDotProductAttentionBlock} under the {@code (B, T, T)} 0/1 mask of {@link
 * CausalMasks#mask}), and a 4× GELU MLP ({@link PointwiseFeedForwardBlock}). Inputs {@code x (B, T,
 * E)} and that mask; output {@code (B, T, E)}. Computes in fp32 only (the attention block casts its
 * mask to fp32).
 */
public final class Gpt2Block extends PreNormBlock {
  /** A block over {@code width} channels with {@code heads} heads and dropout rate {@code dropout}. */
  public Gpt2Block(int width, int heads, float dropout) {
    super(LayerNorm.builder().axis(2).build(),
        ScaledDotProductAttentionBlock.builder().setEmbeddingSize(width).setHeadCount(heads).optAttentionProbsDropoutProb(dropout).build(),
        LayerNorm.builder().axis(2).build(),
        new PointwiseFeedForwardBlock(List.of(4 * width), width, Activation::gelu),
        dropout);
  }
}
