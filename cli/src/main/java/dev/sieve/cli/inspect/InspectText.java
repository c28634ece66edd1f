package dev.sieve.cli.inspect;

import static dev.sieve.cli.inspect.Formats.bytes;
import static dev.sieve.cli.inspect.Formats.count;
import static dev.sieve.cli.inspect.Formats.counts;
import static dev.sieve.cli.inspect.Formats.loss;
import static dev.sieve.cli.inspect.Formats.mark;
import static dev.sieve.cli.inspect.Formats.minute;
import static dev.sieve.cli.inspect.Formats.num;
import static dev.sieve.cli.inspect.Formats.pct;
import static dev.sieve.cli.inspect.Formats.second;
import static dev.sieve.cli.inspect.Formats.shares;

import dev.sieve.cli.inspect.LakeSnapshot.ClusterMember;
import dev.sieve.cli.inspect.LakeSnapshot.ClusterSample;
import dev.sieve.cli.inspect.LakeSnapshot.CommitInfo;
import dev.sieve.cli.inspect.LakeSnapshot.Funnel;
import dev.sieve.cli.inspect.LakeSnapshot.FunnelStep;
import dev.sieve.cli.inspect.LakeSnapshot.PiiSample;
import dev.sieve.cli.inspect.LakeSnapshot.RejectedSample;
import dev.sieve.cli.inspect.LakeSnapshot.RuleDrop;
import dev.sieve.cli.inspect.LakeSnapshot.ShardGroup;
import dev.sieve.cli.inspect.LakeSnapshot.ShardSummary;
import dev.sieve.cli.inspect.LakeSnapshot.StageRunSummary;
import dev.sieve.cli.inspect.LakeSnapshot.TableInfo;
import dev.sieve.cli.inspect.LakeSnapshot.TrainingRun;
import dev.sieve.cli.inspect.LakeSnapshot.TrainingSummary;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code sieve inspect} as text for a terminal: one titled section per topic, aligned tables. */
public final class InspectText {
  /** Characters of a doc id shown (the JSON has them whole). */
  static final int ID_CHARS = 12;
  /** Characters of text shown per sample line. */
  static final int TEXT_CHARS = 100;

  private InspectText() {}

  public static String render(LakeSnapshot s) {
    StringBuilder sb = new StringBuilder();
    sb.append("Sieve lake ").append(s.lake()).append("  (inspected ").append(s.takenAt()).append(")\n");
    tables(sb, s.tables());
    history(sb, s.tables());
    stageRuns(sb, s.stageRuns());
    reconciliation(sb, s.reconciliation());
    funnel(sb, s.funnel());
    samples(sb, s.samples());
    shards(sb, s.shards());
    training(sb, s.training());
    if (!s.notes().isEmpty()) {
      title(sb, "NOTES");
      for (String n : s.notes()) sb.append("  ").append(n).append('\n');
    }
    return sb.toString();
  }

  private static void title(StringBuilder sb, String t) {
    sb.append('\n').append(t).append('\n');
  }

  static void tables(StringBuilder sb, List<TableInfo> tables) {
    title(sb, "TABLES");
    TextTable t = new TextTable("table", "view", ">version", ">rows", "last commit");
    for (TableInfo i : tables) {
      if (!i.exists()) {
        t.row(i.path(), i.view(), "-", "-", "(absent)");
        continue;
      }
      CommitInfo c = i.history().isEmpty() ? null : i.history().get(0);
      t.row(i.path(), i.view(), i.version(), count(i.rows()), c == null ? "" : minute(c.timestamp()) + " " + c.operation()
          + (c.stage() == null ? "" : " by " + c.stage()));
    }
    sb.append(t.render("  "));
  }

