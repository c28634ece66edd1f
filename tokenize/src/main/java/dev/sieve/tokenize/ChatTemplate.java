package dev.sieve.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sieve.core.Conversation;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * How a {@link Conversation} becomes an SFT sequence: each turn is {@code turn_start} (with
 * {@code {role}} replaced by the turn's role), its content, {@code turn_end} and the
 * {@code separator}; the tokenizer's end-of-text id follows the last turn (added by the shard
 * writer, as for every document). The loss mask is 1 on the tokens of each assistant content and
 * of the {@code turn_end} that closes it (so the model learns to stop), 0 on everything else:
 * system and user turns, every {@code turn_start} (the assistant's too), separators and the
 * end-of-text.
 *
 * <p>Each piece is encoded on its own with the tokenizer's ordinary-text encoding (special tokens
 * in the text are text, as for every document), so the mask's boundaries fall between tokens
 * exactly; the same pieces encoded together could merge across a boundary.
 *
 * <p>Built in: {@code chatml} (OpenAI's ChatML, Qwen's and many SFT recipes' template:
 * {@code <|im_start|>{role}\n}, {@code <|im_end|>}, {@code \n}). A dataset's template is written
 * as JSON ({@link #toJson}) beside its shards, {@code chat_template.json} in each batch folder,
 * so a prompt for the trained model can be rendered the way its training data was
 * ({@link #prompt}).
 *
 * @param name {@code chatml} or {@code custom}
 * @param turnStart opens a turn; {@code {role}} is the turn's role
 * @param turnEnd closes a turn (non-empty: what the model learns to end an answer with)
 * @param separator between turns (after each {@code turn_end}), may be empty
 */
public record ChatTemplate(String name, String turnStart, String turnEnd, String separator) implements Serializable {
  public static final ChatTemplate CHATML = new ChatTemplate("chatml", "<|im_start|>{role}\n", "<|im_end|>", "\n");
  /** The file name of the template in a batch folder. */
  public static final String FILE = "chat_template.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public ChatTemplate {
    if (turnStart == null || turnEnd == null || turnEnd.isEmpty() || separator == null) {
      throw new IllegalArgumentException("a chat template needs turn_start, a non-empty turn_end and a separator");
    }
  }

  /** A built-in template by name, or null. */
  public static ChatTemplate builtIn(String name) {
    return CHATML.name().equals(name) ? CHATML : null;
  }

  /** One conversation's tokens (without the end-of-text id) and whether each one is trained on. */
  public record Encoded(int[] tokens, boolean[] trained) {
    /** Tokens trained on. */
    public int trainedCount() {
      int n = 0;
      for (boolean b : trained) if (b) n++;
      return n;
    }
  }

  /** The conversation as one text (what the tokens decode to, up to the tokenizer's round trip). */
  public String render(Conversation c) {
    StringBuilder sb = new StringBuilder();
    for (Conversation.Turn t : c.turns()) sb.append(start(t.role())).append(t.content()).append(turnEnd).append(separator);
    return sb.toString();
  }

  /** The text a model is prompted with to answer after {@code c}'s turns: {@link #render} and the assistant's {@code turn_start}. */
  public String prompt(Conversation c) {
    return render(c) + start(Conversation.ASSISTANT);
  }

  /** Tokens and mask of {@code c} (above). */
  public Encoded encode(Conversation c, TokenizerAdapter tok) {
    int[] ids = new int[64];
    boolean[] trained = new boolean[64];
    int n = 0;
    for (Conversation.Turn t : c.turns()) {
      boolean assistant = t.role().equals(Conversation.ASSISTANT);
      String[] pieces = {start(t.role()), t.content(), turnEnd, separator};
      boolean[] train = {false, assistant, assistant, false};
      for (int p = 0; p < pieces.length; p++) {
        if (pieces[p].isEmpty()) continue;
        int[] e = tok.encode(pieces[p]);
        if (n + e.length > ids.length) {
          int cap = Math.max(ids.length * 2, n + e.length);
          ids = Arrays.copyOf(ids, cap);
          trained = Arrays.copyOf(trained, cap);
        }
        System.arraycopy(e, 0, ids, n, e.length);
        Arrays.fill(trained, n, n + e.length, train[p]);
        n += e.length;
      }
    }
    return new Encoded(Arrays.copyOf(ids, n), Arrays.copyOf(trained, n));
  }

  private String start(String role) {
    return turnStart.replace("{role}", role);
  }

  /** {@code {"name": ..., "turn_start": ..., "turn_end": ..., "separator": ...}}. */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode().put("name", name).put("turn_start", turnStart).put("turn_end", turnEnd).put("separator", separator);
    return o.toString();
  }

  /**
   * The template {@link #toJson} wrote.
   *
   * @throws IllegalArgumentException when it is not one
   */
  public static ChatTemplate fromJson(String json) {
    try {
      JsonNode n = JSON.readTree(json);
      return new ChatTemplate(n.path("name").asText("custom"), n.path("turn_start").asText(null), n.path("turn_end").asText(null),
          n.path("separator").asText(null));
    } catch (IOException e) {
      throw new UncheckedIOException("not a chat template: " + e.getMessage(), e);
    }
  }
}
