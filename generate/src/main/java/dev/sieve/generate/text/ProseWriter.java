package dev.sieve.generate.text;

import java.util.List;

/**
 * Writes sentences, paragraphs and titles in one language on one topic by filling a
 * {@link LanguagePack}'s templates. Deterministic for a given {@link PhrasePicker} state.
 */
public final class ProseWriter {

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
    StringBuilder sb = new StringBuilder(template.length() + 64);
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      int close = c == '{' ? template.indexOf('}', i + 1) : -1;
      if (close < 0) {
        sb.append(c);
        i++;
        continue;
      }
      String slot = template.substring(i + 1, close);
      String value = switch (slot) {
        case "opener" -> picker.pick(pack.openers);
        case "connector" -> picker.pick(pack.connectors);
        case "subject" -> picker.pick(topic.subjects);
        case "verb" -> picker.pick(topic.verbs);
        case "object" -> picker.pick(topic.objects);
        case "complement" -> picker.pick(topic.complements);
        case "topic_word" -> pack.topicWords.get(topicName);
        case "name" -> picker.pick(pack.names);
        default -> template.substring(i, close + 1);
      };
      sb.append(value);
      i = close + 1;
    }
    return sb.toString();
  }

  /** Tidies spacing (no double spaces, none before {@code , . ; : ! ?}) and capitalises the first letter. */
  public String finish(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ') {
        if (sb.length() == 0 || sb.charAt(sb.length() - 1) == ' ') continue;
        sb.append(c);
      } else {
        if (isTightPunct(c) && sb.length() > 0 && sb.charAt(sb.length() - 1) == ' ') sb.setLength(sb.length() - 1);
        sb.append(c);
      }
    }
    while (sb.length() > 0 && sb.charAt(sb.length() - 1) == ' ') sb.setLength(sb.length() - 1);
    if (pack.capitalize && sb.length() > 0) {
      int cp = sb.codePointAt(0);
      int up = Character.toUpperCase(cp);
      if (up != cp) {
        String head = new String(Character.toChars(up));
        sb.replace(0, Character.charCount(cp), head);
      }
    }
    return sb.toString();
  }

  private static boolean isTightPunct(char c) {
    return c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?';
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
