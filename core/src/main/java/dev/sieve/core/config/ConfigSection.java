package dev.sieve.core.config;

/**
 * One section of the YAML config ({@code spark:}, {@code generate:}, ...). Implementations are
 * plain classes with public fields initialised to documented {@code DEFAULT_*} constants and a
 * public no-argument constructor; YAML keys are the snake_case field names.
 */
public interface ConfigSection extends java.io.Serializable {
  /**
   * Checks value ranges after loading. Throws {@link ConfigException} naming the key
   * ({@code prefix + "." + field}) and the bad value.
   *
   * @param prefix the section's key path, e.g. {@code "generate"}
   */
  default void validate(String prefix) {}

  /** Helper for {@link #validate}: fails unless {@code lo <= value <= hi}. */
  static void checkRange(String key, double value, double lo, double hi) {
    if (!(value >= lo && value <= hi)) {
      throw new ConfigException("bad value for '" + key + "': " + value + " (must be between " + lo + " and " + hi + ")");
    }
  }

  /** Helper for {@link #validate}: fails unless {@code value >= min}. */
  static void checkAtLeast(String key, long value, long min) {
    if (value < min) {
      throw new ConfigException("bad value for '" + key + "': " + value + " (must be at least " + min + ")");
    }
  }
}
