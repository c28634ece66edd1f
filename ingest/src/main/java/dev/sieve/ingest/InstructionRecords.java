package dev.sieve.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sieve.core.Conversation;
import dev.sieve.core.Conversation.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Instruction-tuning records in JSON Lines, read into a {@link Conversation} and validated:
 * <ul>
 *   <li>{@code alpaca} (Taori et al. 2023, Stanford Alpaca's {@code alpaca_data.json} fields):
 *       {@code instruction}, optional {@code input}, {@code output}, optional {@code system}. The user
 *       turn is the instruction, then a blank line and the input when there is one; the assistant
 *       turn is the output.
 *   <li>{@code chat} (OpenAI's chat format): {@code messages}, an array of
 *       {@code {"role": "system"|"user"|"assistant", "content": string}}.
 *   <li>{@code sharegpt}: {@code conversations}, an array of {@code {"from": "system"|"human"|"gpt", "value": string}}
 *       ({@code user}/{@code assistant} accepted as {@code from} too).
 * </ul>
 * In {@code auto} mode a line is an instruction record when it has a {@code messages} array, a
 * {@code conversations} array, or both {@code instruction} and {@code output} (whatever else it
 * has); other lines are plain JSONL documents. In an explicit mode every line must have the
 * format's fields ({@value QuarantineEntry#MISSING_FIELD} otherwise); {@code off} reads every line as
 * plain JSONL.
 *
 * <p>Validation, each failure one quarantine kind, the first found wins: while the turns are read,
 * a turn that is not an object with a string role and a string (or null) content
 * ({@link #BAD_TURN}) or a role outside the three ({@link #UNKNOWN_ROLE}, e.g. {@code tool},
 * {@code function}, ShareGPT's {@code bing}); then, turn by turn, a content that is missing, null
 * or blank after normalisation ({@link #EMPTY_TURN}) or a {@code system} turn after the first
 * ({@link #BAD_TURN}); last, a conversation whose last turn is not the assistant's, an empty one
 * included ({@link #NO_FINAL_ASSISTANT}). Consecutive turns of one role are allowed (ShareGPT
 * dumps have them). Contents are normalised as every document's text is ({@link TextNormalizer}),
 * repairs counted.
 */
public final class InstructionRecords {
  public static final String UNKNOWN_ROLE = "unknown_role";
  public static final String EMPTY_TURN = "empty_turn";
  public static final String NO_FINAL_ASSISTANT = "no_final_assistant";
  public static final String BAD_TURN = "bad_turn";

  /** {@code ingest.instruction_format}. */
  public enum Format {
    AUTO, ALPACA, CHAT, SHAREGPT, OFF;

    /** The config value as written in YAML. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The format named by a config value, or null. */
    public static Format of(String value) {
      for (Format f : values()) if (f.key().equals(value)) return f;
      return null;
    }
  }

  /** What a line turned out to be. */
  public sealed interface Outcome {}

  /** Not an instruction record: read it as plain JSONL. */
  public record Plain() implements Outcome {}

  /** A valid conversation; {@code format} is {@code alpaca}, {@code chat} or {@code sharegpt}. */
  public record Valid(String format, Conversation conversation, Repairs repairs) implements Outcome {}

  /** An invalid record: quarantine kind and message. */
  public record Invalid(String kind, String message) implements Outcome {}

  private InstructionRecords() {}

  /** Reads one parsed JSONL object under {@code mode}. */
  public static Outcome read(JsonNode n, Format mode) {
    Format f = mode == Format.AUTO ? detect(n) : mode;
    if (f == null || f == Format.OFF) return new Plain();
    return switch (f) {
      case ALPACA -> alpaca(n);
      case CHAT -> turns(n, "chat", "messages", "role", "content");
      case SHAREGPT -> turns(n, "sharegpt", "conversations", "from", "value");
      default -> throw new IllegalStateException(f.toString());
    };
  }

  private static Format detect(JsonNode n) {
    if (n.path("messages").isArray()) return Format.CHAT;
    if (n.path("conversations").isArray()) return Format.SHAREGPT;
    if (n.has("instruction") && n.has("output")) return Format.ALPACA;
    return null;
  }

  private static Outcome alpaca(JsonNode n) {
    for (String field : new String[] {"instruction", "output"}) {
      if (!n.path(field).isTextual()) return new Invalid(QuarantineEntry.MISSING_FIELD, "no string field '" + field + "'");
    }
    JsonNode input = n.path("input");
    if (!input.isMissingNode() && !input.isNull() && !input.isTextual()) return new Invalid(BAD_TURN, "field 'input' is not a string");
    String user = n.get("instruction").asText();
    if (input.isTextual() && !input.asText().isBlank()) user = user + "\n\n" + input.asText();
    List<String[]> raw = new ArrayList<>();
    if (n.path("system").isTextual()) raw.add(new String[] {Conversation.SYSTEM, n.get("system").asText()});
    raw.add(new String[] {Conversation.USER, n.get("instruction").asText().isBlank() ? "" : user});
    raw.add(new String[] {Conversation.ASSISTANT, n.get("output").asText()});
    return validate("alpaca", raw);
  }

  private static final Map<String, String> SHAREGPT_ROLES = Map.of("human", Conversation.USER, "gpt", Conversation.ASSISTANT,
      "system", Conversation.SYSTEM, "user", Conversation.USER, "assistant", Conversation.ASSISTANT);
  private static final Map<String, String> CHAT_ROLES = Map.of("user", Conversation.USER, "assistant", Conversation.ASSISTANT,
      "system", Conversation.SYSTEM);

  private static Outcome turns(JsonNode n, String format, String field, String roleField, String contentField) {
    JsonNode arr = n.get(field);
    if (arr == null || !arr.isArray()) return new Invalid(QuarantineEntry.MISSING_FIELD, "no array field '" + field + "'");
    Map<String, String> roles = format.equals("sharegpt") ? SHAREGPT_ROLES : CHAT_ROLES;
    List<String[]> raw = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      JsonNode t = arr.get(i);
      if (!t.isObject() || !t.path(roleField).isTextual()) {
        return new Invalid(BAD_TURN, field + "[" + i + "] is not an object with a string '" + roleField + "'");
      }
      String role = roles.get(t.get(roleField).asText());
      if (role == null) return new Invalid(UNKNOWN_ROLE, field + "[" + i + "]: unknown " + roleField + " '" + t.get(roleField).asText() + "'");
      JsonNode c = t.get(contentField);
      if (c != null && !c.isNull() && !c.isTextual()) return new Invalid(BAD_TURN, field + "[" + i + "]." + contentField + " is not a string");
      raw.add(new String[] {role, c == null || c.isNull() ? "" : c.asText()});
    }
    return validate(format, raw);
  }

  private static Outcome validate(String format, List<String[]> raw) {
    Repairs repairs = new Repairs();
    List<Turn> turns = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String role = raw.get(i)[0];
      String content = TextNormalizer.normalize(raw.get(i)[1], repairs).strip();
      if (content.isEmpty()) return new Invalid(EMPTY_TURN, "turn " + i + " (" + role + ") is empty");
      if (role.equals(Conversation.SYSTEM) && i > 0) return new Invalid(BAD_TURN, "turn " + i + ": a system turn after the first");
      turns.add(new Turn(role, content));
    }
    if (turns.isEmpty() || !turns.get(turns.size() - 1).role().equals(Conversation.ASSISTANT)) {
      return new Invalid(NO_FINAL_ASSISTANT, turns.isEmpty() ? "no turns" : "the last turn is " + turns.get(turns.size() - 1).role() + "'s");
    }
    return new Valid(format, new Conversation(turns), repairs);
  }
}
