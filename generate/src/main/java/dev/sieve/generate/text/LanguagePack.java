package dev.sieve.generate.text;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The phrase lists and templates from which the generator writes prose in one language: a
 * {@code lang/<code>.yaml} resource (format in {@code lang/SCHEMA.md}). Sentences are built by
 * filling templates such as {@code "{opener} {subject} {verb} {object}."} with hand-written phrases
 * whose grammar agrees in any combination, so the text reads like real prose to language ID,
 * stop-word and repetition rules.
 */
public final class LanguagePack {
  /** Topic keys every pack defines. */
  public static final List<String> TOPICS = List.of("technology", "cooking", "travel", "sports", "finance", "health", "science", "history");
  /** PII carrier kinds every pack defines. */
  public static final List<String> PII_KINDS = List.of("email", "phone", "ip", "id_number", "card", "secret");

  private static final Pattern SLOT = Pattern.compile("\\{([a-z_]+)}");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /** Phrase lists of one topic. */
  public static final class Topic {
    public List<String> subjects;
    public List<String> verbs;
    public List<String> objects;
    public List<String> complements;
  }

  public String code;
  public String name;
  public String separator;
  public boolean capitalize;
  public List<String> templates;
  public List<String> openers;
  public List<String> connectors;
  public Map<String, Topic> topics;
  public List<String> titles;
  public Map<String, String> topicWords;
  public List<String> names;
  public List<String> nav;
  public List<String> footer;
  public List<String> cookieBanner;
  public List<String> related;
  public List<String> spam;
  public List<String> products;
  public Map<String, List<String>> pii;

  /** Loads {@code lang/<code>.yaml} from the classpath and checks it is complete. */
  public static LanguagePack load(String code) {
    String resource = "/dev/sieve/generate/lang/" + code + ".yaml";
    try (InputStream in = LanguagePack.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalArgumentException("no language pack for '" + code + "'");
      LanguagePack p = YAML.readValue(in, LanguagePack.class);
      p.check(resource);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read language pack " + resource, e);
    }
  }

  private void check(String resource) {
    requireList(resource, "templates", templates);
    requireList(resource, "openers", openers);
    requireList(resource, "connectors", connectors);
    requireList(resource, "titles", titles);
    requireList(resource, "names", names);
    requireList(resource, "nav", nav);
    requireList(resource, "footer", footer);
    requireList(resource, "cookie_banner", cookieBanner);
    requireList(resource, "related", related);
    requireList(resource, "spam", spam);
    requireList(resource, "products", products);
    if (separator == null) throw new IllegalStateException(resource + ": separator missing");
    for (String t : TOPICS) {
      Topic topic = topics == null ? null : topics.get(t);
      if (topic == null) throw new IllegalStateException(resource + ": topic '" + t + "' missing");
      requireList(resource, t + ".subjects", topic.subjects);
      requireList(resource, t + ".verbs", topic.verbs);
      requireList(resource, t + ".objects", topic.objects);
      requireList(resource, t + ".complements", topic.complements);
      if (topicWords == null || topicWords.get(t) == null) throw new IllegalStateException(resource + ": topic_words." + t + " missing");
    }
    for (String k : PII_KINDS) {
      requireList(resource, "pii." + k, pii == null ? null : pii.get(k));
      for (String s : pii.get(k)) {
        if (!s.contains("{" + k + "}")) throw new IllegalStateException(resource + ": pii." + k + " sentence lacks {" + k + "}: " + s);
      }
    }
  }

  private static void requireList(String resource, String key, List<String> l) {
    if (l == null || l.isEmpty()) throw new IllegalStateException(resource + ": '" + key + "' is missing or empty");
  }

  public Topic topic(String name) {
    return topics.get(name);
  }

  /** Names of the slots in a template, in order (e.g. {@code [opener, subject, verb, object]}). */
  public static List<String> slots(String template) {
    Matcher m = SLOT.matcher(template);
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    while (m.find()) out.add(m.group(1));
    return out;
  }

  /** True for languages written without spaces between words. */
  public boolean unspaced() {
    return separator.isEmpty();
  }
}
