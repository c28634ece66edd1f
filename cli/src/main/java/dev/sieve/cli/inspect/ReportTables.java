package dev.sieve.cli.inspect;

import static dev.sieve.cli.inspect.HtmlParts.empty;
import static dev.sieve.cli.inspect.HtmlParts.section;
import static dev.sieve.cli.inspect.HtmlParts.td;
import static dev.sieve.cli.inspect.Formats.count;
import static dev.sieve.cli.inspect.Svg.esc;

import dev.sieve.cli.inspect.LakeSnapshot.StageRunSummary;
import dev.sieve.cli.inspect.LakeSnapshot.TableInfo;
import java.util.List;
import java.util.Locale;

/** The table sections of {@link ReportHtml}: stage runs, reconciliation and the lake's tables. */
final class ReportTables {
  private ReportTables() {}

  static void stageRuns(StringBuilder b, List<StageRunSummary> runs) {
    section(b, "runs", "Stage runs", "Latest run per stage from <code>_sieve/stage_runs</code>.");
    if (runs.isEmpty()) {
      empty(b, "No stage has run yet.");
      b.append("</section>\n");
      return;
    }
    b.append("<table><thead><tr><th>stage</th><th class=\"r\">runs</th><th>latest run</th><th>status</th><th>started</th>")
        .append("<th class=\"r\">seconds</th><th class=\"r\">in</th><th class=\"r\">out</th></tr></thead><tbody>");
    for (StageRunSummary r : runs) {
      b.append("<tr><td>").append(esc(r.stage())).append("</td>").append(td(String.valueOf(r.runs()))).append("<td><code>")
          .append(esc(r.lastRunId())).append("</code></td><td class=\"st-").append(esc(r.lastStatus().toLowerCase(Locale.ROOT))).append("\">")
          .append(esc(r.lastStatus())).append("</td><td>").append(esc(Formats.minute(r.lastStartedAt()))).append("</td>")
          .append(td(r.lastSeconds() == null ? "" : String.format(Locale.ROOT, "%.1f", r.lastSeconds()))).append(td(count(r.lastCountIn())))
          .append(td(count(r.lastCountOut()))).append("</tr>");
    }
    b.append("</tbody></table></section>\n");
  }

  static void reconciliation(StringBuilder b, List<LakeSnapshot.Reconciliation> runs) {
    section(b, "reconciliation", "Reconciliation",
        "Every stage run's ledger: documents in = out + dropped by reason, and the rows each output table gained.");
    if (runs.isEmpty()) {
      empty(b, "No stage has run yet.");
      b.append("</section>\n");
      return;
    }
    b.append("<table><thead><tr><th></th><th>stage</th><th>run</th><th class=\"r\">in</th><th class=\"r\">out</th>")
        .append("<th class=\"r\">dropped</th><th class=\"r\">quarantined</th><th>dropped by reason</th><th>rows gained</th></tr></thead><tbody>");
    for (LakeSnapshot.Reconciliation r : runs) {
      long dropped = r.dropped().values().stream().mapToLong(Long::longValue).sum();
      b.append("<tr><td class=\"rc-").append(esc(r.verdict())).append("\" title=\"").append(esc(r.verdict())).append("\">")
          .append(esc(Formats.mark(r.verdict()))).append("</td><td>").append(esc(r.stage())).append("</td><td><code>").append(esc(r.runId()))
          .append("</code></td>").append(td(count(r.in()))).append(td(count(r.out()))).append(td(count(dropped))).append(td(count(r.quarantined())))
          .append("<td>").append(esc(r.dropped().isEmpty() ? "–" : Formats.counts(r.dropped()))).append("</td><td>")
          .append(esc(r.rowsGained().isEmpty() ? "–" : Formats.counts(r.rowsGained()))).append("</td></tr>");
    }
    b.append("</tbody></table></section>\n");
  }

  static void tables(StringBuilder b, List<TableInfo> tables) {
    section(b, "tables", "Tables", null);
    b.append("<table><thead><tr><th>table</th><th>view</th><th class=\"r\">version</th><th class=\"r\">rows</th><th>last commit</th></tr></thead><tbody>");
    for (TableInfo t : tables) {
      b.append("<tr").append(t.exists() ? "" : " class=\"absent\"").append("><td><code>").append(esc(t.path())).append("</code></td><td>")
          .append(esc(t.view())).append("</td>").append(td(t.exists() ? String.valueOf(t.version()) : "–")).append(td(t.exists() ? count(t.rows()) : "–"))
          .append("<td>");
      if (!t.exists()) b.append("absent");
      else if (!t.history().isEmpty()) {
        var c = t.history().get(0);
        b.append(esc(Formats.minute(c.timestamp()) + " " + c.operation() + (c.runId() == null ? "" : " · " + c.runId())));
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table></section>\n");
  }
}
