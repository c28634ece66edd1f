package dev.sieve.pii;

import dev.sieve.core.config.ConfigSection;
import dev.sieve.core.config.ConfigSectionProvider;
import java.util.Map;

/** Registers the {@code pii} config section. */
public final class PiiConfigSections implements ConfigSectionProvider {
  @Override
  public Map<String, Class<? extends ConfigSection>> sections() {
    return Map.of("pii", PiiSettings.class);
  }
}
