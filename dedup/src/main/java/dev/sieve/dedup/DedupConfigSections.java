package dev.sieve.dedup;

import dev.sieve.core.config.ConfigSection;
import dev.sieve.core.config.ConfigSectionProvider;
import java.util.Map;

/** Registers the {@code dedup} config section. */
public final class DedupConfigSections implements ConfigSectionProvider {
  @Override
  public Map<String, Class<? extends ConfigSection>> sections() {
    return Map.of("dedup", DedupSettings.class);
  }
}
