package dev.sieve.train;

import dev.sieve.tokenize.IndexedDataset;
import java.nio.file.Path;
import java.util.List;

/** Statistics of token shards that put a training loss in context. */
public final class TokenStats {
  private TokenStats() {}

  /** Tokens read at most: enough for a stable estimate, and submit never scans a whole corpus. */
  public static final long MAX_TOKENS = 50_000_000L;

  /**
   * Unigram entropy (nats per token) of the tokens of some shards: the cross-entropy of the best
   * model that ignores context, the bar a language model must clear to have learned anything.
   * Reads the first {@link #MAX_TOKENS} tokens at most.
   */
  public static double unigramEntropy(List<String> prefixes, int vocabSize) {
    long[] counts = new long[vocabSize];
    long total = 0;
    for (String prefix : prefixes) {
      if (total >= MAX_TOKENS) break;
      try (IndexedDataset d = IndexedDataset.open(Path.of(prefix))) {
        int[] buf = new int[0];
        for (int s = 0; s < d.sequenceCount() && total < MAX_TOKENS; s++) {
          int n = d.length(s);
          if (buf.length < n) buf = new int[n];
          d.read(s, 0, buf, 0, n);
          for (int i = 0; i < n; i++) counts[buf[i]]++;
          total += n;
        }
      }
    }
    double h = 0;
    for (long c : counts) {
      if (c == 0) continue;
      double p = (double) c / total;
      h -= p * Math.log(p);
    }
    return h;
  }
}
