package dev.sieve.tokenize.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.sieve.generate.CorpusGenerator;
import dev.sieve.generate.GenerateSettings;
import dev.sieve.tokenize.IndexedDatasetWriter;
import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.Tokenizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bench/tokenize}: one thread, the JSONL and WuDao documents of a generated corpus (six
 * languages): Sieve's per-document path (TokenizerAdapter over jtokkit cl100k_base, then the
 * Megatron shard writer with SHA-256 of the output) against a bare jtokkit {@code encodeOrdinary}
 * loop over the same texts. Median of 3 passes after a warm-up. Args: corpus folder, documents.
 */
public final class TokenizeBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TokenizeBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    GenerateSettings g = new GenerateSettings();
    g.docs = Long.parseLong(args[1]);
    g.seed = 9;
    if (!Files.exists(dir.resolve("_manifest.json"))) new CorpusGenerator(g).generate(dir, null);
    List<String> texts = texts(dir);
    Encoding bare = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    Path out = Files.createTempDirectory("sieve-bench-tokenize");
    double[] sieve = new double[3];
    double[] baseline = new double[3];
    long tokens = 0, bareTokens = 0;
    try (TokenizerAdapter tok = Tokenizers.open("tiktoken:cl100k_base")) {
      for (int pass = -1; pass < 3; pass++) {
        long t0 = System.nanoTime();
        IndexedDatasetWriter w = IndexedDatasetWriter.open(out.resolve("part-" + (pass + 1)), tok);
        for (String t : texts) w.addDocument(tok.encode(t));
        tokens = w.finish().tokens();
        double s = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        bareTokens = 0;
        for (String t : texts) bareTokens += bare.encodeOrdinary(t).size();
        double b = (System.nanoTime() - t0) / 1e9;
        if (pass >= 0) {
          sieve[pass] = s;
          baseline[pass] = b;
          System.out.printf("pass %d: tokenize+write %.2f s (%,d tokens incl. end-of-text), bare jtokkit %.2f s (%,d tokens)%n", pass + 1, s,
              tokens, b, bareTokens);
        }
      }
    }
    double sieveRate = tokens / median(sieve);
    double bareRate = bareTokens / median(baseline);
    System.out.printf("corpus: %,d documents; tokenize+write %.0f tokens/s per core, bare jtokkit %.0f tokens/s per core%n", texts.size(),
        sieveRate, bareRate);
    System.out.printf("BENCH tokenize tokens_per_s_per_core=%.0f ratio_vs_bare=%.2f bare_tokens_per_s=%.0f%n", sieveRate, sieveRate / bareRate, bareRate);
  }

  static List<String> texts(Path corpus) throws Exception {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(corpus.resolve("jsonl"))) {
      for (Path f : files.sorted().toList()) {
        for (String line : Files.readAllLines(f)) out.add(JSON.readTree(line).get("text").asText());
      }
    }
    try (Stream<Path> files = Files.list(corpus.resolve("wudao"))) {
      for (Path f : files.sorted().toList()) {
        try (JsonParser p = JSON.getFactory().createParser(f.toFile())) {
          p.nextToken();
          while (p.nextToken() == JsonToken.START_OBJECT) {
            JsonNode n = JSON.readTree(p);
            out.add(n.get("content").asText());
          }
        }
      }
    }
    return out;
  }

  static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
