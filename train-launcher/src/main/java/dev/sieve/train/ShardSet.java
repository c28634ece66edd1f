package dev.sieve.train;

import dev.sieve.tokenize.IndexedDataset;
import dev.sieve.tokenize.TokenSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Several Megatron shards ({@code .bin}/{@code .idx} prefixes, or folders of them) read as one
 * {@link TokenSource}: their documents concatenated in the order given (folders sorted by name).
 */
public final class ShardSet implements TokenSource, AutoCloseable {
  private final List<IndexedDataset> datasets = new ArrayList<>();
  private final List<Path> prefixes;
  private final int[] firstDoc;
  private final int documents;

  private ShardSet(List<Path> prefixes) {
    this.prefixes = prefixes;
    firstDoc = new int[prefixes.size() + 1];
    long total = 0;
    for (int i = 0; i < prefixes.size(); i++) {
      IndexedDataset d = IndexedDataset.open(prefixes.get(i));
      datasets.add(d);
      firstDoc[i] = (int) total;
      total += d.documentCount();
      if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("more than 2^31 documents in " + prefixes);
    }
    firstDoc[prefixes.size()] = (int) total;
    documents = (int) total;
  }

  /** Opens every shard named by {@code specs}: each a prefix or a folder holding {@code *.idx} files. */
  public static ShardSet open(List<String> specs) {
    return new ShardSet(resolve(specs));
  }

  public static List<Path> resolve(List<String> specs) {
    List<Path> out = new ArrayList<>();
    for (String s : specs) {
      Path p = Path.of(s);
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.list(p)) {
          files.filter(f -> f.getFileName().toString().endsWith(".idx")).sorted()
              .forEach(f -> out.add(f.resolveSibling(f.getFileName().toString().replaceAll("\\.idx$", ""))));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else {
        out.add(p);
      }
    }
    if (out.isEmpty()) throw new IllegalArgumentException("no shards found in " + specs);
    return out;
  }

  public List<Path> prefixes() {
    return prefixes;
  }

  public long totalTokens() {
    long t = 0;
    for (IndexedDataset d : datasets) t += d.totalTokens();
    return t;
  }

  /** One more than the largest token id (reads every token). */
  public int maxTokenId() {
    int max = -1;
    int[] buf = new int[0];
    for (int doc = 0; doc < documents; doc++) {
      int len = length(doc);
      if (buf.length < len) buf = new int[len];
      read(doc, 0, buf, 0, len);
      for (int k = 0; k < len; k++) max = Math.max(max, buf[k]);
    }
    return max;
  }

  private int shardOf(int doc) {
    int lo = 0;
    int hi = datasets.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (firstDoc[mid] <= doc) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  @Override
  public int documentCount() {
    return documents;
  }

  @Override
  public int length(int doc) {
    int s = shardOf(doc);
    return datasets.get(s).length(doc - firstDoc[s]);
  }

  @Override
  public void read(int doc, int offset, int[] dst, int dstPos, int len) {
    int s = shardOf(doc);
    datasets.get(s).read(doc - firstDoc[s], offset, dst, dstPos, len);
  }

  @Override
  public void close() {
    for (IndexedDataset d : datasets) d.close();
  }
}
