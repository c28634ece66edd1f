package dev.sieve.cli.inspect;

import static dev.sieve.cli.inspect.Formats.count;
import static dev.sieve.cli.inspect.HtmlParts.card;
import static dev.sieve.cli.inspect.Svg.esc;

import dev.sieve.cli.inspect.LakeSnapshot.Funnel;
import dev.sieve.cli.inspect.LakeSnapshot.FunnelStep;

/**
 * {@code sieve report}: one self-contained HTML page (inline CSS, SVG and a few lines of script;
 * nothing loaded from the network) with the lake's funnel, filter drops, length distributions,
 * duplicate cluster sizes, PII, tokens per source and language, and training loss curves.
 *
 * <p>The charts are SVG drawn by {@link Svg}, so the page reads the same with scripts off. The
 * script only adds hover highlighting and, once it has run without error, marks
 * {@code #render-status} with {@code data-status="ok"} and the counts of charts and bars it found
 * (what the headless-browser test checks).
 *
 * <p>The page is put together here from {@link ReportCharts} (the chart sections),
 * {@link ReportTables} (stage runs, reconciliation, tables) and {@link ReportAssets} (CSS, script).
 */
public final class ReportHtml {
  private ReportHtml() {}

  /** The whole page for {@code s}, as one HTML document (UTF-8 text, some tens of KiB). */
  public static String render(LakeSnapshot s) {
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Sieve report: ").append(esc(s.lake())).append("</title><style>").append(ReportAssets.CSS).append("</style></head><body>\n");
    b.append("<header><h1>Sieve report</h1><p class=\"sub\">lake <code>").append(esc(s.lake())).append("</code> · generated ")
        .append(esc(Formats.minute(s.takenAt()))).append("</p></header>\n<main>\n");
    cards(b, s);
    ReportCharts.funnel(b, s.funnel());
    ReportCharts.ruleDrops(b, s.funnel());
    ReportCharts.lengths(b, s.charts());
    ReportCharts.clusters(b, s.funnel(), s.charts());
    ReportCharts.pii(b, s.funnel());
    ReportCharts.tokens(b, s.shards());
    ReportCharts.training(b, s.training());
    ReportTables.stageRuns(b, s.stageRuns());
    ReportTables.reconciliation(b, s.reconciliation());
    ReportTables.tables(b, s.tables());
    if (!s.notes().isEmpty()) {
      b.append("<section><h2>Notes</h2><ul>");
      for (String n : s.notes()) b.append("<li>").append(esc(n)).append("</li>");
      b.append("</ul></section>\n");
    }
    b.append("</main>\n<footer><span id=\"render-status\" data-status=\"static\">charts are static SVG</span></footer>\n");
    b.append("<script>").append(ReportAssets.SCRIPT).append("</script>\n</body></html>\n");
    return b.toString();
  }

  private static void cards(StringBuilder b, LakeSnapshot s) {
    Funnel f = s.funnel();
    b.append("<section class=\"cards\">");
    card(b, "ingested", docs(f, "ingested"), "documents in bronze/documents");
    card(b, "clean", docs(f, "clean"), "documents after filter, dedup and PII");
    long dups = f.dedup() == null ? 0 : f.dedup().exactRemoved() + f.dedup().nearRemoved();
    card(b, "rejected", count(f.rejected()), "by the filter rules");
    card(b, "duplicates", f.dedup() == null ? "–" : count(dups), "exact and near duplicates removed");
    long spans = f.pii() == null ? 0 : f.pii().spansByKind().values().stream().mapToLong(Long::longValue).sum();
    card(b, "PII spans", f.pii() == null ? "–" : count(spans), "replaced by tags");
    card(b, "tokens", s.shards() == null ? "–" : Histograms.compact(s.shards().tokens()), s.shards() == null ? "no shards yet" : count(s.shards().tokens()) + " in shards");
    b.append("</section>\n");
  }

  private static String docs(Funnel f, String step) {
    for (FunnelStep st : f.steps()) if (st.step().equals(step)) return st.documents() == null ? "–" : count(st.documents());
    return "–";
  }
}
