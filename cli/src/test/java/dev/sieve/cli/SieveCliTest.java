package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sieve command's contract: subcommands, exit codes, one-line errors that name the bad key. */
class SieveCliTest {
  record Run(int code, String out, String err) {}

  static Run sieve(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Sieve.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpListsRealCommandsOnly() {
    Run r = sieve("--help");
    assertEquals(0, r.code());
    for (String c : new String[] {"generate", "ingest", "filter", "pipeline", "sql", "config"}) assertTrue(r.out().contains("  " + c + " "), r.out());
    assertTrue(r.out().contains("Exit codes: 0 done, 1 failure, 2 bad usage or config."));
  }

  /**
   * Decontaminate without benchmarks (the default, and what the Airflow task meets) is not an
   * error: it says so and exits 0, before any Spark session; a bad decontaminate key is exit 2.
   */
  @Test
  void decontaminateWithoutBenchmarksIsANoteAndBadKeysAreExitCode2(@TempDir Path dir) throws Exception {
    Run r = sieve("decontaminate", "--lake", dir.resolve("lake").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("no benchmarks configured (decontaminate.benchmarks): nothing to do; tokenize reads silver/clean"), r.out());
    assertTrue(sieve("--help").out().contains("  decontaminate "));
    Path cfg = dir.resolve("sieve.yaml");
    Files.writeString(cfg, "decontaminate:\n  policy: erase\n");
    Run bad = sieve("decontaminate", "--config", cfg.toString(), "--lake", dir.resolve("lake").toString());
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("bad value for 'decontaminate.policy': erase (drop or cut)"), bad.err());
  }

  @Test
  void badUsageIsExitCode2() {
    assertEquals(2, sieve("frobnicate").code());
    Run r = sieve("generate", "--docs", "10");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Missing required option: '--out=DIR'"), r.err());
    assertEquals(2, sieve("generate", "--out", "x", "--docs", "ten").code());
  }

  @Test
  void badConfigKeyIsExitCode2AndNamed(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("sieve.yaml");
    Files.writeString(cfg, "generate:\n  docz: 5\n");
    Run r = sieve("config", "--config", cfg.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("sieve: unknown config key 'generate.docz' (known: "), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());

    Run g = sieve("generate", "--config", cfg.toString(), "--out", dir.resolve("out").toString());
    assertEquals(2, g.code());
    assertTrue(g.err().contains("'generate.docz'"), g.err());
    assertTrue(Files.notExists(dir.resolve("out")), "nothing written on a config error");

    Files.writeString(cfg, "generate:\n  pii_rate: 1.5\n");
    r = sieve("config", "--config", cfg.toString());
    assertEquals(2, r.code());
    assertEquals("sieve: bad value for 'generate.pii_rate': 1.5 (must be between 0.0 and 1.0)", r.err().strip());

    Files.writeString(cfg, "generate:\n  docs: many\n");
    r = sieve("config", "--config", cfg.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("sieve: bad value for 'generate.docs'"), r.err());

    Files.writeString(cfg, "dedupe:\n  x: 1\n");
    r = sieve("config", "--config", cfg.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("sieve: unknown config section 'dedupe'"), r.err());

  }

  @Test
  void configPrintsResolvedDefaults() {
    Run r = sieve("config");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("docs_per_file: 10000"), r.out());
    assertTrue(r.out().contains("app_name: \"sieve\""), r.out());
  }

  @Test
  void generateWritesCorpus(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("corpus");
    Run r = sieve("generate", "--out", out.toString(), "--docs", "60", "--seed", "3");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("generated 60 documents"), r.out());
    assertTrue(Files.exists(out.resolve("_manifest.json")));
    assertTrue(Files.exists(out.resolve("_ground-truth.jsonl.gz")));
  }

  @Test
  void trainClassifierFromFiles(@TempDir Path dir) throws Exception {
    StringBuilder pos = new StringBuilder(), neg = new StringBuilder();
    for (int i = 0; i < 60; i++) {
      pos.append("The committee reviewed the evidence carefully and published a detailed report on topic ").append(i).append(".\n");
      neg.append("BUY NOW cheap pills ").append(i).append(" click here free money win win win!!!\n");
    }
    Files.writeString(dir.resolve("pos.txt"), pos);
    Files.writeString(dir.resolve("neg.txt"), neg);
    Path model = dir.resolve("m/quality.bin");
    Run r = sieve("filter", "train-classifier", "--lake", dir.resolve("lake").toString(), "--run-id", "train-1",
        "--positives", dir.resolve("pos.txt").toString(), "--negatives", dir.resolve("neg.txt").toString(), "--out", model.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("60 positives, 60 negatives; held out 12"), r.out());
    assertTrue(r.out().contains("F1 1.000"), r.out());
    assertTrue(Files.size(model) > 0);
    Run runs = sieve("sql", "--lake", dir.resolve("lake").toString(), "--json",
        "SELECT stage, status, counts['f1_bp'] AS f1_bp FROM sieve_stage_runs WHERE run_id = 'train-1'");
    assertEquals("{\"stage\":\"filter-train\",\"status\":\"SUCCEEDED\",\"f1_bp\":10000}", runs.out().strip());
    assertEquals(2, sieve("filter", "train-classifier", "--positives", dir.resolve("pos.txt").toString()).code(), "no negatives");
  }
}