  static void history(StringBuilder sb, List<TableInfo> tables) {
    title(sb, "HISTORY (latest " + SnapshotReader.HISTORY_COMMITS + " commits per table; run, stage and config hash from userMetadata)");
    TextTable t = new TextTable("table", ">v", "committed", "operation", "stage", "run_id", "config", ">+rows", ">-rows");
    for (TableInfo i : tables) {
      boolean first = true;
      for (CommitInfo c : i.history()) {
        t.row(first ? i.path() : "", c.version(), second(c.timestamp()), c.operation(), dash(c.stage()), dash(c.runId()),
            c.configHash() == null ? "-" : Snippets.shortId(c.configHash(), 8), c.rowsAdded() == null ? "" : count(c.rowsAdded()),
            c.rowsDeleted() == null ? "" : count(c.rowsDeleted()));
        first = false;
      }
    }
    if (t.size() == 0) sb.append("  (no tables yet)\n");
    else sb.append(t.render("  "));
  }

  static void stageRuns(StringBuilder sb, List<StageRunSummary> runs) {
    title(sb, "STAGE RUNS (_sieve/stage_runs; in/out of the latest run, and summed over succeeded runs)");
    if (runs.isEmpty()) {
      sb.append("  (none yet)\n");
      return;
    }
    TextTable t = new TextTable("stage", ">runs", ">failed", "latest run", "status", "started", ">secs", ">in", ">out", ">total in", ">total out");
    for (StageRunSummary r : runs) {
      t.row(r.stage(), r.runs(), r.failed(), r.lastRunId(), r.lastStatus(), minute(r.lastStartedAt()),
          r.lastSeconds() == null ? "" : String.format(Locale.ROOT, "%.1f", r.lastSeconds()), count(r.lastCountIn()), count(r.lastCountOut()),
          count(r.totalCountIn()), count(r.totalCountOut()));
    }
    sb.append(t.render("  "));
    for (StageRunSummary r : runs) {
      if (!r.lastCounts().isEmpty()) sb.append("  ").append(r.stage()).append(" counts: ").append(counts(r.lastCounts())).append('\n');
      if (r.lastError() != null) sb.append("  ").append(r.stage()).append(" error: ").append(Snippets.oneLine(r.lastError(), 200)).append('\n');
    }
  }

  /** Runs shown in the text RECONCILIATION section (the JSON has them all). */
  static final int RECONCILIATION_RUNS = 30;

  static void reconciliation(StringBuilder sb, List<LakeSnapshot.Reconciliation> runs) {
    title(sb, "RECONCILIATION (per run: documents in = out + dropped by reason; rows each output table gained)");
    if (runs.isEmpty()) {
      sb.append("  (no stage runs yet)\n");
      return;
    }
    List<LakeSnapshot.Reconciliation> shown = runs.size() > RECONCILIATION_RUNS ? runs.subList(runs.size() - RECONCILIATION_RUNS, runs.size()) : runs;
    if (shown.size() < runs.size()) sb.append("  (latest ").append(shown.size()).append(" of ").append(runs.size()).append(" runs; --json has all)\n");
    TextTable t = new TextTable("", "stage", "run_id", ">in", ">out", ">dropped", ">quarantined", "dropped by reason", "rows gained");
    for (LakeSnapshot.Reconciliation r : shown) {
      long dropped = r.dropped().values().stream().mapToLong(Long::longValue).sum();
      t.row(mark(r.verdict()), r.stage(), r.runId(), count(r.in()), count(r.out()), count(dropped), count(r.quarantined()),
          r.dropped().isEmpty() ? "-" : counts(r.dropped()), r.rowsGained().isEmpty() ? "-" : counts(r.rowsGained()));
    }
    sb.append(t.render("  "));
    long bad = runs.stream().filter(r -> LakeSnapshot.Reconciliation.MISMATCH.equals(r.verdict())).count();
    long ok = runs.stream().filter(r -> LakeSnapshot.Reconciliation.OK.equals(r.verdict())).count();
    long failed = runs.stream().filter(r -> "failed".equals(r.verdict())).count();
    sb.append("  ").append(ok).append(" reconciled, ").append(bad).append(" mismatched, ").append(failed).append(" failed otherwise; ")
        .append(bad == 0 ? "every recorded run reconciles" : bad + " run(s) do not reconcile").append(
        " (\u2714 reconciled, \u2718 mismatch, ! failed, \u2026 running, - before the ledger existed)\n");
    for (LakeSnapshot.Reconciliation r : shown) {
      if (!LakeSnapshot.Reconciliation.OK.equals(r.verdict()) && r.error() != null) {
        sb.append("  ").append(r.stage()).append(' ').append(r.runId()).append(": ").append(Snippets.oneLine(r.error(), 200)).append('\n');
      }
    }
  }

