package dev.sieve.decontaminate;

import dev.sieve.core.config.ConfigSection;
import dev.sieve.core.config.ConfigSectionProvider;
import java.util.Map;

/** Registers the {@code decontaminate} config section. */
public final class DecontaminateConfigSections implements ConfigSectionProvider {
  @Override
  public Map<String, Class<? extends ConfigSection>> sections() {
    return Map.of("decontaminate", DecontaminateSettings.class);
  }
}
