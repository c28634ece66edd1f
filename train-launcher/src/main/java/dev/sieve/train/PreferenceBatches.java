package dev.sieve.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.tokenize.TokenizerAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Preference pairs for {@link DpoLoss} from JSONL: each line {@code {"prompt": x, "chosen": y_w,
 * "rejected": y_l}} (field names from {@link DpoSpec}) becomes two {@link SftBatches#example
 * SFT sequences}, {@code x ++ y_w ++ <eot>} and {@code x ++ y_l ++ <eot>}, each with the loss mask
 * over its response and closing end-of-text only. A micro-batch of {@code rows} pairs is a {@link
 * Batches.Batch} of {@code 2·rows} sequences: the chosen ones in rows {@code 0..rows-1}, the
 * rejected ones, in the same pair order, in rows {@code rows..2·rows-1}. Pair order: a permutation
 * per epoch drawn from {@code (seed, epoch)} ({@link #batch}), or file order ({@link #inOrder}).
 *
 * <p>A line that is not a JSON object with the three fields as strings, or whose chosen and
 * rejected responses are equal (no preference to learn), is not used; {@link #badLines} counts
 * them and {@link #problems} says why, line by line (the first {@value #MAX_PROBLEMS}). Every line
 * is accounted for: {@code lines read = pairs + bad lines} (blank lines aside).
 */
public final class PreferenceBatches implements Batches {
  /** Problems kept for the report; the count covers them all. */
  public static final int MAX_PROBLEMS = 10;

  private final List<SftBatches.Example> chosen = new ArrayList<>();
  private final List<SftBatches.Example> rejected = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private final long seed;
  private long badLines;

  /**
   * Reads and tokenizes {@code jsonl}.
   *
   * @throws IllegalArgumentException when the file holds no usable pair
   * @throws UncheckedIOException when it cannot be read
   */
  public PreferenceBatches(Path jsonl, DpoSpec fields, TokenizerAdapter tokenizer, int seqLength, long seed) {
    this.seed = seed;
    ObjectMapper json = new ObjectMapper();
    JsonlLines.read(jsonl, "preference data", (no, line) -> {
      String why = add(json, line, fields, tokenizer, seqLength);
      if (why != null) {
        badLines++;
        if (problems.size() < MAX_PROBLEMS) problems.add("line " + no + ": " + why);
      }
    });
    if (chosen.isEmpty()) throw new IllegalArgumentException("no usable preference pairs in " + jsonl + " (" + badLines + " bad lines: " + problems + ")");
  }

  /** Adds one line's pair; the reason when it cannot. */
  private String add(ObjectMapper json, String line, DpoSpec f, TokenizerAdapter tokenizer, int seqLength) {
    JsonNode n;
    try {
      n = json.readTree(line);
    } catch (IOException e) {
      return "not JSON";
    }
    for (String field : new String[] {f.promptField, f.chosenField, f.rejectedField}) {
      if (n == null || !n.path(field).isTextual()) return "needs a string field '" + field + "'";
    }
    String c = n.get(f.chosenField).asText();
    String rj = n.get(f.rejectedField).asText();
    if (c.equals(rj)) return "'" + f.chosenField + "' and '" + f.rejectedField + "' are the same";
    int[] p = tokenizer.encode(n.get(f.promptField).asText());
    chosen.add(SftBatches.example(p, tokenizer.encode(c), tokenizer.eotId(), seqLength));
    rejected.add(SftBatches.example(p, tokenizer.encode(rj), tokenizer.eotId(), seqLength));
    return null;
  }

  /** Usable pairs. */
  public int size() {
    return chosen.size();
  }

  /** Non-blank lines that gave no pair. */
  public long badLines() {
    return badLines;
  }

  /** Why lines were not used, {@code "line N: reason"}, the first {@value #MAX_PROBLEMS}. */
  public List<String> problems() {
    return problems;
  }

  @Override
  public Batch batch(long index, int rows) {
    int[] pairs = new int[rows];
    for (int r = 0; r < rows; r++) pairs[r] = SftBatches.shuffled(index * rows + r, chosen.size(), seed);
    return of(pairs);
  }

  /** Micro-batch {@code index} of {@code rows} pairs in file order (evaluation: always the same pairs). */
  public Batch inOrder(long index, int rows) {
    int[] pairs = new int[rows];
    for (int r = 0; r < rows; r++) pairs[r] = (int) ((index * rows + r) % chosen.size());
    return of(pairs);
  }

  private Batch of(int[] pairs) {
    int rows = pairs.length;
    int[][] t = new int[2 * rows][];
    float[][] m = new float[2 * rows][];
    for (int r = 0; r < rows; r++) {
      t[r] = chosen.get(pairs[r]).tokens();
      m[r] = chosen.get(pairs[r]).mask();
      t[rows + r] = rejected.get(pairs[r]).tokens();
      m[rows + r] = rejected.get(pairs[r]).mask();
    }
    return new Batch(t, m);
  }

  @Override
  public long samples() {
    return Long.MAX_VALUE;
  }
}
