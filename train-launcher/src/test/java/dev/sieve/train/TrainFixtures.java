package dev.sieve.train;

import dev.sieve.tokenize.BpeTrainer;
import dev.sieve.tokenize.IndexedDataset;
import dev.sieve.tokenize.IndexedDatasetWriter;
import dev.sieve.tokenize.TokenizerAdapter;
import dev.sieve.tokenize.Tokenizers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A tiny byte-level BPE tokenizer and synthetic shards of repetitive, structured English. */
final class TrainFixtures {
  static final String[] SUBJECTS = {"the cat", "a dog", "the bird", "my friend", "the teacher", "a child"};
  static final String[] VERBS = {"sees", "likes", "finds", "takes", "wants"};
  static final String[] OBJECTS = {"the ball", "a red apple", "the old book", "some water", "the green door"};
  static final String[] PLACES = {"in the garden", "at home", "near the river", "on the hill"};

  private TrainFixtures() {}

  static String sentence(SplittableRandom r) {
    return SUBJECTS[r.nextInt(SUBJECTS.length)] + " " + VERBS[r.nextInt(VERBS.length)] + " "
        + OBJECTS[r.nextInt(OBJECTS.length)] + " " + PLACES[r.nextInt(PLACES.length)] + ".";
  }

  static List<String> documents(long seed, int docs) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> out = new ArrayList<>();
    for (int d = 0; d < docs; d++) {
      StringBuilder sb = new StringBuilder();
      int n = 2 + r.nextInt(4);
      for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : " ").append(sentence(r));
      out.add(sb.toString());
    }
    return out;
  }

  /**
   * What most training tests start from, under {@code dir}: the engine configured, a tokenizer
   * ({@link #tokenizer}) and a training and a validation shard of {@link #documents} (seeds 1 and 2).
   */
  record Corpus(String tok, Path train, Path valid) {
    static Corpus of(Path dir, int trainDocs, int validDocs) throws IOException {
      Trainer.configureEngine();
      String tok = tokenizer(dir.resolve("tok"));
      Path train = dir.resolve("shards/train");
      Path valid = dir.resolve("shards/valid");
      shard(train, tok, 1, trainDocs);
      shard(valid, tok, 2, validDocs);
      return new Corpus(tok, train, valid);
    }
  }

  /** Trains a 300-token BPE on the grammar's text and writes {@code tokenizer.json}; returns the spec string. */
  static String tokenizer(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path f = dir.resolve("tokenizer.json");
    Map<String, Long> counts = BpeTrainer.countChunks(documents(99, 300));
    new BpeTrainer(300, List.of("<|endoftext|>")).train(counts).writeTokenizerJson(f);
    return "hf:" + f.toAbsolutePath();
  }

  static void shard(Path prefix, String tokenizerSpec, long seed, int docs) {
    try (TokenizerAdapter t = Tokenizers.open(tokenizerSpec);
        IndexedDatasetWriter w = IndexedDatasetWriter.open(prefix, t)) {
      for (String d : documents(seed, docs)) w.addDocument(t.encode(d));
      w.finish();
    }
  }

  /** Unigram entropy (nats) of a shard's tokens: the loss of the best context-free model. */
  static double unigramEntropy(Path prefix) {
    try (IndexedDataset d = IndexedDataset.open(prefix)) {
      Map<Integer, Long> counts = new java.util.HashMap<>();
      long total = 0;
      for (int s = 0; s < d.sequenceCount(); s++) {
        int[] buf = new int[d.length(s)];
        d.read(s, 0, buf, 0, buf.length);
        for (int t : buf) counts.merge(t, 1L, Long::sum);
        total += buf.length;
      }
      double h = 0;
      for (long c : counts.values()) {
        double p = (double) c / total;
        h -= p * Math.log(p);
      }
      return h;
    }
  }

  /** A small spec; {@code extra} lines are appended (later keys must not repeat earlier ones). */
  static String spec(String tokenizer, Path train, Path valid, long maxSteps, String extra) {
    return "tokenizer: " + tokenizer + "\n"
        + "model: {layers: 2, width: 64, heads: 4, context_length: 32, vocab_size: 0, dropout: 0.0}\n"
        + "data: {shards: [" + train.toAbsolutePath() + "], validation: [" + valid.toAbsolutePath() + "]}\n"
        + "optimizer: {peak_lr: 3.0e-3, min_lr: 3.0e-4, warmup_steps: 20, weight_decay: 0.01, grad_clip: 1.0}\n"
        + "batch_size: 8\n"
        + "max_steps: " + maxSteps + "\n"
        + "seed: 42\n"
        + "device: cpu\n"
        + extra;
  }

  /**
   * {@code n} SFT examples {@code {"question": "what does S want? ", "answer": "S wants O."}}, S a
   * random subject (copied from the question), O a random object (not in the question, so the
   * response loss has a floor near {@code ln 5} per object).
   */
  static Path sftJsonl(Path file, int n, long seed) throws IOException {
    StringBuilder sb = new StringBuilder();
    SplittableRandom r = new SplittableRandom(seed);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (int i = 0; i < n; i++) {
      String s = SUBJECTS[r.nextInt(SUBJECTS.length)];
      String o = OBJECTS[r.nextInt(OBJECTS.length)];
      sb.append(json.writeValueAsString(Map.of("question", "what does " + s + " want? ", "answer", s + " wants " + o + "."))).append('\n');
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb.toString());
    return file;
  }

  /**
   * {@code n} preference pairs on the {@link #sftJsonl} task: prompt {@code "what does S want? "},
   * chosen {@code "S wants O."} (the subject copied: the rule), rejected {@code "S' wants O."} with
   * another subject {@code S'} (the rule broken), O random and the same in both.
   */
  static Path preferenceJsonl(Path file, int n, long seed) throws IOException {
    StringBuilder sb = new StringBuilder();
    SplittableRandom r = new SplittableRandom(seed);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (int i = 0; i < n; i++) {
      int s = r.nextInt(SUBJECTS.length);
      int other = (s + 1 + r.nextInt(SUBJECTS.length - 1)) % SUBJECTS.length;
      String o = OBJECTS[r.nextInt(OBJECTS.length)];
      Map<String, String> line = new java.util.LinkedHashMap<>();
      line.put("prompt", "what does " + SUBJECTS[s] + " want? ");
      line.put("chosen", SUBJECTS[s] + " wants " + o + ".");
      line.put("rejected", SUBJECTS[other] + " wants " + o + ".");
      sb.append(json.writeValueAsString(line)).append('\n');
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb.toString());
    return file;
  }
}