  static void funnel(StringBuilder sb, Funnel f) {
    title(sb, "FUNNEL (documents in each table now)");
    TextTable t = new TextTable("step", "table", ">documents", ">dropped", ">of ingested", ">tokens");
    Long first = f.steps().isEmpty() ? null : f.steps().get(0).documents();
    Long prev = null;
    for (FunnelStep s : f.steps()) {
      if (s.documents() == null) {
        t.row(s.step(), s.table(), "-", "", "", "(not yet)");
        continue;
      }
      t.row(s.step(), s.table(), count(s.documents()), prev == null ? "" : count(prev - s.documents()),
          first == null || first == 0 ? "" : pct(s.documents(), first), s.tokens() == null ? "" : count(s.tokens()));
      prev = s.documents();
    }
    sb.append(t.render("  "));

    sb.append("\n  Filter drops by rule (silver/rejected, ").append(count(f.rejected())).append(" documents)\n");
    if (f.ruleDrops().isEmpty()) {
      sb.append("    (none)\n");
    } else {
      TextTable r = new TextTable("stage", "rule", ">documents", ">share");
      for (RuleDrop d : f.ruleDrops()) r.row(d.stage(), d.rule(), count(d.documents()), pct(d.documents(), f.rejected()));
      sb.append(r.render("    "));
    }
    sb.append("\n  Duplicates (silver/dup_clusters): ");
    if (f.dedup() == null) {
      sb.append("(not yet)\n");
    } else {
      sb.append(count(f.dedup().clusters())).append(" clusters holding ").append(count(f.dedup().documentsInClusters()))
          .append(" documents; removed ").append(count(f.dedup().exactRemoved())).append(" exact + ")
          .append(count(f.dedup().nearRemoved())).append(" near duplicates\n");
    }
    sb.append("  PII (silver/clean): ");
    if (f.pii() == null) {
      sb.append("(not yet)\n");
    } else {
      long spans = f.pii().spansByKind().values().stream().mapToLong(Long::longValue).sum();
      sb.append(count(f.pii().documentsWithPii())).append(" of ").append(count(f.pii().documents())).append(" documents had PII; ")
          .append(count(spans)).append(" spans replaced").append(spans == 0 ? "" : ": " + counts(f.pii().spansByKind())).append('\n');
    }
    if (f.contamination() != null) {
      sb.append("  Contamination (silver/contamination): ").append(count(f.contamination().documents())).append(" documents matched a benchmark: ")
          .append(counts(f.contamination().documentsByAction())).append("; per benchmark ").append(counts(f.contamination().documentsByBenchmark())).append('\n');
    }
    sb.append("  Quarantine (_sieve/quarantine): ").append(count(f.quarantined())).append(" records")
        .append(f.quarantineByKind().isEmpty() ? "" : ": " + counts(f.quarantineByKind())).append('\n');
  }

