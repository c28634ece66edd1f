package dev.sieve.pii.bench;

import dev.sieve.core.bench.CpuClock;
import dev.sieve.pii.PiiCorpus;
import dev.sieve.pii.PiiInput;
import dev.sieve.pii.PiiScrubber;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench/pii}: the default scrubber chain (every kind, libphonenumber included), one thread,
 * over the JSONL and WuDao documents of a generated corpus (six languages, 15% of documents with
 * planted PII), against a bare loop that only runs one e-mail regex over the same text (the
 * least any scrubber does). Median of 3 passes after a warm-up pass. Args: corpus folder,
 * generated document count.
 */
public final class PiiBench {
  private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+");

  private PiiBench() {}

  public static void main(String[] args) throws Exception {
    PiiCorpus corpus = PiiCorpus.generate(Path.of(args[0]), Long.parseLong(args[1]), 5);
    long bytes = 0;
    for (PiiCorpus.Doc d : corpus.docs) bytes += d.text().getBytes(StandardCharsets.UTF_8).length;
    double mb = bytes / 1e6;
    System.out.printf("corpus: %,d documents, %.1f MB of text%n", corpus.docs.size(), mb);
    PiiScrubber scrubber = PiiScrubber.defaults();
    double[] chain = new double[3];
    double[] bare = new double[3];
    long spans = 0, matches = 0;
    for (int pass = -1; pass < 3; pass++) {
      long t0 = CpuClock.nanos();
      spans = 0;
      for (PiiCorpus.Doc d : corpus.docs) spans += scrubber.scrub(new PiiInput(d.text(), d.lang(), null)).total();
      double s = (CpuClock.nanos() - t0) / 1e9;
      t0 = CpuClock.nanos();
      matches = 0;
      for (PiiCorpus.Doc d : corpus.docs) {
        Matcher m = EMAIL.matcher(d.text());
        while (m.find()) matches++;
      }
      double b = (CpuClock.nanos() - t0) / 1e9;
      if (pass >= 0) {
        chain[pass] = s;
        bare[pass] = b;
        System.out.printf("pass %d: chain %.2f s (%,d spans), bare e-mail regex %.2f s (%,d matches)%n", pass + 1, s, spans, b, matches);
      }
    }
    double chainMbs = mb / median(chain);
    double bareMbs = mb / median(bare);
    System.out.printf("chain %.1f MB/s per core, bare regex %.1f MB/s per core%n", chainMbs, bareMbs);
    System.out.printf("BENCH pii mb_per_s_per_core=%.1f bare_regex_mb_per_s=%.1f ratio_vs_bare=%.2f spans=%d%n", chainMbs, bareMbs,
        chainMbs / bareMbs, spans);
  }

  static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
