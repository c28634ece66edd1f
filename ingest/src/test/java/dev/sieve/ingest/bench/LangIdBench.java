package dev.sieve.ingest.bench;

import dev.sieve.ingest.LanguageIdentifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Language ID alone, one thread: {@link LanguageIdentifier#identify} over the labelled sentences
 * of {@code LanguageIdentifierAccuracyTest}, warmed up, then repeated for {@code args[0]} seconds
 * (default 10). Prints {@code sentences seconds sentences_per_s}.
 */
public final class LangIdBench {
  public static void main(String[] args) throws Exception {
    double budget = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    List<String> texts = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        LangIdBench.class.getResourceAsStream("/dev/sieve/ingest/langid/labelled-sentences.tsv"), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) continue;
        texts.add(line.substring(line.indexOf('\t') + 1));
      }
    }
    LanguageIdentifier id = new LanguageIdentifier();
    long sink = 0;
    for (int i = 0; i < 5; i++) for (String t : texts) sink += id.identify(t).language().length();
    long n = 0;
    long start = System.nanoTime();
    double secs;
    do {
      for (String t : texts) sink += id.identify(t).language().length();
      n += texts.size();
      secs = (System.nanoTime() - start) / 1e9;
    } while (secs < budget);
    System.out.printf("%d %.3f %.0f%n", n, secs, n / secs);
    if (sink == 42) System.out.println();
  }
}
