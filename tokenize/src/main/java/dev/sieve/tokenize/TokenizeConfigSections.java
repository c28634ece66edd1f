package dev.sieve.tokenize;

import dev.sieve.core.config.ConfigSection;
import dev.sieve.core.config.ConfigSectionProvider;
import java.util.Map;

/** Registers the {@code tokenize} config section. */
public final class TokenizeConfigSections implements ConfigSectionProvider {
  @Override
  public Map<String, Class<? extends ConfigSection>> sections() {
    return Map.of("tokenize", TokenizeSettings.class);
  }
}
