package dev.sieve.cli;

import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.generate.CorpusGenerator;
import dev.sieve.generate.GenerateSettings;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sieve generate}: a deterministic synthetic corpus with ground truth (no Spark needed). */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Write a synthetic corpus (WARC, WET, WuDao JSON, JSONL in en, zh, de, fr, es, ru) and its ground truth.",
        "The same --seed always gives byte-identical files."})
final class GenerateCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--docs", paramLabel = "N", description = "Number of documents (default: generate.docs, built in: " + GenerateSettings.DEFAULT_DOCS + ").")
  Long docs;

  @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: generate.seed, built in: " + GenerateSettings.DEFAULT_SEED + ").")
  Long seed;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config (the generate: section is used).")
  Path config;

  @Override
  public Integer call() throws Exception {
    SieveConfig cfg = SieveConfig.load(config);
    GenerateSettings s = cfg.section("generate", GenerateSettings.class);
    if (docs != null) {
      if (docs < 1) throw new ConfigException("bad value for '--docs': " + docs + " (must be at least 1)");
      s.docs = docs;
    }
    if (seed != null) s.seed = seed;
    var err = spec.commandLine().getErr();
    long t0 = System.nanoTime();
    CorpusGenerator.Result r = new CorpusGenerator(s).generate(out, n -> {
      double secs = (System.nanoTime() - t0) / 1e9;
      err.printf("\rgenerate: %,d / %,d documents (%,.0f docs/s)", n, s.docs, n / Math.max(secs, 1e-9));
      err.flush();
    });
    if (s.docs >= 10_000) err.println();
    double secs = (System.nanoTime() - t0) / 1e9;
    var o = spec.commandLine().getOut();
    o.printf("generated %,d documents (+%,d non-HTML records) into %s in %.1f s%n", r.documents(), r.nonHtml(), out, secs);
    o.printf("  formats:    %s%n", r.byFormat());
    o.printf("  languages:  %s%n", r.byLanguage());
    o.printf("  quality:    %s%n", r.byQuality());
    o.printf("  duplicates: %,d exact, %,d near; PII spans: %,d%n", r.exactDuplicates(), r.nearDuplicates(), r.piiSpans());
    o.printf("  ground truth: %s, manifest: %s%n", out.resolve("_ground-truth.jsonl.gz"), out.resolve("_manifest.json"));
    return ExitCodes.OK;
  }
}
