package dev.sieve.cli.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sieve.cli.inspect.LakeSnapshot.FunnelStep;
import dev.sieve.cli.inspect.LakeSnapshot.StageRunSummary;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Spark-free parts of inspect and report: formatting, snippets, summaries, SVG. */
class InspectFormatTest {
  @Test
  void textTableAlignsNumbersRightAndCountsWideCharactersTwice() {
    String t = new TextTable("name", ">n").row("中文", 5).row("english", 1234).render("  ");
    assertEquals("""
          name        n
          中文        5
          english  1234
        """, t);
    assertEquals(4, TextTable.width("中文"));
  }

  @Test
  void numbersAndShares() {
    assertEquals("12", Formats.num(12.0));
    assertEquals("0.125", Formats.num(0.125));
    assertEquals("0.333", Formats.num(1 / 3.0));
    assertEquals("1,234,567", Formats.count(1_234_567));
    assertEquals("66.7%", Formats.pct(2, 3));
    assertEquals("1.8 KiB", Formats.bytes(1800));
    assertEquals("en 70.0% (700), zh 30.0% (300)", Formats.shares(new LinkedHashMap<>(Map.of("en", 700L)) {{ put("zh", 300L); }}, 1000));
    assertEquals("2025-01-02 03:04Z", Formats.minute("2025-01-02T03:04:05.678Z"));
    assertEquals("1.2k", Histograms.compact(1200));
    assertEquals("50k", Histograms.compact(50_000));
    assertEquals("100–200", Histograms.bucketLabel(SnapshotReader.LENGTH_BOUNDS, 1));
    assertEquals("≥50k", Histograms.bucketLabel(SnapshotReader.LENGTH_BOUNDS, SnapshotReader.LENGTH_BOUNDS.size() - 1));
  }

  @Test
  void snippetsAreOneLineAndNeverShowRawPii() {
    assertEquals("a b c", Snippets.oneLine("a\n\tb   c", 10));
    assertEquals("abcd…", Snippets.oneLine("abcdefgh", 5));
    String raw = "Line one.\nMail alice.smith@example.org or call +1 415 555 2671 today.";
    String s = Snippets.scrubbed(raw, "en", 100);
    assertFalse(s.contains("alice.smith@example.org"), s);
    assertTrue(s.contains("<EMAIL>"), s);
    assertFalse(s.contains("\n"));
    String text = "x".repeat(200) + " contact <EMAIL> now " + "y".repeat(200);
    String around = Snippets.aroundFirstTag(text, 60);
    assertTrue(around.startsWith("…") && around.endsWith("…") && around.contains("<EMAIL>"), around);
    assertEquals(62, around.length());
    assertEquals("no tags here", Snippets.aroundFirstTag("no tags here", 60));
  }

  @Test
  void stageRunsSummarisePerStageInPipelineOrder() {
    Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    List<StageRuns.Row> rows = List.of(
        new StageRuns.Row("filter", "f1", "SUCCEEDED", t0.plusSeconds(100), t0.plusSeconds(130), 10, 7, Map.of(), null),
        new StageRuns.Row("ingest", "i1", "SUCCEEDED", t0, t0.plusSeconds(50), 12, 10, Map.of(), null),
        new StageRuns.Row("ingest", "i2", "FAILED", t0.plusSeconds(500), t0.plusSeconds(501), 0, 0, Map.of(), "boom"),
        new StageRuns.Row("custom", "c1", "SUCCEEDED", t0, t0.plusSeconds(1), 1, 1, Map.of(), null));
    List<StageRunSummary> s = StageRuns.summarize(rows);
    assertEquals(List.of("ingest", "filter", "custom"), s.stream().map(StageRunSummary::stage).toList());
    StageRunSummary ingest = s.get(0);
    assertEquals(2, ingest.runs());
    assertEquals(1, ingest.failed());
    assertEquals("i2", ingest.lastRunId());
    assertEquals("boom", ingest.lastError());
    assertEquals(12, ingest.totalCountIn(), "totals count succeeded runs only");
    assertEquals(30.0, s.get(1).lastSeconds());
  }

  @Test
  void topLanguagesKeepsTheLargestAndSumsTheRest() {
    Map<String, long[]> raw = new LinkedHashMap<>();
    raw.put("de", new long[] {1, 0});
    raw.put("en", new long[] {5, 5});
    raw.put("fr", new long[] {0, 2});
    raw.put("zh", new long[] {3, 3});
    Map<String, List<Long>> top = Histograms.topLanguages(raw, 2);
    assertEquals(List.of("en", "zh", "other"), List.copyOf(top.keySet()));
    assertEquals(List.of(1L, 2L), top.get("other"));
    assertEquals(List.of("en", "zh", "fr", "de"), List.copyOf(Histograms.topLanguages(raw, 4).keySet()));
  }

