package dev.sieve.pii;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.Leniency;
import dev.sieve.core.PiiKind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Phone numbers, found by libphonenumber's {@link PhoneNumberUtil#findNumbers} (which already
 * refuses dates, times, prices and numbers glued to letters) in every region the document hints
 * at: the region of its language ({@link PiiSettings#DEFAULT_PHONE_REGIONS}), the region of its
 * country-code TLD, else the default region. Numbers in international format ({@code +49 ...},
 * {@code + 38 048 738 08 08}) are found whatever the hints. Chinese mobile numbers (11 digits,
 * {@code 1[3-9]x}, optionally {@code +86}, optionally grouped 3-4-4) are also found by a
 * pattern of their own in Chinese documents and wherever the text holds Han characters,
 * because they are often written glued to Han text and without a country code.
 *
 * <p>Prefilter: documents without a group of at least {@link #MIN_DIGITS} digits skip
 * libphonenumber.
 */
public final class PhoneDetector implements PiiDetector {
  private static final long serialVersionUID = 1L;
  /** The shortest number looked for: 7 digits (local numbers in many regions). */
  public static final int MIN_DIGITS = 7;
  /** Characters of context kept around a number group for libphonenumber's checks of what precedes and follows. */
  private static final int WINDOW_PAD = 24;
  private static final Pattern CN_MOBILE = Pattern.compile(
      "(?<![0-9A-Za-z+])(?:(?:\\+|00)86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9A-Za-z])");

  private final Leniency leniency;
  private final Map<String, String> regionsByLanguage;
  private final String defaultRegion;
  private final boolean chineseMobile;

  /** VALID leniency, the default language map, no default region, Chinese mobiles on. */
  public PhoneDetector() {
    this(PiiSettings.DEFAULT_PHONE_LENIENCY, PiiSettings.DEFAULT_PHONE_REGIONS, PiiSettings.DEFAULT_PHONE_DEFAULT_REGION, true);
  }

  /**
   * @param leniency one of {@code possible}, {@code valid}, {@code strict_grouping}, {@code exact_grouping}
   * @param regionsByLanguage language code to ISO 3166 region, e.g. {@code zh → CN}
   * @param defaultRegion region used when neither language nor TLD gives one ({@code ZZ}: only
   *     international numbers)
   * @param chineseMobile whether to run the Chinese mobile pattern
   */
  public PhoneDetector(String leniency, Map<String, String> regionsByLanguage, String defaultRegion, boolean chineseMobile) {
    this.leniency = leniency(leniency);
    this.regionsByLanguage = Map.copyOf(regionsByLanguage);
    this.defaultRegion = defaultRegion.toUpperCase(Locale.ROOT);
    this.chineseMobile = chineseMobile;
  }

  /** libphonenumber's leniency for a config value; IllegalArgumentException naming the allowed values otherwise. */
  static Leniency leniency(String name) {
    return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
      case "possible" -> Leniency.POSSIBLE;
      case "valid" -> Leniency.VALID;
      case "strict_grouping" -> Leniency.STRICT_GROUPING;
      case "exact_grouping" -> Leniency.EXACT_GROUPING;
      default -> throw new IllegalArgumentException("leniency must be one of possible, valid, strict_grouping, exact_grouping");
    };
  }

  /** Whether libphonenumber knows the region code (or it is {@code ZZ}, unknown). */
  static boolean knownRegion(String region) {
    return region != null && (region.equals("ZZ") || PhoneNumberUtil.getInstance().getSupportedRegions().contains(region));
  }

  @Override
  public PiiKind kind() {
    return PiiKind.PHONE;
  }

  /** The regions searched for {@code doc}, in order: language, TLD, default. */
  Set<String> regions(PiiInput doc) {
    Set<String> regions = new LinkedHashSet<>();
    Set<String> supported = PhoneNumberUtil.getInstance().getSupportedRegions();
    if (doc.language() != null) {
      String r = regionsByLanguage.get(doc.language());
      if (r != null) regions.add(r.toUpperCase(Locale.ROOT));
    }
    String tld = doc.countryTld();
    if (tld != null) {
      String r = tld.equals("uk") ? "GB" : tld.toUpperCase(Locale.ROOT);
      if (supported.contains(r)) regions.add(r);
    }
    if (regions.isEmpty()) regions.add(defaultRegion);
    return regions;
  }

  @Override
  public void find(PiiInput doc, List<PiiSpan> out) {
    List<int[]> windows = doc.windows(MIN_DIGITS, WINDOW_PAD);
    if (windows.isEmpty()) return;
    String t = doc.folded();
    PhoneNumberUtil util = PhoneNumberUtil.getInstance();
    Set<String> regions = regions(doc);
    for (int[] w : windows) {
      String window = t.substring(w[0], w[1]);
      for (String region : regions) {
        for (PhoneNumberMatch m : util.findNumbers(window, region, leniency, Long.MAX_VALUE)) {
          out.add(doc.span(w[0] + m.start(), w[0] + m.end(), PiiKind.PHONE));
        }
      }
      if (leniency != Leniency.POSSIBLE && window.indexOf('+') >= 0) {
        // International format: "+" and a country code make a possible-length number a phone
        // number even where the national plan marks the range unassigned or the region's
        // metadata lags behind.
        for (PhoneNumberMatch m : util.findNumbers(window, "ZZ", Leniency.POSSIBLE, Long.MAX_VALUE)) {
          if (m.rawString().startsWith("+")) out.add(doc.span(w[0] + m.start(), w[0] + m.end(), PiiKind.PHONE));
        }
      }
    }
    if (chineseMobile && ("zh".equals(doc.language()) || regions.contains("CN") || doc.hasHan())) {
      Chars.findIn(CN_MOBILE, t, windows, m -> out.add(doc.span(m.start(), m.end(), PiiKind.PHONE)));
    }
  }
}
