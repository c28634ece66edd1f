package dev.sieve.filter;

import dev.sieve.core.config.ConfigSection;
import dev.sieve.core.config.ConfigSectionProvider;
import java.util.Map;

/** Registers the {@code filter} config section. */
public final class FilterConfigSections implements ConfigSectionProvider {
  @Override
  public Map<String, Class<? extends ConfigSection>> sections() {
    return Map.of("filter", FilterSettings.class);
  }
}
