package dev.sieve.cli.inspect;

import static dev.sieve.cli.inspect.Svg.esc;

/** The small HTML pieces the {@link ReportHtml} sections share: a card, a section head, an empty note, a numeric cell. */
final class HtmlParts {
  private HtmlParts() {}

  static void card(StringBuilder b, String title, String value, String note) {
    b.append("<div class=\"card\"><div class=\"k\">").append(esc(title)).append("</div><div class=\"v\">").append(esc(value))
        .append("</div><div class=\"n\">").append(esc(note)).append("</div></div>");
  }

  static void section(StringBuilder b, String id, String title, String lead) {
    b.append("<section id=\"").append(id).append("\"><h2>").append(esc(title)).append("</h2>");
    if (lead != null) b.append("<p class=\"lead\">").append(lead).append("</p>");
  }

  static void empty(StringBuilder b, String what) {
    b.append("<p class=\"empty\">").append(esc(what)).append("</p>");
  }

  static String td(String v) {
    return "<td class=\"r\">" + esc(v) + "</td>";
  }
}
