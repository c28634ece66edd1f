package dev.sieve.cli.inspect;

import static dev.sieve.cli.inspect.InspectText.count;
import static dev.sieve.cli.inspect.InspectText.pct;
import static dev.sieve.cli.inspect.Svg.esc;

import dev.sieve.cli.inspect.LakeSnapshot.Charts;
import dev.sieve.cli.inspect.LakeSnapshot.Curve;
import dev.sieve.cli.inspect.LakeSnapshot.CurvePoint;
import dev.sieve.cli.inspect.LakeSnapshot.Funnel;
import dev.sieve.cli.inspect.LakeSnapshot.FunnelStep;
import dev.sieve.cli.inspect.LakeSnapshot.RuleDrop;
import dev.sieve.cli.inspect.LakeSnapshot.ShardGroup;
import dev.sieve.cli.inspect.LakeSnapshot.ShardSummary;
import dev.sieve.cli.inspect.LakeSnapshot.StageRunSummary;
import dev.sieve.cli.inspect.LakeSnapshot.TableInfo;
import dev.sieve.cli.inspect.LakeSnapshot.TrainingRun;
import dev.sieve.cli.inspect.LakeSnapshot.TrainingSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sieve report}: one self-contained HTML page (inline CSS, SVG and a few lines of script;
 * nothing loaded from the network) with the lake's funnel, filter drops, length distributions,
 * duplicate cluster sizes, PII, tokens per source and language, and training loss curves.
 *
 * <p>The charts are SVG drawn by {@link Svg}, so the page reads the same with scripts off. The
 * script only adds hover highlighting and, once it has run without error, marks
 * {@code #render-status} with {@code data-status="ok"} and the counts of charts and bars it found
 * (what the headless-browser test checks).
 */
public final class ReportHtml {
  private ReportHtml() {}

  public static String render(LakeSnapshot s) {
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Sieve report: ").append(esc(s.lake())).append("</title><style>").append(CSS).append("</style></head><body>\n");
    b.append("<header><h1>Sieve report</h1><p class=\"sub\">lake <code>").append(esc(s.lake())).append("</code> · generated ")
        .append(esc(InspectText.minute(s.takenAt()))).append("</p></header>\n<main>\n");
    cards(b, s);
    funnel(b, s.funnel());
    ruleDrops(b, s.funnel());
    lengths(b, s.charts());
    clusters(b, s.funnel(), s.charts());
    pii(b, s.funnel());
    tokens(b, s.shards());
    training(b, s.training());
    stageRuns(b, s.stageRuns());
    reconciliation(b, s.reconciliation());
    tables(b, s.tables());
    if (!s.notes().isEmpty()) {
      b.append("<section><h2>Notes</h2><ul>");
      for (String n : s.notes()) b.append("<li>").append(esc(n)).append("</li>");
      b.append("</ul></section>\n");
    }
    b.append("</main>\n<footer><span id=\"render-status\" data-status=\"static\">charts are static SVG</span></footer>\n");
    b.append("<script>").append(SCRIPT).append("</script>\n</body></html>\n");
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

  private static void card(StringBuilder b, String title, String value, String note) {
    b.append("<div class=\"card\"><div class=\"k\">").append(esc(title)).append("</div><div class=\"v\">").append(esc(value))
        .append("</div><div class=\"n\">").append(esc(note)).append("</div></div>");
  }

  private static void section(StringBuilder b, String id, String title, String lead) {
    b.append("<section id=\"").append(id).append("\"><h2>").append(esc(title)).append("</h2>");
    if (lead != null) b.append("<p class=\"lead\">").append(lead).append("</p>");
  }

  private static void empty(StringBuilder b, String what) {
    b.append("<p class=\"empty\">").append(esc(what)).append("</p>");
  }

  static void funnel(StringBuilder b, Funnel f) {
    section(b, "funnel", "Funnel", "Documents in each table now: ingested → filtered → deduped → clean → tokenized.");
    Long first = f.steps().isEmpty() ? null : f.steps().get(0).documents();
    List<Svg.Bar> bars = new ArrayList<>();
    for (FunnelStep s : f.steps()) {
      if (s.documents() == null) continue;
      String text = count(s.documents()) + (first == null || first == 0 ? "" : " (" + pct(s.documents(), first) + ")");
      bars.add(new Svg.Bar(s.step(), s.documents(), text));
    }
    if (bars.isEmpty()) empty(b, "The lake has no documents yet: run sieve pipeline.");
    else b.append(Svg.horizontalBars("funnel", bars, Svg.PALETTE[0]));
    b.append("</section>\n");
  }

  static void ruleDrops(StringBuilder b, Funnel f) {
    section(b, "rules", "Filter drops by rule", esc(count(f.rejected())) + " documents in <code>silver/rejected</code>; the first rule that rejects a document is its rule.");
    List<Svg.Bar> bars = new ArrayList<>();
    for (RuleDrop d : f.ruleDrops()) {
      bars.add(new Svg.Bar(("coarse".equals(d.stage()) ? "" : d.stage() + ": ") + d.rule(), d.documents(),
          count(d.documents()) + " (" + pct(d.documents(), f.rejected()) + ")"));
    }
    if (bars.isEmpty()) empty(b, "No rejected documents.");
    else b.append(Svg.horizontalBars("rule-drops", bars, Svg.PALETTE[3]));
    b.append("</section>\n");
  }

  static void lengths(StringBuilder b, Charts c) {
    section(b, "lengths", "Document length by language",
        c == null ? null : "Characters per document in <code>" + esc(c.lengthTable()) + "</code>, bucketed in Spark; one histogram per language.");
    if (c == null || c.lengthByLanguage().isEmpty()) {
      empty(b, "No documents yet.");
    } else {
      List<String> labels = new ArrayList<>();
      List<String> ticks = new ArrayList<>();
      for (int i = 0; i < c.lengthBounds().size(); i++) {
        labels.add(Histograms.bucketLabel(c.lengthBounds(), i) + " chars");
        ticks.add(Histograms.compact(c.lengthBounds().get(i)) + (i == c.lengthBounds().size() - 1 ? "+" : ""));
      }
      b.append("<div class=\"multiples\">");
      int k = 0;
      for (Map.Entry<String, List<Long>> e : c.lengthByLanguage().entrySet()) {
        long n = e.getValue().stream().mapToLong(Long::longValue).sum();
        b.append("<figure><figcaption><b>").append(esc(e.getKey())).append("</b> · ").append(count(n)).append(" documents</figcaption>")
            .append(Svg.columns("length-" + e.getKey(), ticks, labels, e.getValue(), Svg.PALETTE[k++ % Svg.PALETTE.length], 420, 170, "documents"))
            .append("</figure>");
      }
      b.append("</div>");
    }
    b.append("</section>\n");
  }

  static void clusters(StringBuilder b, Funnel f, Charts c) {
    String lead = f.dedup() == null ? null : esc(count(f.dedup().clusters())) + " clusters of two or more documents holding "
        + esc(count(f.dedup().documentsInClusters())) + " documents; kept one each, removed " + esc(count(f.dedup().exactRemoved()))
        + " exact and " + esc(count(f.dedup().nearRemoved())) + " near duplicates.";
    section(b, "clusters", "Duplicate cluster sizes", lead);
    if (c == null || c.clusterSizes().isEmpty()) {
      empty(b, f.dedup() == null ? "Dedup has not run yet." : "No duplicate clusters.");
    } else {
      List<String> labels = new ArrayList<>();
      List<Long> values = new ArrayList<>();
      for (Map.Entry<Integer, Long> e : c.clusterSizes().entrySet()) {
        labels.add(String.valueOf(e.getKey()));
        values.add(e.getValue());
      }
      b.append("<figure><figcaption>clusters per size (documents in the cluster); x: size, y: clusters</figcaption>")
          .append(Svg.columns("cluster-sizes", labels, values, Svg.PALETTE[4], Math.max(320, Math.min(900, 60 + 44 * labels.size())), 200, "clusters"))
          .append("</figure>");
    }
    b.append("</section>\n");
  }

  static void pii(StringBuilder b, Funnel f) {
    String lead = f.pii() == null ? null : esc(count(f.pii().documentsWithPii())) + " of " + esc(count(f.pii().documents()))
        + " documents in <code>silver/clean</code> had personal data, replaced by typed tags.";
    section(b, "pii", "PII spans by kind", lead);
    if (f.pii() == null || f.pii().spansByKind().isEmpty()) {
      empty(b, f.pii() == null ? "The PII stage has not run yet." : "No PII found.");
    } else {
      long total = f.pii().spansByKind().values().stream().mapToLong(Long::longValue).sum();
      b.append(Svg.horizontalBars("pii-kinds", Svg.bars(new ArrayList<>(f.pii().spansByKind().keySet()),
          new ArrayList<>(f.pii().spansByKind().values()), total), Svg.PALETTE[2]));
    }
    b.append("</section>\n");
  }

  static void tokens(StringBuilder b, ShardSummary s) {
    section(b, "tokens", "Tokens by source and language", s == null ? null
        : esc(count(s.tokens())) + " tokens in <code>gold/shard_manifest</code>, tokenizer " + esc(String.join(", ", s.tokenizers())) + ".");
    if (s == null) {
      empty(b, "No shards yet: run sieve tokenize.");
      b.append("</section>\n");
      return;
    }
    b.append("<div class=\"two\"><figure><figcaption>by source</figcaption>")
        .append(Svg.horizontalBars("tokens-source", Svg.bars(new ArrayList<>(s.tokensBySource().keySet()), new ArrayList<>(s.tokensBySource().values()), s.tokens()), Svg.PALETTE[0], 100, 240))
        .append("</figure><figure><figcaption>by language</figcaption>")
        .append(Svg.horizontalBars("tokens-language", Svg.bars(new ArrayList<>(s.tokensByLanguage().keySet()), new ArrayList<>(s.tokensByLanguage().values()), s.tokens()), Svg.PALETTE[1], 100, 240))
        .append("</figure></div>");
    b.append("<table><thead><tr><th>dataset</th><th>split</th><th class=\"r\">shards</th><th class=\"r\">documents</th><th class=\"r\">sequences</th>")
        .append("<th class=\"r\">tokens</th><th class=\"r\">bytes</th></tr></thead><tbody>");
    for (ShardGroup g : s.groups()) {
      b.append("<tr><td>").append(esc(g.dataset())).append("</td><td>").append(esc(g.split())).append("</td>").append(td(count(g.shards())))
          .append(td(count(g.documents()))).append(td(count(g.sequences()))).append(td(count(g.tokens()))).append(td(InspectText.bytes(g.bytes())))
          .append("</tr>");
    }
    b.append("</tbody></table></section>\n");
  }

  static void training(StringBuilder b, TrainingSummary t) {
    section(b, "training", "Training loss", t == null ? null : "From <code>gold/training_metrics</code>; solid: training loss, dashed: validation loss.");
    if (t == null || t.curves().isEmpty()) {
      empty(b, "No training metrics yet.");
      b.append("</section>\n");
      return;
    }
    List<Svg.Series> series = new ArrayList<>();
    int k = 0;
    for (Curve c : t.curves()) {
      String color = Svg.PALETTE[k++ % Svg.PALETTE.length];
      List<double[]> loss = new ArrayList<>();
      List<double[]> val = new ArrayList<>();
      for (CurvePoint p : c.points()) {
        if (p.loss() != null && Double.isFinite(p.loss())) loss.add(new double[] {p.step(), p.loss()});
        if (p.valLoss() != null && Double.isFinite(p.valLoss())) val.add(new double[] {p.step(), p.valLoss()});
      }
      if (!loss.isEmpty()) series.add(new Svg.Series(c.runId(), loss, false, color));
      if (!val.isEmpty()) series.add(new Svg.Series(c.runId() + " val", val, true, color));
    }
    b.append(Svg.lines("loss", series, "step", "loss", 860, 320));
    b.append("<table><thead><tr><th>run</th><th class=\"r\">steps</th><th class=\"r\">last step</th><th class=\"r\">first loss</th>")
        .append("<th class=\"r\">last loss</th><th class=\"r\">min val loss</th><th class=\"r\">last lr</th></tr></thead><tbody>");
    for (TrainingRun r : t.runs()) {
      b.append("<tr><td>").append(esc(r.runId())).append("</td>").append(td(count(r.steps()))).append(td(count(r.lastStep())))
          .append(td(InspectText.loss(r.firstLoss()))).append(td(InspectText.loss(r.lastLoss()))).append(td(InspectText.loss(r.minValLoss())))
          .append(td(r.lastLr() == null ? "" : String.format(Locale.ROOT, "%.2e", r.lastLr()))).append("</tr>");
    }
    b.append("</tbody></table></section>\n");
  }

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
          .append(esc(r.lastStatus())).append("</td><td>").append(esc(InspectText.minute(r.lastStartedAt()))).append("</td>")
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
          .append(esc(InspectText.mark(r.verdict()))).append("</td><td>").append(esc(r.stage())).append("</td><td><code>").append(esc(r.runId()))
          .append("</code></td>").append(td(count(r.in()))).append(td(count(r.out()))).append(td(count(dropped))).append(td(count(r.quarantined())))
          .append("<td>").append(esc(r.dropped().isEmpty() ? "–" : InspectText.counts(r.dropped()))).append("</td><td>")
          .append(esc(r.rowsGained().isEmpty() ? "–" : InspectText.counts(r.rowsGained()))).append("</td></tr>");
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
        b.append(esc(InspectText.minute(c.timestamp()) + " " + c.operation() + (c.runId() == null ? "" : " · " + c.runId())));
      }
      b.append("</td></tr>");
    }
    b.append("</tbody></table></section>\n");
  }

  private static String td(String v) {
    return "<td class=\"r\">" + esc(v) + "</td>";
  }

  static final String CSS = """
      :root{--fg:#1d2330;--muted:#5d6678;--line:#e3e6ec;--bg:#f6f7f9;--card:#fff}
      *{box-sizing:border-box}
      body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;color:var(--fg);background:var(--bg)}
      header{padding:22px 32px 10px;background:#1d2330;color:#fff}
      header h1{margin:0;font-size:22px;font-weight:600}
      header .sub{margin:4px 0 10px;color:#c5cbd8}
      header code{color:#fff}
      main{max-width:1100px;margin:0 auto;padding:18px 24px 40px}
      section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:0 0 18px}
      h2{font-size:16px;margin:0 0 6px}
      .lead{color:var(--muted);margin:0 0 10px}
      .empty{color:var(--muted);font-style:italic}
      .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;background:none;border:none;padding:0}
      .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
      .card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
      .card .v{font-size:24px;font-weight:600;margin:2px 0}
      .card .n{color:var(--muted);font-size:12px}
      .multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:8px 16px}
      .two{display:grid;grid-template-columns:repeat(auto-fit,minmax(470px,1fr));gap:16px}
      figure{margin:0}
      figcaption{font-size:12px;color:var(--muted);margin:0 0 2px}
      svg.chart{max-width:100%;height:auto;display:block}
      svg .label,svg .value,svg .tick,svg .legend,svg .axis-label,svg .empty{font-size:11px;fill:#3b4252}
      svg .value{fill:var(--muted)}
      svg .grid{stroke:#eceef2;stroke-width:1}
      svg .bar{transition:opacity .1s}
      svg.hovering .bar{opacity:.45}
      svg.hovering .bar.hot{opacity:1}
      table{border-collapse:collapse;width:100%;margin-top:8px;font-size:13px}
      th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line)}
      th{color:var(--muted);font-weight:600}
      .r{text-align:right;font-variant-numeric:tabular-nums}
      tr.absent td{color:#9aa1ae}
      .st-succeeded{color:#1a7f37}.st-failed{color:#b42318}.st-running{color:#9a6700}
      footer{text-align:center;color:var(--muted);font-size:12px;padding:0 0 24px}
      """;

  /** Hover highlighting; then marks #render-status so a headless browser can tell the script ran cleanly. */
  static final String SCRIPT = """
      (function () {
        var status = document.getElementById('render-status');
        window.addEventListener('error', function (e) {
          status.setAttribute('data-status', 'error');
          status.textContent = 'script error: ' + e.message;
        });
        var charts = document.querySelectorAll('svg.chart');
        var bars = 0, lines = 0, perChart = [];
        charts.forEach(function (svg) {
          var b = svg.querySelectorAll('.bar');
          var l = svg.querySelectorAll('.line');
          bars += b.length;
          lines += l.length;
          svg.setAttribute('data-bars-rendered', String(b.length));
          perChart.push(svg.getAttribute('data-chart') + ':' + (b.length + l.length));
          b.forEach(function (r) {
            r.addEventListener('mouseenter', function () { svg.classList.add('hovering'); r.classList.add('hot'); });
            r.addEventListener('mouseleave', function () { svg.classList.remove('hovering'); r.classList.remove('hot'); });
          });
        });
        status.setAttribute('data-charts', String(charts.length));
        status.setAttribute('data-bars', String(bars));
        status.setAttribute('data-lines', String(lines));
        status.setAttribute('data-per-chart', perChart.join(' '));
        status.setAttribute('data-status', 'ok');
        status.textContent = 'rendered ' + charts.length + ' charts (' + bars + ' bars, ' + lines + ' lines)';
      })();
      """;
}
