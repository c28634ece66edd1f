package dev.sieve.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.sieve.tokenize.ShardDocs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code sieve train eval}'s measurement: a checkpoint's validation loss per shard, pooled, and per source and language. */
final class ValidationLoss {
  private ValidationLoss() {}

  /**
   * Validation loss per shard of the spec's {@code data.validation} (each packed on its own into
   * {@code seq_length + 1}-token samples, one epoch, the spec's seed), in order, then the pooled
   * loss over all of them ({@code shard = "all"}, token-weighted). A shard with a {@link ShardDocs}
   * sidecar also gets its loss per source and per language: each label token counts for the
   * document it belongs to (a packed sample spans documents); the pooled row's split sums the
   * shards that have one.
   *
   * @param maxBatches batches of {@code batch_size} samples per shard at most; 0 = every sample
   * @throws IllegalArgumentException when the spec has no validation shards, or a sidecar's line
   *     count differs from its shard's document count
   */
  static List<RunModel.ShardLoss> evaluate(RunModel rm, int maxBatches) {
    JobSpec spec = rm.spec();
    if (spec.data.validation.isEmpty()) throw new IllegalArgumentException("the run's spec has no data.validation shards to evaluate on");
    int seq = spec.seqLength();
    NextTokenLoss lossFn = new NextTokenLoss(seq);
    List<RunModel.ShardLoss> out = new ArrayList<>();
    double allSum = 0;
    long allTokens = 0;
    long allSamples = 0;
    LossByGroup allSources = new LossByGroup();
    LossByGroup allLanguages = new LossByGroup();
    for (Path prefix : ShardSet.resolve(spec.data.validation)) {
      double sum = 0;
      long tokens = 0;
      long samples = 0;
      LossByGroup sources = new LossByGroup();
      LossByGroup languages = new LossByGroup();
      try (ShardSet shard = ShardSet.open(List.of(prefix.toString()))) {
        List<ShardDocs.Doc> docs = ShardDocs.read(prefix);
        if (docs != null && docs.size() != shard.documentCount()) {
          throw new IllegalArgumentException(ShardDocs.path(prefix) + " lists " + docs.size() + " documents, the shard holds " + shard.documentCount());
        }
        PackedBatches batches = PackedBatches.oneEpoch(shard, seq, spec.seed);
        long n = batches.samples();
        int rows = spec.batchSize;
        long limit = maxBatches > 0 ? Math.min(n, (long) maxBatches * rows) : n;
        for (long first = 0; first < limit; first += rows) {
          int r = (int) Math.min(rows, limit - first);
          int[][] tok = new int[r][];
          for (int i = 0; i < r; i++) tok[i] = batches.batch(first + i, 1).tokens()[0];
          try (NDManager m = rm.manager().newSubManager()) {
            NextTokenLoss.Tokens t = lossFn.tokens(m, new Batches.Batch(tok, null));
            NDArray logits = rm.logits(m, t.inputs());
            // One NLL per label (r × seq), computed once: the shard's sum and, with a sidecar, its split.
            float[] nll = lossFn.logProbs(m, logits, t).neg().toFloatArray();
            for (float v : nll) sum += v;
            tokens += nll.length;
            if (docs != null) {
              for (int i = 0; i < r; i++) {
                int[] of = batches.documentsOf(first + i);
                for (int j = 0; j < seq; j++) { // label j is token j + 1
                  ShardDocs.Doc d = docs.get(of[j + 1]);
                  sources.add(d.source(), nll[i * seq + j]);
                  languages.add(d.language(), nll[i * seq + j]);
                }
              }
            }
          }
          samples += r;
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot read " + ShardDocs.path(prefix), e);
      }
      out.add(new RunModel.ShardLoss(JobSpec.recordedPath(rm.runDir(), prefix), samples, tokens, tokens == 0 ? Double.NaN : sum / tokens,
          sources.result(), languages.result()));
      allSum += sum;
      allTokens += tokens;
      allSamples += samples;
      allSources.addAll(sources);
      allLanguages.addAll(languages);
    }
    out.add(new RunModel.ShardLoss("all", allSamples, allTokens, allTokens == 0 ? Double.NaN : allSum / allTokens, allSources.result(),
        allLanguages.result()));
    return out;
  }
}
