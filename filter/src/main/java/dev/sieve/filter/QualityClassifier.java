package dev.sieve.filter;

import com.github.jfasttext.JFastText;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The fine stage: a fastText supervised classifier (the real fastText C++ through its JNI
 * binding) that scores how much a document looks like reference-quality text, as GPT-3 (Brown
 * et al. 2020, appendix A) and CCNet-style pipelines do. Trained from positives (reference text)
 * and negatives (raw crawl); the score is the probability of the {@code __label__hq} class.
 *
 * <p>Text is prepared the same way for training and scoring ({@link #tokens}): the document's
 * {@link DocText} words, lower-cased, on one line; for CJK text these are characters (and runs
 * of other letters or digits), which with {@link #DEFAULT_WORD_NGRAMS} = {@value #DEFAULT_WORD_NGRAMS}
 * gives the classifier character unigrams and bigrams, no dictionary segmentation.
 */
public final class QualityClassifier implements AutoCloseable {
  public static final String POSITIVE = "__label__hq";
  public static final String NEGATIVE = "__label__lq";
  /**
   * Hash buckets for word n-grams: fastText's default 2M makes a 160 MB model. Scoring is bound by
   * reading the model's rows from memory, so the model is kept small: with 50k buckets and
   * {@link #DEFAULT_DIM} = {@value #DEFAULT_DIM} it is about 3.5 MB (40 MB at 200k and 50) and the
   * held-out F1 of {@code QualityClassifierTest}'s two sets is the same (0.956, 0.995).
   */
  public static final int DEFAULT_BUCKETS = 50_000;
  public static final int DEFAULT_EPOCHS = 10;
  /** Dimension of the word vectors (see {@link #DEFAULT_BUCKETS}). */
  public static final int DEFAULT_DIM = 16;
  public static final int DEFAULT_WORD_NGRAMS = 2;
  public static final double DEFAULT_LR = 0.5;
  /** Share of the examples held out to report precision, recall and F1. */
  public static final double HELD_OUT = 0.1;
  /** Words of a document that reach the classifier (fastText only needs a sample). */
  public static final int MAX_TOKENS = 1000;

  private final JFastText model;
  private final Path path;

  private QualityClassifier(JFastText model, Path path) {
    this.model = model;
    this.path = path;
  }

  /** Held-out quality of a trained model. */
  public record Evaluation(int trainSize, int heldOut, double precision, double recall, double f1) {}

  /** A trained model and how it did on the held-out split. */
  public record Trained(QualityClassifier classifier, Evaluation evaluation) {}

  /** Loads a model file written by {@link #train}. */
  public static QualityClassifier load(Path modelFile) {
    if (!Files.isRegularFile(modelFile)) throw new IllegalArgumentException("no fastText model at " + modelFile);
    JFastText ft = new JFastText();
    ft.loadModel(modelFile.toString());
    return new QualityClassifier(ft, modelFile);
  }

  /**
   * Trains on {@code positives} and {@code negatives}, holding out {@link #HELD_OUT} of each
   * (shuffled with {@code seed}) for evaluation, and writes {@code <dir>/quality.bin}.
   */
  public static Trained train(List<String> positives, List<String> negatives, Path dir, long seed) {
    if (positives.isEmpty() || negatives.isEmpty()) throw new IllegalArgumentException("need positives and negatives");
    try {
      Files.createDirectories(dir);
      List<String[]> examples = new ArrayList<>();
      for (String p : positives) examples.add(new String[] {POSITIVE, tokens(p)});
      for (String n : negatives) examples.add(new String[] {NEGATIVE, tokens(n)});
      Collections.shuffle(examples, new Random(seed));
      int held = Math.max(1, (int) Math.round(examples.size() * HELD_OUT));
      List<String[]> test = examples.subList(0, held);
      List<String[]> train = examples.subList(held, examples.size());
      Path trainFile = dir.resolve("train.txt");
      try (BufferedWriter w = Files.newBufferedWriter(trainFile, StandardCharsets.UTF_8)) {
        for (String[] e : train) {
          if (e[1].isEmpty()) continue;
          w.write(e[0]);
          w.write(' ');
          w.write(e[1]);
          w.write('\n');
        }
      }
      String prefix = dir.resolve("quality").toString();
      JFastText ft = new JFastText();
      ft.runCmd(new String[] {"supervised", "-input", trainFile.toString(), "-output", prefix, "-epoch", String.valueOf(DEFAULT_EPOCHS),
          "-lr", String.valueOf(DEFAULT_LR), "-dim", String.valueOf(DEFAULT_DIM), "-wordNgrams", String.valueOf(DEFAULT_WORD_NGRAMS),
          "-bucket", String.valueOf(DEFAULT_BUCKETS), "-minCount", "1", "-thread", "1", "-verbose", "0"});
      Files.deleteIfExists(Path.of(prefix + ".vec"));
      QualityClassifier c = load(Path.of(prefix + ".bin"));
      int tp = 0, fp = 0, fn = 0;
      for (String[] e : test) {
        boolean predicted = c.scoreTokens(e[1]) >= 0.5;
        boolean actual = e[0].equals(POSITIVE);
        if (predicted && actual) tp++;
        else if (predicted) fp++;
        else if (actual) fn++;
      }
      double precision = tp + fp == 0 ? 0 : tp / (double) (tp + fp);
      double recall = tp + fn == 0 ? 0 : tp / (double) (tp + fn);
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      return new Trained(c, new Evaluation(train.size(), test.size(), precision, recall, f1));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot train the quality classifier in " + dir, e);
    }
  }

  /** Probability that {@code text} is reference-quality, in [0, 1]. */
  public double score(String text) {
    return scoreTokens(tokens(text));
  }

  private synchronized double scoreTokens(String tokens) {
    if (tokens.isEmpty()) return 0;
    JFastText.ProbLabel p = model.predictProba(tokens);
    if (p == null) return 0;
    double prob = Math.exp(p.logProb);
    double s = p.label.equals(POSITIVE) ? prob : 1 - prob;
    return Math.max(0, Math.min(1, s));
  }

  /**
   * GPT-3's Pareto sampling (Brown et al. 2020, appendix A): keep a document when a Pareto(α)
   * draw exceeds {@code 1 - score}, so good documents are kept and some lower-scored ones too,
   * for diversity. The draw is seeded by the document id, so reruns agree.
   */
  public static boolean paretoKeep(double score, String docId, double alpha) {
    long seed = docId.hashCode() * 0x9E3779B97F4A7C15L;
    double u = new Random(seed).nextDouble();
    double pareto = Math.pow(1 - u, -1 / alpha) - 1; // Lomax form, as numpy.random.pareto
    return pareto > 1 - score;
  }

  /** Probability that a document is reference-quality, in [0, 1], from the words the coarse rules already found. */
  public double score(DocText doc) {
    // Training sees untagged text (CJK by its letters): a tag that says otherwise must not change the words.
    if (doc.isCjk() != doc.cjkByLetters()) return score(doc.text());
    return scoreTokens(tokens(doc));
  }

  /** Text as the classifier sees it: lower-cased {@link DocText} words on one line (characters for CJK text). */
  public static String tokens(String text) {
    if (text == null) return "";
    return tokens(new DocText(text, ""));
  }

  /**
   * The first {@link #MAX_TOKENS} of a document's words ({@link DocText#words()}: whitespace
   * tokens, or characters and runs of other letters and digits for CJK text), lower-cased, joined
   * by spaces: the same for training and scoring.
   */
  public static String tokens(DocText doc) {
    int n = Math.min(doc.wordCount(), MAX_TOKENS);
    if (n == 0) return "";
    String text = doc.text();
    StringBuilder sb = new StringBuilder(doc.wordEnd(n - 1) - doc.wordStart(0) + n);
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append(' ');
      sb.append(text, doc.wordStart(i), doc.wordEnd(i));
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() {
    model.unloadModel();
  }
}