  static void samples(StringBuilder sb, LakeSnapshot.Samples s) {
    title(sb, "SAMPLES");
    sb.append("  Rejected documents (up to ").append(s.perSection()).append(" per rule)\n");
    if (s.rejected().isEmpty()) {
      sb.append("    (none)\n");
    } else {
      TextTable t = new TextTable("rule", "doc_id", ">value", ">threshold", "text");
      for (RejectedSample r : s.rejected()) {
        t.row(r.rule(), Snippets.shortId(r.docId(), ID_CHARS), num(r.value()), num(r.threshold()), quote(Snippets.fitWidth(Snippets.oneLine(r.snippet(), TEXT_CHARS), TEXT_CHARS)));
      }
      sb.append(t.render("    "));
    }
    sb.append("\n  Duplicate clusters (the ").append(s.perSection()).append(" largest)\n");
    if (s.clusters().isEmpty()) sb.append("    (none)\n");
    for (ClusterSample c : s.clusters()) {
      sb.append("    cluster ").append(Snippets.shortId(c.clusterId(), ID_CHARS)).append(": ").append(c.size()).append(" documents")
          .append(c.members().size() < c.size() ? " (" + c.members().size() + " shown)" : "").append('\n');
      TextTable t = new TextTable("", "doc_id", ">similarity", "text");
      for (ClusterMember m : c.members()) {
        t.row(String.format(Locale.ROOT, "%-5s", m.kept() ? "kept" : m.match()), Snippets.shortId(m.docId(), ID_CHARS), m.similarity() == null ? "" : String.format(Locale.ROOT, "%.3f", m.similarity()),
            m.snippet() == null ? "" : quote(Snippets.fitWidth(Snippets.oneLine(m.snippet(), 60), 60)));
      }
      sb.append(t.render("      ").lines().skip(1).map(l -> l + "\n").collect(Collectors.joining()));
    }
    sb.append("\n  PII counts (up to ").append(s.perSection()).append(" documents with PII; text is the scrubbed text)\n");
    if (s.pii().isEmpty()) {
      sb.append("    (none)\n");
    } else {
      TextTable t = new TextTable("doc_id", "counts", "text");
      for (PiiSample p : s.pii()) t.row(Snippets.shortId(p.docId(), ID_CHARS), counts(p.counts()), quote(Snippets.fitWidth(Snippets.oneLine(p.snippet(), TEXT_CHARS + 2), TEXT_CHARS + 2)));
      sb.append(t.render("    "));
    }
  }

  static void shards(StringBuilder sb, ShardSummary s) {
    title(sb, "SHARDS (gold/shard_manifest)");
    if (s == null) {
      sb.append("  (no shards yet: run sieve tokenize)\n");
      return;
    }
    TextTable t = new TextTable("dataset", "split", ">shards", ">documents", ">sequences", ">tokens", ">bytes");
    for (ShardGroup g : s.groups()) t.row(g.dataset(), g.split(), count(g.shards()), count(g.documents()), count(g.sequences()), count(g.tokens()), bytes(g.bytes()));
    sb.append(t.render("  "));
    sb.append("  tokenizer: ").append(s.tokenizers().isEmpty() ? "-" : String.join(", ", s.tokenizers())).append('\n');
    sb.append("  tokens by language: ").append(shares(s.tokensByLanguage(), s.tokens())).append('\n');
    sb.append("  tokens by source: ").append(shares(s.tokensBySource(), s.tokens())).append('\n');
  }

  static void training(StringBuilder sb, TrainingSummary s) {
    title(sb, "TRAINING (gold/training_metrics)");
    if (s == null) {
      sb.append("  (no training metrics yet)\n");
      return;
    }
    TextTable t = new TextTable("run_id", ">steps", ">last step", ">first loss", ">last loss", ">min loss", ">last val loss", ">min val loss", ">last lr");
    for (TrainingRun r : s.runs()) {
      t.row(r.runId(), count(r.steps()), count(r.lastStep()), loss(r.firstLoss()), loss(r.lastLoss()), loss(r.minLoss()), loss(r.lastValLoss()),
          loss(r.minValLoss()), r.lastLr() == null ? "" : String.format(Locale.ROOT, "%.2e", r.lastLr()));
    }
    sb.append(t.render("  "));
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }
}
