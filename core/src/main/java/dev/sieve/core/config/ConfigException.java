package dev.sieve.core.config;

/**
 * A bad config file, key or value. The message is one line that names the offending key
 * (e.g. {@code unknown config key 'filter.gopher.min_words'}); the CLI prints it and exits with 2.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
