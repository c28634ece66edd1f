package dev.sieve.core;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Run ids: {@code <stage>-<UTC yyyyMMdd'T'HHmmss'Z'>-<6 hex>}, sortable by time, unique per run. */
public final class RunIds {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunIds() {}

  public static String newRunId(String stage) {
    byte[] b = new byte[3];
    RANDOM.nextBytes(b);
    return stage + "-" + STAMP.format(Instant.now()) + "-" + HexFormat.of().formatHex(b);
  }

  /** Checks a user-given run id (letters, digits, {@code . _ -}; it becomes a folder name). */
  public static String validate(String runId) {
    if (runId == null || !VALID.matcher(runId).matches()) {
      throw new IllegalArgumentException("bad run id '" + runId + "': use letters, digits, '.', '_' or '-' (at most 128)");
    }
    return runId;
  }
}
