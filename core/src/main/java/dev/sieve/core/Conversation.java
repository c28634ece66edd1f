package dev.sieve.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An instruction-tuning conversation (a chat, or an Alpaca record as a user turn and an assistant
 * turn) and its canonical text: the form it takes in the {@code text} column of
 * {@code bronze/documents} and every silver table, so that filter, dedup and PII work on it as on
 * any document, PII tags landing inside the turns' contents. One line per role marker, the turn's
 * content on the lines after it:
 *
 * <pre>
 * &lt;|system|&gt;
 * You are terse.
 * &lt;|user|&gt;
 * Say hello to Anna.
 * &lt;|assistant|&gt;
 * Hello, Anna!
 * </pre>
 *
 * A content line that would read as a marker ({@code <|word|>}, after any number of backslashes)
 * gets one more backslash in front, which {@link #parse} takes off again, so every content
 * round-trips. A content never starts or ends with a blank line (ingest normalises it first), so
 * {@link #parse}{@code (}{@link #text()}{@code )} gives the same turns back.
 *
 * <p>Ingest marks a conversation document with {@link #METADATA_KEY} in {@code metadata} (its
 * input format: {@code alpaca}, {@code chat}, {@code sharegpt}); later stages test
 * {@link #isConversation}.
 */
public record Conversation(List<Turn> turns) {
  /** Key in a document's {@code metadata} whose presence marks a conversation; the value is its input format. */
  public static final String METADATA_KEY = "sieve.conversation";
  public static final String SYSTEM = "system";
  public static final String USER = "user";
  public static final String ASSISTANT = "assistant";

  private static final Pattern MARKER = Pattern.compile("<\\|(system|user|assistant)\\|>");
  private static final Pattern ESCAPED = Pattern.compile("\\\\*<\\|[a-z_]+\\|>");

  /** One turn: a role ({@link #SYSTEM}, {@link #USER} or {@link #ASSISTANT}) and its content. */
  public record Turn(String role, String content) {
    public Turn {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(content, "content");
    }
  }

  public Conversation {
    turns = List.copyOf(turns);
  }

  /** Whether the document whose metadata this is holds a conversation ({@link #METADATA_KEY} present). */
  public static boolean isConversation(Map<String, String> metadata) {
    return metadata != null && metadata.containsKey(METADATA_KEY);
  }

  /** The canonical text (above); no trailing newline. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (Turn t : turns) {
      if (!sb.isEmpty()) sb.append('\n');
      sb.append("<|").append(t.role()).append("|>");
      for (String line : t.content().split("\n", -1)) {
        sb.append('\n');
        if (ESCAPED.matcher(line).matches()) sb.append('\\');
        sb.append(line);
      }
    }
    return sb.toString();
  }

  /** The turns' contents alone, one after another (what language ID reads). */
  public String contents() {
    StringBuilder sb = new StringBuilder();
    for (Turn t : turns) {
      if (!sb.isEmpty()) sb.append('\n');
      sb.append(t.content());
    }
    return sb.toString();
  }

  /**
   * The conversation a canonical text holds.
   *
   * @throws IllegalArgumentException when the text does not start with a role marker line (it is
   *     not a conversation's text)
   */
  public static Conversation parse(String text) {
    List<Turn> turns = new ArrayList<>();
    String role = null;
    StringBuilder content = new StringBuilder();
    int lines = 0;
    for (String line : text.split("\n", -1)) {
      if (MARKER.matcher(line).matches()) {
        if (role != null) turns.add(new Turn(role, strip(content)));
        role = line.substring(2, line.length() - 2);
        content.setLength(0);
        lines = 0;
        continue;
      }
      if (role == null) {
        if (line.isBlank()) continue;
        throw new IllegalArgumentException("not a conversation: text before the first role marker");
      }
      if (lines++ > 0) content.append('\n');
      content.append(ESCAPED.matcher(line).matches() && line.startsWith("\\") ? line.substring(1) : line);
    }
    if (role == null) throw new IllegalArgumentException("not a conversation: no role marker");
    turns.add(new Turn(role, strip(content)));
    return new Conversation(turns);
  }

  private static String strip(StringBuilder content) {
    return content.toString().strip();
  }
}
