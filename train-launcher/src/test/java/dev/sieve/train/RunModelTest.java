package dev.sieve.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.tokenize.IndexedDatasetWriter;
import dev.sieve.tokenize.ShardDocs;
import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sampling and evaluation of a trained run: tiny models trained for a few steps on CPU. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunModelTest {
  static final String MEMO = "the cat sees the ball in the garden.";
  @TempDir static Path tmp;
  String tok;
  Path memo;
  Path valid;

  @BeforeAll
  void data() throws IOException {
    Trainer.configureEngine();
    tok = TrainFixtures.tokenizer(tmp.resolve("tok"));
    memo = tmp.resolve("shards/memo");
    try (TokenizerAdapter t = Tokenizers.open(tok); IndexedDatasetWriter w = IndexedDatasetWriter.open(memo, t)) {
      for (int i = 0; i < 40; i++) w.addDocument(t.encode(MEMO));
      w.finish();
    }
    valid = tmp.resolve("shards/valid");
    TrainFixtures.shard(valid, tok, 2, 30);
    Files.createDirectories(tmp.resolve("shards/valid2"));
    TrainFixtures.shard(tmp.resolve("shards/valid2/part-00000"), tok, 3, 20);
    // valid2's per-document sidecar, as tokenize writes it: documents 0, 3, 6, ... from "books" in zh, the rest "web" in en.
    try (ShardDocs.Writer w = new ShardDocs.Writer(tmp.resolve("shards/valid2/part-00000"))) {
      for (int i = 0; i < 20; i++) w.add(i % 3 == 0 ? "books" : "web", i % 3 == 0 ? "zh" : "en");
    }
  }

  /** A 1-layer model trained to memorise one sentence (every document is that sentence). */
  Path memorised(GptModel.Style style) throws IOException {
    Path run = tmp.resolve("lake/runs/memo-" + style.key);
    if (Files.isDirectory(run.resolve("checkpoints"))) return run;
    Files.createDirectories(run);
    String yaml = "tokenizer: " + tok + "\n"
        + "model: {layers: 1, width: 32, heads: 2, context_length: 16, vocab_size: 0, block: " + style.key + "}\n"
        + "data: {shards: [" + memo + "], validation: [" + valid + ", " + tmp.resolve("shards/valid2") + "]}\n"
        + "optimizer: {peak_lr: 1.0e-2, min_lr: 1.0e-3, warmup_steps: 5, weight_decay: 0.0}\n"
        + "batch_size: 4\nmax_steps: 60\ncheckpoint_interval: 60\neval_interval: 0\nseed: 7\ndevice: cpu\n";
    Files.writeString(run.resolve("spec.yaml"), yaml);
    try (Trainer t = new Trainer(JobSpec.load(run.resolve("spec.yaml")), run)) {
      t.run();
    }
    return run;
  }

  @ParameterizedTest
  @EnumSource(GptModel.Style.class)
  void greedyDecodingReproducesAMemorisedSentenceAndStopsAtEndOfText(GptModel.Style style) throws IOException {
    try (RunModel m = RunModel.open(memorised(style), null)) {
      assertEquals(60, m.step());
      assertEquals(style, m.model().style());
      RunModel.Generation g = m.generate("the cat", 30, new Sampler(0, 0), 1);
      assertEquals(" sees the ball in the garden.", g.text());
      assertTrue(g.stoppedAtEndOfText(), "the sentence ends every document, so end-of-text follows it");
    }
  }

  @Test
  void aFixedSeedGivesTheSameSampleAndAnotherSeedAnother() throws IOException {
    try (RunModel m = RunModel.open(memorised(GptModel.Style.GPT2), null)) {
      Sampler hot = new Sampler(5.0, 0); // hot enough that the memorised sentence does not dominate
      RunModel.Generation a = m.generate("the", 12, hot, 123);
      RunModel.Generation b = m.generate("the", 12, hot, 123);
      assertArrayEquals(a.newTokens(), b.newTokens());
      assertEquals(a.text(), b.text());
      Set<String> others = new HashSet<>();
      for (long seed = 1; seed <= 5; seed++) others.add(m.generate("the", 12, hot, seed).text());
      assertTrue(others.size() > 1, "different seeds should give different samples: " + others);
    }
  }

  @Test
  void evaluationGivesALossPerValidationShardAndThePooledLoss() throws IOException {
    try (RunModel m = RunModel.open(memorised(GptModel.Style.GPT2), null)) {
      List<RunModel.ShardLoss> all = m.evaluate(0);
      assertEquals(3, all.size(), "two shards and the pooled row: " + all);
      assertEquals("all", all.get(2).shard());
      assertTrue(all.get(0).shard().endsWith("shards/valid"), all.get(0).shard());
      assertTrue(all.get(1).shard().endsWith("shards/valid2/part-00000"), all.get(1).shard());
      long tokens = all.get(0).tokens() + all.get(1).tokens();
      assertEquals(tokens, all.get(2).tokens());
      assertEquals(all.get(0).samples() * 16, all.get(0).tokens(), "every label of every sample counts");
      double pooled = (all.get(0).loss() * all.get(0).tokens() + all.get(1).loss() * all.get(1).tokens()) / tokens;
      assertEquals(pooled, all.get(2).loss(), 1e-9);
      for (RunModel.ShardLoss s : all) {
        assertTrue(s.loss() > 0 && Double.isFinite(s.loss()), s.toString());
        assertEquals(Math.exp(s.loss()), s.perplexity(), 1e-9);
      }
      // Per source and language, from valid2's sidecar: every label token counted once, for its document.
      assertEquals(Map.of(), all.get(0).bySource(), "valid has no sidecar");
      RunModel.ShardLoss v2 = all.get(1);
      assertEquals(java.util.Set.of("books", "web"), v2.bySource().keySet());
      assertEquals(java.util.Set.of("en", "zh"), v2.byLanguage().keySet());
      // Expected from the packer's stream order alone: labels are the stream's tokens 1 .. samples·16 (seq 16, seed 7).
      long[] labels = new long[2]; // books, web
      try (dev.sieve.tokenize.IndexedDataset d = dev.sieve.tokenize.IndexedDataset.open(tmp.resolve("shards/valid2/part-00000"))) {
        dev.sieve.tokenize.SamplePacker p = dev.sieve.tokenize.SamplePacker.oneEpoch(d, 16, 7);
        long last = p.numSamples() * 16;
        long pos = 0;
        for (int k = 0; k < d.sequenceCount(); k++) {
          int doc = p.documentAt(k);
          for (int t = 0; t < d.length(doc); t++, pos++) if (pos >= 1 && pos <= last) labels[doc % 3 == 0 ? 0 : 1]++;
        }
      }
      long grouped = 0;
      double weighted = 0;
      for (Map.Entry<String, RunModel.GroupLoss> e : v2.bySource().entrySet()) {
        assertEquals(labels[e.getKey().equals("books") ? 0 : 1], e.getValue().tokens(), e.getKey());
        assertEquals(v2.byLanguage().get(e.getKey().equals("books") ? "zh" : "en"), e.getValue(), "books are the zh documents");
        grouped += e.getValue().tokens();
        weighted += e.getValue().loss() * e.getValue().tokens();
      }
      assertEquals(v2.tokens(), grouped);
      assertEquals(v2.loss(), weighted / grouped, 1e-4, "the groups' token-weighted mean is the shard's loss");
      assertEquals(v2.bySource(), all.get(2).bySource(), "the pooled split sums the shards with a sidecar");

      // Capped at one batch of 4 samples per shard.
      List<RunModel.ShardLoss> one = m.evaluate(1);
      assertEquals(4, one.get(0).samples());
      assertEquals(4, one.get(1).samples());
      assertEquals(4 * 16, one.get(1).bySource().values().stream().mapToLong(RunModel.GroupLoss::tokens).sum());

      // A sidecar that does not match its shard is an error naming it, not a silent misattribution.
      Path wrong = ShardDocs.path(valid);
      Files.writeString(wrong, "web\ten\n");
      try {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.evaluate(1));
        assertTrue(e.getMessage().contains("lists 1 documents, the shard holds 30"), e.getMessage());
      } finally {
        Files.delete(wrong);
      }
    }
  }

  @Test
  void samplerGreedyTopKAndTemperature() {
    float[] logits = {0.1f, 2.0f, -1f, 1.9f, 2.0f};
    Random r = new Random(1);
    assertEquals(1, new Sampler(0, 0).next(logits, r), "greedy: the arg max, lowest id on ties");
    Sampler top2 = new Sampler(1.0, 2);
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) seen.add(top2.next(logits, r));
    assertEquals(Set.of(1, 4), seen, "top-2 keeps the two largest logits only");
    Sampler cold = new Sampler(0.01, 0);
    for (int i = 0; i < 100; i++) assertTrue(Set.of(1, 4).contains(cold.next(logits, r)), "near-zero temperature is near greedy");
    int[] counts = new int[5];
    Sampler warm = new Sampler(1.0, 0);
    Random seeded = new Random(5);
    for (int i = 0; i < 20000; i++) counts[warm.next(logits, seeded)]++;
    double z = 0;
    for (float l : logits) z += Math.exp(l);
    for (int i = 0; i < 5; i++) assertEquals(Math.exp(logits[i]) / z, counts[i] / 20000.0, 0.015, "softmax share of id " + i);
    assertThrows(IllegalArgumentException.class, () -> new Sampler(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sampler(1, -1));
    assertFalse(new Sampler(0, 0).next(new float[] {1f}, r) != 0);
  }
}
