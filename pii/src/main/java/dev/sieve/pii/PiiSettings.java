package dev.sieve.pii;

import dev.sieve.core.PiiKind;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.config.ConfigSection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code pii:} config section: which kinds are replaced, by which tags, and the detectors'
 * knobs.
 *
 * <pre>
 * pii:
 *   kinds: [email, phone, ip_address, id_number, credit_card, secret]
 *   tags: {email: "&lt;EMAIL&gt;", phone: "&lt;PHONE&gt;", ...}     # kinds left out keep their default tag
 *   phone: {leniency: valid, default_region: ZZ, chinese_mobile: true,
 *           regions: {zh: CN, de: DE, fr: FR, es: ES, ru: RU, en: US}}
 *   ip_address: {skip_reserved: true}
 *   id_number: {iban: true}
 *   secret: {min_entropy: {@value #DEFAULT_SECRET_MIN_ENTROPY}, min_length: {@value #DEFAULT_SECRET_MIN_LENGTH}}
 * </pre>
 */
public final class PiiSettings implements ConfigSection {
  private static final long serialVersionUID = 1L;

  /** Every kind, in {@link PiiKind} order. */
  public static final List<String> DEFAULT_KINDS = kindKeys();
  /** {@code <EMAIL>}, {@code <PHONE>}, ... (DESIGN.md, {@code silver/clean}). */
  public static final Map<String, String> DEFAULT_TAGS = defaultTags();
  /**
   * libphonenumber leniency. {@code valid}: the number must be valid for its region (not just of
   * a possible length), which keeps dates, order numbers and prices out; measured on the
   * generated corpus it loses no planted number against {@code possible} (see PhoneDetectorTest).
   */
  public static final String DEFAULT_PHONE_LENIENCY = "valid";
  /** Region used when neither language nor TLD hints one: {@code ZZ}, only {@code +}-prefixed numbers. */
  public static final String DEFAULT_PHONE_DEFAULT_REGION = "ZZ";
  /** Phone region per document language (ISO 639-1 → ISO 3166-1). */
  public static final Map<String, String> DEFAULT_PHONE_REGIONS = Map.of("zh", "CN", "de", "DE", "fr", "FR", "es", "ES", "ru", "RU", "en", "US");
  /**
   * Minimum Shannon entropy (bits per character) of a value assigned to a credential-like name.
   * English words and placeholders stay below 3 bits per character; generated keys of 8+ mixed
   * characters reach 3 (all distinct over 8 characters) and random 16+ character keys about 4.
   */
  public static final double DEFAULT_SECRET_MIN_ENTROPY = 3.0;
  /** Minimum length of an assigned secret value. */
  public static final int DEFAULT_SECRET_MIN_LENGTH = 8;

  public List<String> kinds = new ArrayList<>(DEFAULT_KINDS);
  public Map<String, String> tags = new LinkedHashMap<>(DEFAULT_TAGS);
  public Phone phone = new Phone();
  public IpAddress ipAddress = new IpAddress();
  public IdNumber idNumber = new IdNumber();
  public Secret secret = new Secret();

  /** {@link PhoneDetector} settings. */
  public static final class Phone implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** {@code possible}, {@code valid}, {@code strict_grouping} or {@code exact_grouping}. */
    public String leniency = DEFAULT_PHONE_LENIENCY;
    public String defaultRegion = DEFAULT_PHONE_DEFAULT_REGION;
    public Map<String, String> regions = new LinkedHashMap<>(DEFAULT_PHONE_REGIONS);
    /** Whether Chinese mobile numbers without {@code +86} are looked for in Chinese text. */
    public boolean chineseMobile = true;
  }

  /** {@link IpAddressDetector} settings. */
  public static final class IpAddress implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** Leave private, loopback, link-local, documentation, ... ranges untouched. */
    public boolean skipReserved = true;
  }

  /** {@link NationalIdDetector} and {@link IbanDetector} settings. */
  public static final class IdNumber implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** Whether IBANs are replaced (as {@code <ID_NUMBER>}). */
    public boolean iban = true;
  }

  /** {@link SecretDetector} settings. */
  public static final class Secret implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public double minEntropy = DEFAULT_SECRET_MIN_ENTROPY;
    public int minLength = DEFAULT_SECRET_MIN_LENGTH;
  }

  /** The tag for {@code kind}: the configured one, else the default. */
  public String tag(PiiKind kind) {
    String t = tags == null ? null : tags.get(kind.key());
    return t == null ? kind.defaultTag() : t;
  }

  @Override
  public void validate(String prefix) {
    if (kinds == null) throw new ConfigException("bad value for '" + prefix + ".kinds': give a list of kinds (known: " + String.join(", ", DEFAULT_KINDS) + ")");
    Set<String> seen = new LinkedHashSet<>();
    for (String k : kinds) {
      if (PiiKind.byKey(k) == null) {
        throw new ConfigException("bad value for '" + prefix + ".kinds': unknown kind '" + k + "' (known: " + String.join(", ", DEFAULT_KINDS) + ")");
      }
      if (!seen.add(k)) throw new ConfigException("bad value for '" + prefix + ".kinds': '" + k + "' listed twice");
    }
    if (tags != null) {
      for (Map.Entry<String, String> e : tags.entrySet()) {
        if (PiiKind.byKey(e.getKey()) == null) {
          throw new ConfigException("unknown config key '" + prefix + ".tags." + e.getKey() + "' (known: " + String.join(", ", DEFAULT_KINDS) + ")");
        }
        if (e.getValue() == null || e.getValue().isBlank()) {
          throw new ConfigException("bad value for '" + prefix + ".tags." + e.getKey() + "': a tag must not be empty");
        }
      }
    }
    try {
      PhoneDetector.leniency(phone.leniency);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("bad value for '" + prefix + ".phone.leniency': " + phone.leniency + " (" + e.getMessage() + ")");
    }
    if (phone.defaultRegion == null || !PhoneDetector.knownRegion(phone.defaultRegion.toUpperCase(Locale.ROOT))) {
      throw new ConfigException("bad value for '" + prefix + ".phone.default_region': " + phone.defaultRegion + " (an ISO 3166 region libphonenumber knows, or ZZ)");
    }
    if (phone.regions == null) throw new ConfigException("bad value for '" + prefix + ".phone.regions': give a map of language to region");
    for (Map.Entry<String, String> e : phone.regions.entrySet()) {
      if (e.getValue() == null || !PhoneDetector.knownRegion(e.getValue().toUpperCase(Locale.ROOT))) {
        throw new ConfigException("bad value for '" + prefix + ".phone.regions." + e.getKey() + "': " + e.getValue() + " (an ISO 3166 region libphonenumber knows)");
      }
    }
    ConfigSection.checkRange(prefix + ".secret.min_entropy", secret.minEntropy, 0, 16);
    ConfigSection.checkAtLeast(prefix + ".secret.min_length", secret.minLength, 1);
  }

  private static List<String> kindKeys() {
    List<String> l = new ArrayList<>();
    for (PiiKind k : PiiKind.values()) l.add(k.key());
    return List.copyOf(l);
  }

  private static Map<String, String> defaultTags() {
    Map<String, String> m = new LinkedHashMap<>();
    for (PiiKind k : PiiKind.values()) m.put(k.key(), k.defaultTag());
    return java.util.Collections.unmodifiableMap(m);
  }
}
