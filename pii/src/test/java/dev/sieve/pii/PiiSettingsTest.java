package dev.sieve.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.core.PiiKind;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.SieveConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiSettingsTest {
  @Test
  void defaultsRegisteredAndComplete() {
    PiiSettings s = SieveConfig.defaults().section("pii", PiiSettings.class);
    assertEquals(List.of("email", "phone", "ip_address", "id_number", "credit_card", "secret"), s.kinds);
    assertEquals("<CREDIT_CARD>", s.tag(PiiKind.CREDIT_CARD));
    assertEquals("valid", s.phone.leniency);
    assertEquals(7, PiiScrubber.fromSettings(s).detectors().size());
  }

  @Test
  void yamlSelectsKindsAndTags() {
    PiiSettings s = SieveConfig.parse("pii:\n  kinds: [email, ip_address]\n  tags: {email: '[mail]'}\n  secret: {min_entropy: 3.5}\n")
        .section("pii", PiiSettings.class);
    PiiScrubber sc = PiiScrubber.fromSettings(s);
    PiiScrubber.Result r = sc.scrub("a@b.com 8.8.8.8 4111111111111111", "en", null);
    assertEquals("[mail] <IP_ADDRESS> 4111111111111111", r.text());
    assertEquals(Map.of("email", 1, "ip_address", 1), r.counts());
  }

  @Test
  void badValuesNameTheKey() {
    assertMessage("pii:\n  kinds: [email, fax]\n", "'pii.kinds'");
    assertMessage("pii:\n  kinds: [email, email]\n", "'pii.kinds'");
    assertMessage("pii:\n  tags: {fax: '<FAX>'}\n", "'pii.tags.fax'");
    assertMessage("pii:\n  tags: {email: ''}\n", "'pii.tags.email'");
    assertMessage("pii:\n  phone: {leniency: loose}\n", "'pii.phone.leniency'");
    assertMessage("pii:\n  phone: {default_region: XX}\n", "'pii.phone.default_region'");
    assertMessage("pii:\n  phone: {regions: {de: QQ}}\n", "'pii.phone.regions.de'");
    assertMessage("pii:\n  secret: {min_entropy: -1}\n", "'pii.secret.min_entropy'");
    assertMessage("pii:\n  secret: {min_length: 0}\n", "'pii.secret.min_length'");
    assertMessage("pii:\n  secrets: {}\n", "'pii.secrets'");
  }

  private static void assertMessage(String yaml, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> SieveConfig.parse(yaml));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
