package dev.sieve.cli.inspect;

import static dev.sieve.cli.inspect.HtmlParts.empty;
import static dev.sieve.cli.inspect.HtmlParts.section;
import static dev.sieve.cli.inspect.HtmlParts.td;
import static dev.sieve.cli.inspect.Formats.count;
import static dev.sieve.cli.inspect.Formats.pct;
import static dev.sieve.cli.inspect.Svg.esc;

import dev.sieve.cli.inspect.LakeSnapshot.Charts;
import dev.sieve.cli.inspect.LakeSnapshot.Curve;
import dev.sieve.cli.inspect.LakeSnapshot.CurvePoint;
import dev.sieve.cli.inspect.LakeSnapshot.Funnel;
import dev.sieve.cli.inspect.LakeSnapshot.FunnelStep;
import dev.sieve.cli.inspect.LakeSnapshot.RuleDrop;
import dev.sieve.cli.inspect.LakeSnapshot.ShardGroup;
import dev.sieve.cli.inspect.LakeSnapshot.ShardSummary;
import dev.sieve.cli.inspect.LakeSnapshot.TrainingRun;
import dev.sieve.cli.inspect.LakeSnapshot.TrainingSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chart sections of {@link ReportHtml}: funnel, filter drops, lengths, duplicate clusters, PII,
 * tokens and training loss, each one {@code <section>} with its SVG drawn by {@link Svg} (and the
 * table that goes with it, for tokens and training).
 */
final class ReportCharts {
  private ReportCharts() {}

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
          .append(td(count(g.documents()))).append(td(count(g.sequences()))).append(td(count(g.tokens()))).append(td(Formats.bytes(g.bytes())))
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
          .append(td(Formats.loss(r.firstLoss()))).append(td(Formats.loss(r.lastLoss()))).append(td(Formats.loss(r.minValLoss())))
          .append(td(r.lastLr() == null ? "" : String.format(Locale.ROOT, "%.2e", r.lastLr()))).append("</tr>");
    }
    b.append("</tbody></table></section>\n");
  }
}
