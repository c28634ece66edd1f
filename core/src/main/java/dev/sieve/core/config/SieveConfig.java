package dev.sieve.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import dev.sieve.core.DocIds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The resolved configuration: one YAML file with a section per stage, every section filled with
 * its defaults where the file is silent.
 *
 * <p>Unknown sections, unknown keys and values of the wrong type are {@link ConfigException}s
 * whose one-line message names the key. The sections that exist are the ones registered by the
 * modules on the classpath ({@link ConfigSectionProvider}). {@link #toJson()} is the resolved
 * config recorded with each stage run; {@link #hash()} goes into each Delta commit.
 */
public final class SieveConfig {
  private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()));
  private static final ObjectMapper JSON = configure(JsonMapper.builder().build())
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final Map<String, ConfigSection> sections;

  private SieveConfig(Map<String, ConfigSection> sections) {
    this.sections = sections;
  }

  private static ObjectMapper configure(ObjectMapper m) {
    m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    m.setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE);
    m.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY);
    m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    m.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
    m.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    m.configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true);
    return m;
  }

  /** All sections registered on the classpath, by name. */
  public static Map<String, Class<? extends ConfigSection>> registeredSections() {
    Map<String, Class<? extends ConfigSection>> all = new TreeMap<>();
    for (ConfigSectionProvider p : ServiceLoader.load(ConfigSectionProvider.class, SieveConfig.class.getClassLoader())) {
      for (Map.Entry<String, Class<? extends ConfigSection>> e : p.sections().entrySet()) {
        Class<? extends ConfigSection> prev = all.putIfAbsent(e.getKey(), e.getValue());
        if (prev != null && prev != e.getValue()) {
          throw new IllegalStateException("config section '" + e.getKey() + "' registered twice: " + prev.getName() + ", " + e.getValue().getName());
        }
      }
    }
    return all;
  }

  /** Every registered section at its defaults. */
  public static SieveConfig defaults() {
    return fromTree(YAML.createObjectNode(), "defaults");
  }

  /** Loads a YAML file; {@code null} means defaults. */
  public static SieveConfig load(Path file) {
    if (file == null) return defaults();
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file not found: " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read config file " + file, e);
    }
  }

  /** Parses YAML text (for tests and for configs passed inline). */
  public static SieveConfig parse(String yaml) {
    try {
      return parse(new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "<inline>");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SieveConfig parse(InputStream in, String origin) throws IOException {
    JsonNode root;
    try {
      root = YAML.readTree(in);
    } catch (JsonProcessingException e) {
      throw new ConfigException("config " + origin + " is not valid YAML: " + oneLine(e.getOriginalMessage())
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return defaults();
    }
    if (!root.isObject()) {
      throw new ConfigException("config " + origin + " must be a mapping of sections (spark:, generate:, ...)");
    }
    return fromTree((ObjectNode) root, origin);
  }

  private static SieveConfig fromTree(ObjectNode root, String origin) {
    Map<String, Class<? extends ConfigSection>> known = registeredSections();
    Map<String, ConfigSection> sections = new TreeMap<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.containsKey(name)) {
        throw new ConfigException("unknown config section '" + name + "' (known: " + String.join(", ", known.keySet()) + ")");
      }
    }
    for (Map.Entry<String, Class<? extends ConfigSection>> e : known.entrySet()) {
      JsonNode node = root.get(e.getKey());
      ConfigSection section;
      if (node == null || node.isNull()) {
        section = newInstance(e.getValue());
      } else if (!node.isObject()) {
        throw new ConfigException("bad value for '" + e.getKey() + "': a section must be a mapping of keys");
      } else {
        section = bind(e.getKey(), node, e.getValue());
      }
      section.validate(e.getKey());
      sections.put(e.getKey(), section);
    }
    return new SieveConfig(sections);
  }

  private static ConfigSection bind(String name, JsonNode node, Class<? extends ConfigSection> type) {
    try {
      return YAML.treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      String key = name + "." + path(e);
      String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
          .map(Object::toString).sorted().collect(Collectors.joining(", "));
      throw new ConfigException("unknown config key '" + key + "'" + (known.isEmpty() ? "" : " (known: " + known + ")"));
    } catch (MismatchedInputException e) {
      String target = e.getTargetType() == null ? "value" : e.getTargetType().getSimpleName();
      throw new ConfigException("bad value for '" + name + "." + path(e) + "': expected " + article(target) + target);
    } catch (JsonProcessingException e) {
      throw new ConfigException("bad value in section '" + name + "': " + oneLine(e.getOriginalMessage()));
    }
  }

  private static String article(String type) {
    return "aeiouAEIOU".indexOf(type.charAt(0)) >= 0 ? "an " : "a ";
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) sb.append('.');
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String oneLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  private static ConfigSection newInstance(Class<? extends ConfigSection> type) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("config section " + type.getName() + " needs a public no-argument constructor", e);
    }
  }

  /** The section registered under {@code name}, cast to its class. */
  public <T extends ConfigSection> T section(String name, Class<T> type) {
    ConfigSection s = sections.get(name);
    if (s == null) throw new IllegalArgumentException("no config section '" + name + "' is registered");
    return type.cast(s);
  }

  /** Shortcut for the {@code spark} section. */
  public SparkSettings spark() {
    return section("spark", SparkSettings.class);
  }

  /** The resolved config (every section, every key, defaults filled in) as canonical JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(sections);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise config", e);
    }
  }

  /** The resolved config as YAML, for {@code sieve config}-style printing. */
  public String toYaml() {
    try {
      return YAML.writeValueAsString(JSON.readTree(toJson()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise config", e);
    }
  }

  /** First 16 hex digits of the SHA-256 of {@link #toJson()}. */
  public String hash() {
    return DocIds.sha256Hex(toJson()).substring(0, 16);
  }
}
