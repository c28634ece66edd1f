package dev.sieve.dedup;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which document of a duplicate cluster survives. Every policy breaks ties by the smallest
 * {@code doc_id}, so the choice is deterministic and independent of partitioning and of the
 * order documents arrived in.
 */
public enum KeepPolicy {
  /** Highest {@code quality_score} from the filter stage's classifier (missing scores last). */
  HIGHEST_QUALITY,
  /** Longest text in characters. */
  LONGEST,
  /** Earliest {@code fetch_time} (missing times last): the first publication, as Common Crawl saw it. */
  EARLIEST,
  /** Smallest {@code doc_id}: arbitrary but stable. */
  SMALLEST_ID;

  /** The config name, e.g. {@code highest_quality}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static KeepPolicy parse(String name) {
    for (KeepPolicy p : values()) if (p.configName().equals(name)) return p;
    throw new IllegalArgumentException("unknown keep policy '" + name + "' (known: "
        + String.join(", ", Arrays.stream(values()).map(KeepPolicy::configName).toList()) + ")");
  }
}
