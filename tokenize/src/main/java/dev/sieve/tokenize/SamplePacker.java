package dev.sieve.tokenize;

import java.util.SplittableRandom;

/**
 * Packs documents into fixed-length training samples the way Megatron-LM's {@code GPTDataset}
 * does, so that one set of shards serves any context length:
 *
 * <ol>
 *   <li>document order: every epoch is a permutation of all documents, shuffled with a PRNG
 *       seeded from {@code (seed, epoch)}; the epochs are concatenated into one token stream;
 *   <li>sample index: sample {@code k} is the {@code seqLength + 1} tokens starting at token
 *       {@code k · seqLength} of that stream (inputs are the first {@code seqLength}, labels the
 *       last {@code seqLength}; consecutive samples share one token), crossing document
 *       boundaries freely (documents end with the end-of-text token);
 *   <li>shuffle index: samples are served in an order shuffled with a PRNG seeded from {@code seed}.
 * </ol>
 *
 * As many epochs are stepped through as {@code numSamples} needs; with one epoch ({@link
 * #oneEpoch}) the samples cover every token of the epoch once, except fewer than {@code
 * seqLength} at the end. Everything depends only on the source's lengths, {@code seqLength},
 * {@code numSamples} and {@code seed}; the index costs 8 bytes per sample and 4 per document and
 * epoch.
 */
public final class SamplePacker {
  private final TokenSource source;
  private final int seqLength;
  private final long numSamples;
  private final int epochs;
  private final int[] docOrder; // epochs × documents, as indices into source
  private final int[] startDoc; // per sample (unshuffled): position in docOrder
  private final int[] startOffset; // per sample: token offset in that document
  private final long[] shuffle; // served index → unshuffled sample

  public SamplePacker(TokenSource source, int seqLength, long numSamples, long seed) {
    if (seqLength < 1) throw new IllegalArgumentException("seqLength must be at least 1");
    if (numSamples < 0 || numSamples > Integer.MAX_VALUE) throw new IllegalArgumentException("numSamples out of range: " + numSamples);
    this.source = source;
    this.seqLength = seqLength;
    this.numSamples = numSamples;
    int docs = source.documentCount();
    long tokensPerEpoch = 0;
    for (int d = 0; d < docs; d++) tokensPerEpoch += source.length(d);
    if (numSamples > 0 && tokensPerEpoch == 0) throw new IllegalArgumentException("the source has no tokens");
    // Enough epochs that numSamples · seqLength + 1 tokens exist.
    long needed = numSamples * seqLength + 1;
    int e = numSamples == 0 ? 0 : (int) ((needed + tokensPerEpoch - 1) / tokensPerEpoch);
    if ((long) e * docs > Integer.MAX_VALUE) throw new IllegalArgumentException("too many epochs × documents: " + e + " × " + docs);
    this.epochs = e;
    docOrder = new int[e * docs];
    for (int ep = 0; ep < e; ep++) {
      int base = ep * docs;
      for (int d = 0; d < docs; d++) docOrder[base + d] = d;
      shuffle(docOrder, base, docs, new SplittableRandom(mix(seed, 1 + ep)));
    }
    startDoc = new int[(int) numSamples];
    startOffset = new int[(int) numSamples];
    int pos = 0;
    int off = 0;
    for (int k = 0; k < numSamples; k++) {
      // Move to token k · seqLength: skip whole documents first.
      while (pos < docOrder.length && off >= source.length(docOrder[pos])) {
        off -= source.length(docOrder[pos]);
        pos++;
      }
      startDoc[k] = pos;
      startOffset[k] = off;
      off += seqLength;
    }
    shuffle = new long[(int) numSamples];
    for (int k = 0; k < numSamples; k++) shuffle[k] = k;
    SplittableRandom r = new SplittableRandom(mix(seed, 0));
    for (int i = (int) numSamples - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      long t = shuffle[i];
      shuffle[i] = shuffle[j];
      shuffle[j] = t;
    }
  }

  /** Packs one epoch: as many samples as its tokens allow ({@code (tokens - 1) / seqLength}). */
  public static SamplePacker oneEpoch(TokenSource source, int seqLength, long seed) {
    long tokens = 0;
    for (int d = 0; d < source.documentCount(); d++) tokens += source.length(d);
    return new SamplePacker(source, seqLength, Math.max(0, (tokens - 1) / seqLength), seed);
  }

  private static long mix(long seed, long stream) {
    long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void shuffle(int[] a, int from, int len, SplittableRandom r) {
    for (int i = len - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[from + i];
      a[from + i] = a[from + j];
      a[from + j] = t;
    }
  }

  public long numSamples() {
    return numSamples;
  }

  public int seqLength() {
    return seqLength;
  }

  /** Epochs the samples step through. */
  public int epochs() {
    return epochs;
  }

  /** The document (source index) at position {@code i} of the epoch-concatenated order. */
  public int documentAt(int i) {
    return docOrder[i];
  }

  /** Sample {@code i} in served (shuffled) order: {@code seqLength + 1} tokens. */
  public int[] sample(long i) {
    return unshuffledSample((int) shuffle[(int) i]);
  }

  /** Sample {@code k} in stream order (before the shuffle). */
  public int[] unshuffledSample(int k) {
    int[] out = new int[seqLength + 1];
    walk(k, out, null);
    return out;
  }

  /**
   * The document (index into the source) of each of the {@code seqLength + 1} tokens of sample
   * {@code i} in served order: what a per-document attribution of the sample's losses needs.
   */
  public int[] sampleDocuments(long i) {
    int[] docs = new int[seqLength + 1];
    walk((int) shuffle[(int) i], null, docs);
    return docs;
  }

  /** Fills the tokens ({@code tokens}, when not null) and their documents ({@code docs}, when not null) of unshuffled sample {@code k}. */
  private void walk(int k, int[] tokens, int[] docs) {
    int n = seqLength + 1;
    int pos = startDoc[k];
    int off = startOffset[k];
    int filled = 0;
    while (filled < n) {
      int doc = docOrder[pos];
      int take = Math.min(n - filled, source.length(doc) - off);
      if (take > 0) {
        if (tokens != null) source.read(doc, off, tokens, filled, take);
        if (docs != null) java.util.Arrays.fill(docs, filled, filled + take, doc);
      }
      filled += Math.max(0, take);
      pos++;
      off = 0;
    }
  }
}
