package dev.sieve.core.config;

import java.util.Map;

/** The sections core owns: {@code spark}. */
public final class CoreConfigSections implements ConfigSectionProvider {
  @Override
  public Map<String, Class<? extends ConfigSection>> sections() {
    return Map.of("spark", SparkSettings.class);
  }
}
