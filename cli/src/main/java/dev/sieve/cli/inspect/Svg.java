package dev.sieve.cli.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for the HTML report, drawn in Java: no JavaScript library, nothing fetched.
 * Every chart is an {@code <svg class="chart" data-chart="ID">}; every bar a
 * {@code <rect class="bar">} and every line a {@code <path class="line">}, each with a
 * {@code <title>} tooltip, so tests (and the page's own script) can count what was drawn.
 */
public final class Svg {
  /** Series colours (colour-blind safe, Okabe–Ito). */
  static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"};

  /** One bar: its label, value, and text shown after it (e.g. {@code 812 (81.2%)}). */
  public record Bar(String label, double value, String text) {}

  /** One line of a line chart; points are (x, y), sorted by x. */
  public record Series(String name, List<double[]> points, boolean dashed, String color) {}

  private Svg() {}

  public static String esc(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') b.append(' ');
          else b.append(c);
        }
      }
    }
    return b.toString();
  }

  static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** Horizontal bars, one per row, label at the left and text at the right of each bar. */
  public static String horizontalBars(String id, List<Bar> bars, String color) {
    return horizontalBars(id, bars, color, 150, 420);
  }

  /** Horizontal bars with a given label column and longest bar, in px. */
  public static String horizontalBars(String id, List<Bar> bars, String color, int labelW, int barW) {
    int textW = 130;
    int rowH = 24;
    int w = labelW + barW + textW;
    int h = Math.max(1, bars.size()) * rowH + 8;
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(0);
    StringBuilder sb = open(id, w, h, bars.size());
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      double y = 4 + i * rowH;
      double len = max <= 0 ? 0 : Math.max(b.value() > 0 ? 1 : 0, barW * b.value() / max);
      sb.append("<text class=\"label\" x=\"").append(labelW - 8).append("\" y=\"").append(f(y + rowH * 0.65))
          .append("\" text-anchor=\"end\">").append(esc(clip(b.label(), labelW / 7))).append("</text>");
      sb.append("<rect class=\"bar\" x=\"").append(labelW).append("\" y=\"").append(f(y + 3)).append("\" width=\"").append(f(len))
          .append("\" height=\"").append(rowH - 6).append("\" fill=\"").append(color).append("\" data-value=\"").append(num(b.value()))
          .append("\"><title>").append(esc(b.label() + ": " + b.text())).append("</title></rect>");
      sb.append("<text class=\"value\" x=\"").append(f(labelW + len + 6)).append("\" y=\"").append(f(y + rowH * 0.65)).append("\">")
          .append(esc(b.text())).append("</text>");
    }
    if (bars.isEmpty()) sb.append("<text class=\"empty\" x=\"").append(w / 2).append("\" y=\"18\" text-anchor=\"middle\">no data</text>");
    return sb.append("</svg>").toString();
  }

  /**
   * Vertical bars over categories (a histogram): one bar per label, y axis with a few ticks,
   * labels under the bars. {@code width}/{@code height} are the drawing's size in px.
   */
  public static String columns(String id, List<String> labels, List<? extends Number> values, String color, int width, int height, String unit) {
    return columns(id, labels, labels, values, color, width, height, unit);
  }

  /**
   * Vertical bars with short tick labels under the bars and longer names in the tooltips
   * ({@code ticks} and {@code names} as long as {@code values}).
   */
  public static String columns(String id, List<String> ticks, List<String> names, List<? extends Number> values, String color, int width, int height,
      String unit) {
    List<String> labels = names;
    int left = 44;
    int bottom = 34;
    int top = 10;
    int right = 8;
    double plotW = width - left - right;
    double plotH = height - top - bottom;
    double max = values.stream().mapToDouble(Number::doubleValue).max().orElse(0);
    double niceMax = max <= 0 ? 0 : Math.max(4, countCeil(max));
    StringBuilder sb = open(id, width, height, labels.size());
    axisY(sb, left, top, plotW, plotH, niceMax);
    double slot = labels.isEmpty() ? plotW : plotW / labels.size();
    for (int i = 0; i < labels.size(); i++) {
      double v = values.get(i).doubleValue();
      double bh = niceMax <= 0 ? 0 : plotH * v / niceMax;
      double bw = Math.min(slot * 0.76, 56);
      double x = left + i * slot + (slot - bw) / 2;
      sb.append("<rect class=\"bar\" x=\"").append(f(x)).append("\" y=\"").append(f(top + plotH - bh)).append("\" width=\"")
          .append(f(bw)).append("\" height=\"").append(f(bh)).append("\" fill=\"").append(color).append("\" data-value=\"")
          .append(num(v)).append("\"><title>").append(esc(labels.get(i) + ": " + num(v) + (unit == null ? "" : " " + unit)))
          .append("</title></rect>");
      boolean every = labels.size() <= 12 || i % ((labels.size() + 11) / 12) == 0;
      if (every) {
        sb.append("<text class=\"tick\" x=\"").append(f(left + i * slot + slot / 2)).append("\" y=\"").append(f(top + plotH + 14))
            .append("\" text-anchor=\"middle\">").append(esc(ticks.get(i))).append("</text>");
      }
    }
    if (labels.isEmpty()) sb.append("<text class=\"empty\" x=\"").append(width / 2).append("\" y=\"").append(height / 2).append("\" text-anchor=\"middle\">no data</text>");
    return sb.append("</svg>").toString();
  }

  /** A line chart with x and y axes and a legend; one {@code <path class="line">} per series. */
  public static String lines(String id, List<Series> series, String xLabel, String yLabel, int width, int height) {
    int left = 56;
    int bottom = 40;
    int top = 12;
    int right = 150;
    double plotW = width - left - right;
    double plotH = height - top - bottom;
    double minX = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, minY = Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
    for (Series s : series) {
      for (double[] p : s.points()) {
        minX = Math.min(minX, p[0]);
        maxX = Math.max(maxX, p[0]);
        minY = Math.min(minY, p[1]);
        maxY = Math.max(maxY, p[1]);
      }
    }
    StringBuilder sb = open(id, width, height, series.size());
    if (minX > maxX) {
      sb.append("<text class=\"empty\" x=\"").append(width / 2).append("\" y=\"").append(height / 2).append("\" text-anchor=\"middle\">no data</text>");
      return sb.append("</svg>").toString();
    }
    if (maxX == minX) maxX = minX + 1;
    double lo = Math.max(0, niceFloor(minY));
    double hi = niceCeil(maxY);
    if (hi <= lo) hi = lo + 1;
    // y grid
    for (int i = 0; i <= 4; i++) {
      double v = lo + (hi - lo) * i / 4;
      double y = top + plotH - plotH * i / 4;
      sb.append("<line class=\"grid\" x1=\"").append(left).append("\" x2=\"").append(f(left + plotW)).append("\" y1=\"").append(f(y))
          .append("\" y2=\"").append(f(y)).append("\"/>");
      sb.append("<text class=\"tick\" x=\"").append(left - 6).append("\" y=\"").append(f(y + 4)).append("\" text-anchor=\"end\">")
          .append(esc(tick(v))).append("</text>");
    }
    for (int i = 0; i <= 4; i++) {
      double v = minX + (maxX - minX) * i / 4;
      double x = left + plotW * i / 4;
      sb.append("<text class=\"tick\" x=\"").append(f(x)).append("\" y=\"").append(f(top + plotH + 16)).append("\" text-anchor=\"middle\">")
          .append(esc(Histograms.compact(Math.rint(v)))).append("</text>");
    }
    sb.append("<text class=\"axis-label\" x=\"").append(f(left + plotW / 2)).append("\" y=\"").append(height - 4).append("\" text-anchor=\"middle\">")
        .append(esc(xLabel)).append("</text>");
    sb.append("<text class=\"axis-label\" transform=\"rotate(-90)\" x=\"").append(f(-(top + plotH / 2))).append("\" y=\"14\" text-anchor=\"middle\">")
        .append(esc(yLabel)).append("</text>");
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      StringBuilder d = new StringBuilder();
      for (double[] p : s.points()) {
        double x = left + plotW * (p[0] - minX) / (maxX - minX);
        double y = top + plotH - plotH * (p[1] - lo) / (hi - lo);
        d.append(d.length() == 0 ? "M" : " L").append(f(x)).append(' ').append(f(y));
      }
      sb.append("<path class=\"line\" d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(s.color()).append("\" stroke-width=\"2\"")
          .append(s.dashed() ? " stroke-dasharray=\"6 4\"" : "").append("><title>").append(esc(s.name() + " (" + s.points().size() + " points)"))
          .append("</title></path>");
      double ly = top + 8 + k * 18;
      sb.append("<line x1=\"").append(f(left + plotW + 12)).append("\" x2=\"").append(f(left + plotW + 34)).append("\" y1=\"").append(f(ly))
          .append("\" y2=\"").append(f(ly)).append("\" stroke=\"").append(s.color()).append("\" stroke-width=\"2\"")
          .append(s.dashed() ? " stroke-dasharray=\"6 4\"" : "").append("/>");
      sb.append("<text class=\"legend\" x=\"").append(f(left + plotW + 40)).append("\" y=\"").append(f(ly + 4)).append("\">")
          .append(esc(clip(s.name(), 18))).append("</text>");
    }
    return sb.append("</svg>").toString();
  }

  private static StringBuilder open(String id, int w, int h, int items) {
    return new StringBuilder("<svg class=\"chart\" data-chart=\"").append(esc(id)).append("\" data-items=\"").append(items)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" width=\"").append(w)
        .append("\" height=\"").append(h).append("\" role=\"img\">");
  }

  private static void axisY(StringBuilder sb, int left, int top, double plotW, double plotH, double max) {
    for (int i = 0; i <= 4; i++) {
      double v = max * i / 4;
      double y = top + plotH - plotH * i / 4;
      sb.append("<line class=\"grid\" x1=\"").append(left).append("\" x2=\"").append(f(left + plotW)).append("\" y1=\"").append(f(y))
          .append("\" y2=\"").append(f(y)).append("\"/>");
      sb.append("<text class=\"tick\" x=\"").append(left - 6).append("\" y=\"").append(f(y + 4)).append("\" text-anchor=\"end\">")
          .append(esc(Histograms.compact(v))).append("</text>");
    }
  }

  /** The smallest of 1, 2, 2.5, 5 × 10^k at or above {@code v} (0 stays 0). */
  static double niceCeil(double v) {
    if (v <= 0) return 0;
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * p >= v - 1e-12) return m * p;
    return 10 * p;
  }

  /** The smallest of 1, 2, 4, 8 × 10^k at or above {@code v}: four grid steps that stay whole for counts of 4 and up. */
  static double countCeil(double v) {
    if (v <= 0) return 0;
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 4, 8, 10}) if (m * p >= v - 1e-12) return m * p;
    return 10 * p;
  }

  static double niceFloor(double v) {
    if (v <= 0) return 0;
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    return Math.floor(v / p) * p;
  }

  private static String tick(double v) {
    if (Math.abs(v) >= 1000) return Histograms.compact(v);
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
  }

  private static String num(double v) {
    return Math.abs(v - Math.rint(v)) < 1e-9 ? String.valueOf((long) Math.rint(v)) : String.format(Locale.ROOT, "%.4g", v);
  }

  private static String clip(String s, int n) {
    if (s == null) return "";
    return s.codePointCount(0, s.length()) <= n ? s : s.substring(0, s.offsetByCodePoints(0, n - 1)) + "…";
  }

  /** Bars from parallel lists. */
  static List<Bar> bars(List<String> labels, List<Long> values, long total) {
    List<Bar> out = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      long v = values.get(i);
      out.add(new Bar(labels.get(i), v, Formats.count(v) + (total > 0 ? " (" + Formats.pct(v, total) + ")" : "")));
    }
    return out;
  }
}
