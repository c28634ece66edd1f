package dev.sieve.core.config;

import java.util.Map;

/**
 * Declares the config sections a module owns. Registered with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.sieve.core.config.ConfigSectionProvider}), so a section exists
 * exactly when its module is on the classpath and every other top-level key is an error.
 */
public interface ConfigSectionProvider {
  /** Section name (the top-level YAML key) to its class. */
  Map<String, Class<? extends ConfigSection>> sections();
}
