package dev.sieve.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sieve.core.config.SieveConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's {@code sieve.yaml} example shows the defaults: every value it gives (but the
 * {@code spark:} section, which shows how to set Spark options) is what {@code sieve config}
 * resolves with no config file, i.e. the documented constants. A changed constant fails here
 * until the README says the new number.
 */
class ReadmeConfigTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void readmeConfigExampleShowsTheDefaults() throws Exception {
    Path readme = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
    String text = Files.readString(readme);
    int start = text.indexOf("```yaml\n", text.indexOf("Today's sections:"));
    assertTrue(start >= 0, "the README's config example");
    start += "```yaml\n".length();
    JsonNode example = YAML.readTree(text.substring(start, text.indexOf("```", start)));
    JsonNode defaults = YAML.readTree(SieveConfig.defaults().toYaml());
    List<String> differ = new ArrayList<>();
    int checked = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = example.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> section = it.next();
      if (section.getKey().equals("spark")) continue;
      checked += compare(section.getKey(), section.getValue(), defaults.path(section.getKey()), differ);
    }
    assertEquals(List.of(), differ, "README values that are not the defaults");
    assertTrue(checked > 50, "values checked: " + checked);
  }

  /** Compares every leaf the README gives with the default at the same path; maps may be partial. */
  private static int compare(String path, JsonNode shown, JsonNode actual, List<String> differ) {
    if (shown.isObject()) {
      int n = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = shown.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        n += compare(path + "." + e.getKey(), e.getValue(), actual.path(e.getKey()), differ);
      }
      return n;
    }
    boolean same = shown.isNumber() && actual.isNumber() ? shown.decimalValue().compareTo(actual.decimalValue()) == 0
        : shown.isNumber() && actual.isTextual() ? shown.asText().equals(actual.asText())
        : shown.equals(actual) || shown.isNull() && actual.isMissingNode();
    if (!same) differ.add(path + ": README " + shown + ", default " + actual);
    return 1;
  }
}