  @Test
  void svgChartsHaveOneElementPerValueAndEscapeText() {
    String h = Svg.horizontalBars("x", List.of(new Svg.Bar("a<b", 3, "3"), new Svg.Bar("c", 0, "0")), "#000");
    assertEquals(2, h.split("class=\"bar\"", -1).length - 1);
    assertTrue(h.contains("a&lt;b") && !h.contains("a<b"));
    assertTrue(h.startsWith("<svg class=\"chart\" data-chart=\"x\" data-items=\"2\""));
    String c = Svg.columns("y", List.of("1", "2", "3"), List.of(1L, 0L, 4L), "#000", 300, 150, "docs");
    assertEquals(3, c.split("class=\"bar\"", -1).length - 1);
    String l = Svg.lines("z", List.of(new Svg.Series("run", List.of(new double[] {1, 5}, new double[] {2, 4}), false, "#000")), "step", "loss", 600, 300);
    assertTrue(l.contains("class=\"line\" d=\"M"), l);
    assertTrue(Svg.lines("e", List.of(), "x", "y", 300, 200).contains("no data"));
    assertEquals(250.0, Svg.niceCeil(201));
    assertEquals(0.0, Svg.niceCeil(0));
  }

  @Test
  void funnelTextShowsDropsAndAbsentSteps() {
    LakeSnapshot.Funnel f = new LakeSnapshot.Funnel(List.of(
        new FunnelStep("ingested", "bronze/documents", 100L, null), new FunnelStep("filtered", "silver/filtered", 80L, null),
        new FunnelStep("deduped", "silver/deduped", null, null)), 20, List.of(new LakeSnapshot.RuleDrop("coarse", "c4", 20)), null, null,
        new LakeSnapshot.ContaminationSummary(5, new java.util.LinkedHashMap<>(Map.of("dropped", 5L)), Map.of("gsm8k", 5L)), 0, Map.of());
    StringBuilder sb = new StringBuilder();
    InspectText.funnel(sb, f);
    String out = sb.toString();
    assertTrue(out.contains("  filtered  silver/filtered          80       20        80.0%\n"), out);
    assertTrue(out.contains("  deduped   silver/deduped            -                        (not yet)\n"), out);
    assertTrue(out.contains("    coarse  c4           20  100.0%\n"), out);
    assertTrue(out.contains("Duplicates (silver/dup_clusters): (not yet)"), out);
    assertTrue(out.contains("  Contamination (silver/contamination): 5 documents matched a benchmark: dropped 5; per benchmark gsm8k 5\n"), out);
  }

  @Test
  void reconciliationVerdictsPerRun() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    List<StageRuns.Row> rows = List.of(
        new StageRuns.Row("filter", "f1", "SUCCEEDED", t0.plusSeconds(10), t0.plusSeconds(20), 10, 7, Map.of(), null,
            Map.of("rejected_c4", 3L, "rejected_gopher_quality", 0L), Map.of("silver/filtered", 7L, "silver/rejected", 3L)),
        new StageRuns.Row("ingest", "i1", "SUCCEEDED", t0, t0.plusSeconds(5), 12, 10, Map.of(), null, Map.of("skipped_empty_text", 2L),
            Map.of("bronze/documents", 10L)),
        new StageRuns.Row("dedup", "d1", "FAILED", t0.plusSeconds(30), t0.plusSeconds(31), 7, 7, Map.of(),
            "ReconciliationException: dedup run d1 does not reconcile: silver/deduped gained 6 rows (0 -> 6), the stage says 7", Map.of(),
            Map.of("silver/deduped", 6L)),
        new StageRuns.Row("pii", "p1", "FAILED", t0.plusSeconds(40), t0.plusSeconds(41), 0, 0, Map.of(), "disk full", Map.of(), Map.of()),
        new StageRuns.Row("pii", "p0", "SUCCEEDED", t0.plusSeconds(35), t0.plusSeconds(36), 5, 5, Map.of(), null),
        new StageRuns.Row("tokenize", "t1", "RUNNING", t0.plusSeconds(50), null, 0, 0, Map.of(), null, Map.of(), Map.of()));
    List<LakeSnapshot.Reconciliation> r = StageRuns.reconcile(rows);
    assertEquals(List.of("i1", "f1", "d1", "p0", "p1", "t1"), r.stream().map(LakeSnapshot.Reconciliation::runId).toList(), "oldest first");
    assertEquals(List.of("ok", "ok", "mismatch", "unrecorded", "failed", "running"),
        r.stream().map(LakeSnapshot.Reconciliation::verdict).toList());
    assertEquals(Map.of("rejected_c4", 3L), r.get(1).dropped(), "reasons with no documents are left out of the view");
    StringBuilder sb = new StringBuilder();
    InspectText.reconciliation(sb, r);
    String text = sb.toString();
    assertTrue(text.contains("\u2714  ingest"), text);
    assertTrue(text.contains("\u2718  dedup"), text);
    assertTrue(text.contains("1 run(s) do not reconcile"), text);
    assertTrue(text.contains("dedup d1: ReconciliationException: dedup run d1 does not reconcile"), text);
  }
}
