package dev.sieve.cli.inspect;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How {@code sieve inspect} and {@code sieve report} write numbers, shares, sizes, losses, times and
 * reconciliation verdicts: the same text in the terminal, on the HTML page and in the SVG labels.
 */
final class Formats {
  private Formats() {}

  /** {@code 1234567} → {@code 1,234,567}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String pct(long part, long whole) {
    return whole == 0 ? "" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  /** A measured value or threshold: whole numbers without decimals, others to 3 significant places. */
  static String num(Double v) {
    if (v == null) return "";
    if (v.isNaN() || v.isInfinite()) return v.toString();
    if (Math.abs(v - Math.rint(v)) < 1e-9 && Math.abs(v) < 1e15) return String.valueOf((long) Math.rint(v));
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
  }

  static String loss(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, "%.4f", v);
  }

  static String bytes(long b) {
    if (b < 1024) return b + " B";
    String[] u = {"KiB", "MiB", "GiB", "TiB"};
    double v = b;
    int i = -1;
    while (v >= 1024 && i < u.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, u[i]);
  }

  /** {@code a 3, b 1}. */
  static String counts(Map<String, Long> m) {
    return m.entrySet().stream().map(e -> e.getKey() + " " + count(e.getValue())).collect(Collectors.joining(", "));
  }

  /** {@code en 61.2% (1,234), zh 30.0% (600)}. */
  static String shares(Map<String, Long> m, long total) {
    if (m.isEmpty()) return "-";
    return m.entrySet().stream().map(e -> e.getKey() + " " + pct(e.getValue(), total) + " (" + count(e.getValue()) + ")")
        .collect(Collectors.joining(", "));
  }

  /** {@code 2025-01-02T03:04:05.678Z} → {@code 2025-01-02 03:04Z}. */
  static String minute(String iso) {
    if (iso == null) return "";
    return iso.length() >= 16 && iso.charAt(10) == 'T' ? iso.substring(0, 10) + " " + iso.substring(11, 16) + "Z" : iso;
  }

  static String second(String iso) {
    if (iso == null) return "";
    return iso.length() >= 19 && iso.charAt(10) == 'T' ? iso.substring(0, 10) + " " + iso.substring(11, 19) + "Z" : iso;
  }

  /** The one-character mark of a reconciliation verdict: \u2714 reconciled, \u2718 mismatch, ! failed, \u2026 running, - otherwise. */
  static String mark(String verdict) {
    return switch (verdict) {
      case LakeSnapshot.Reconciliation.OK -> "\u2714";
      case LakeSnapshot.Reconciliation.MISMATCH -> "\u2718";
      case "failed" -> "!";
      case "running" -> "\u2026";
      default -> "-";
    };
  }
}
