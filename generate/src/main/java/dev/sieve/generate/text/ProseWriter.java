package dev.sieve.generate.text;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes sentences, paragraphs and titles in one language on one topic by filling a
 * {@link LanguagePack}'s templates. Deterministic for a given {@link PhrasePicker} state.
 */
public final class ProseWriter {
  private static final Pattern SLOT = Pattern.compile("\\{([a-z_]+)}");
  private static final Pattern SPACES = Pattern.compile(" {2,}");
  private static final Pattern SPACE_BEFORE_PUNCT = Pattern.compile(" +([,.;:!?])");

  private final LanguagePack pack;
  private final LanguagePack.Topic topic;
  private final String topicName;
  private final PhrasePicker picker;

  public ProseWriter(LanguagePack pack, String topicName, PhrasePicker picker) {
    this.pack = pack;
    this.topic = pack.topic(topicName);
    if (topic == null) throw new IllegalArgumentException("unknown topic '" + topicName + "'");
    this.topicName = topicName;
    this.picker = picker;
  }

  public LanguagePack pack() { return pack; }
  public String topicName() { return topicName; }

  /** One sentence, first letter upper-cased where the language does that. */
  public String sentence() {
    return finish(fill(picker.any(pack.templates)));
  }

  /** {@code n} sentences joined the way the language joins them. */
  public String paragraph(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append(pack.separator);
      sb.append(sentence());
    }
    return sb.toString();
  }

  /** A headline-like title. */
  public String title() {
    return finish(fill(picker.any(pack.titles)));
  }

  /** Fills a template with this topic's phrases (slots it does not know stay as they are). */
  public String fill(String template) {
    Matcher m = SLOT.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = switch (m.group(1)) {
        case "opener" -> picker.pick(pack.openers);
        case "connector" -> picker.pick(pack.connectors);
        case "subject" -> picker.pick(topic.subjects);
        case "verb" -> picker.pick(topic.verbs);
        case "object" -> picker.pick(topic.objects);
        case "complement" -> picker.pick(topic.complements);
        case "topic_word" -> pack.topicWords.get(topicName);
        case "name" -> picker.pick(pack.names);
        default -> m.group(0);
      };
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** Tidies spacing and capitalises the first letter. */
  public String finish(String s) {
    String t = SPACE_BEFORE_PUNCT.matcher(SPACES.matcher(s).replaceAll(" ")).replaceAll("$1").strip();
    if (pack.capitalize && !t.isEmpty()) {
      int cp = t.codePointAt(0);
      t = new String(Character.toChars(Character.toUpperCase(cp))) + t.substring(Character.charCount(cp));
    }
    return t;
  }

  /** A phrase of this topic usable as a replacement word source (subjects, objects, complements). */
  public List<String> vocabulary() {
    List<String> all = new java.util.ArrayList<>(topic.subjects);
    all.addAll(topic.objects);
    all.addAll(topic.complements);
    all.addAll(topic.verbs);
    return all;
  }
}
