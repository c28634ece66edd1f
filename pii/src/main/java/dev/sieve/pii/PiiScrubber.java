package dev.sieve.pii;

import dev.sieve.core.PiiKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scrubber chain: runs the enabled detectors on a document, resolves overlapping spans and
 * replaces each kept span by its kind's tag. Overlaps are resolved deterministically: the
 * longest span wins, then the earliest, then the kind whose detector checks more (secret, id
 * number, card, e-mail, IP, phone); a span overlapping one already kept is dropped. Thread-safe
 * and serializable: build it once per partition (or broadcast it).
 */
public final class PiiScrubber implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private static final Comparator<PiiSpan> PRIORITY = Comparator.comparingInt(PiiSpan::length).reversed()
      .thenComparingInt(PiiSpan::start)
      .thenComparingInt(s -> specificity(s.kind()));

  /**
   * Tie-break when two detectors claim the same span: the kind whose detector checks more (a
   * check digit, a fixed prefix) wins over the kind that only checks a shape. Lower wins.
   */
  static int specificity(PiiKind kind) {
    return switch (kind) {
      case SECRET -> 0;
      case ID_NUMBER -> 1;
      case CREDIT_CARD -> 2;
      case EMAIL -> 3;
      case IP_ADDRESS -> 4;
      case PHONE -> 5;
    };
  }

  private final List<PiiDetector> detectors;
  private final EnumMap<PiiKind, String> tags;

  /** A scrubbed document: the text with tags in place of the spans, and the count of spans per kind key (kinds found only). */
  public record Result(String text, Map<String, Integer> counts) {
    /** Total number of replaced spans. */
    public int total() {
      return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    @Override
    public String toString() {
      return "Result[chars=" + text.length() + ", counts=" + counts + "]";
    }
  }

  public PiiScrubber(List<PiiDetector> detectors, Map<PiiKind, String> tags) {
    this.detectors = List.copyOf(detectors);
    this.tags = new EnumMap<>(PiiKind.class);
    for (PiiKind k : PiiKind.values()) this.tags.put(k, tags.getOrDefault(k, k.defaultTag()));
  }

  /** The chain the settings describe (validated first). */
  public static PiiScrubber fromSettings(PiiSettings s) {
    s.validate("pii");
    List<PiiDetector> ds = new ArrayList<>();
    for (String key : s.kinds) {
      switch (PiiKind.byKey(key)) {
        case EMAIL -> ds.add(new EmailDetector());
        case PHONE -> ds.add(new PhoneDetector(s.phone.leniency, s.phone.regions, s.phone.defaultRegion.toUpperCase(Locale.ROOT), s.phone.chineseMobile));
        case IP_ADDRESS -> ds.add(new IpAddressDetector(s.ipAddress.skipReserved));
        case ID_NUMBER -> {
          ds.add(new NationalIdDetector());
          if (s.idNumber.iban) ds.add(new IbanDetector());
        }
        case CREDIT_CARD -> ds.add(new CreditCardDetector());
        case SECRET -> ds.add(new SecretDetector(s.secret.minEntropy, s.secret.minLength));
      }
    }
    Map<PiiKind, String> tags = new EnumMap<>(PiiKind.class);
    for (PiiKind k : PiiKind.values()) tags.put(k, s.tag(k));
    return new PiiScrubber(ds, tags);
  }

  /** Every kind with default settings. */
  public static PiiScrubber defaults() {
    return fromSettings(new PiiSettings());
  }

  public List<PiiDetector> detectors() {
    return detectors;
  }

  /** The non-overlapping spans that would be replaced, in text order. */
  public List<PiiSpan> detect(PiiInput doc) {
    List<PiiSpan> all = new ArrayList<>();
    for (PiiDetector d : detectors) d.find(doc, all);
    return resolve(all);
  }

  /** Resolves overlaps: longest, then earliest, then most specific kind wins. Result in text order. */
  static List<PiiSpan> resolve(List<PiiSpan> spans) {
    if (spans.size() <= 1) return spans;
    List<PiiSpan> sorted = new ArrayList<>(spans);
    sorted.sort(PRIORITY);
    List<PiiSpan> kept = new ArrayList<>();
    for (PiiSpan s : sorted) {
      boolean free = true;
      for (PiiSpan k : kept) {
        if (k.overlaps(s)) {
          free = false;
          break;
        }
      }
      if (free) kept.add(s);
    }
    kept.sort(Comparator.comparingInt(PiiSpan::start));
    return kept;
  }

  /** Scrubs {@code text}; language (ISO 639-1) and domain are optional hints (null when unknown). */
  public Result scrub(String text, String language, String domain) {
    return scrub(new PiiInput(text, language, domain));
  }

  public Result scrub(PiiInput doc) {
    List<PiiSpan> spans = detect(doc);
    String t = doc.text();
    if (spans.isEmpty()) return new Result(t, Map.of());
    StringBuilder sb = new StringBuilder(t.length());
    EnumMap<PiiKind, Integer> counts = new EnumMap<>(PiiKind.class);
    int at = 0;
    for (PiiSpan s : spans) {
      sb.append(t, at, s.start()).append(tags.get(s.kind()));
      at = s.end();
      counts.merge(s.kind(), 1, Integer::sum);
    }
    sb.append(t, at, t.length());
    Map<String, Integer> byKey = new LinkedHashMap<>();
    counts.forEach((k, v) -> byKey.put(k.key(), v));
    return new Result(sb.toString(), byKey);
  }
}
