package dev.sieve.train;

/**
 * LLaMA's block (Touvron et al. 2023): {@link RmsNorm} (Zhang &amp; Sennrich 2019) before a {@link
 * RopeAttention} (rotary positions, Su et al. 2021) and before a {@link SwiGlu} MLP (Shazeer 2020),
 * no biases. Inputs {@code x (B, T, E)} and the additive {@code (T, T)} mask of {@link
 * CausalMasks#bias}; output {@code (B, T, E)}. Computes in the input's type (fp16 works).
 */
public final class LlamaBlock extends PreNormBlock {
  /** A block over {@code width} channels with {@code heads} heads (even {@code width / heads}) and dropout rate {@code dropout}. */
  public LlamaBlock(int width, int heads, float dropout) {
    super(new RmsNorm(width), new RopeAttention(width, heads), new RmsNorm(width), new SwiGlu(width), dropout);
  }
}
