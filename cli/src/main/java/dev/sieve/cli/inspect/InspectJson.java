package dev.sieve.cli.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/** {@code sieve inspect --json}: the snapshot as one JSON document, snake_case keys, ids whole. */
public final class InspectJson {
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private InspectJson() {}

  /** The snapshot (or, for {@code --digest}, the table → digest map) as indented JSON. */
  public static String render(Object s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + s.getClass().getSimpleName() + " as JSON", e);
    }
  }
}
