package dev.sieve.cli.inspect;

import dev.sieve.cli.inspect.LakeSnapshot.StageRunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Summarises the rows of {@code _sieve/stage_runs} per stage, in pipeline order. */
public final class StageRuns {
  /** Stages in data-flow order; others follow in the order they first ran. */
  public static final List<String> ORDER = List.of("ingest", "filter", "dedup", "pii", "tokenize", "train");

  /** One row of {@code _sieve/stage_runs}. */
  public record Row(String stage, String runId, String status, Instant startedAt, Instant endedAt, long countIn, long countOut,
      Map<String, Long> counts, String error, Map<String, Long> dropped, Map<String, Long> rowsGained) {
    /** A row from before the ledger columns ({@code dropped}, {@code rows_gained}) existed. */
    public Row(String stage, String runId, String status, Instant startedAt, Instant endedAt, long countIn, long countOut,
               Map<String, Long> counts, String error) {
      this(stage, runId, status, startedAt, endedAt, countIn, countOut, counts, error, null, null);
    }
  }

  private StageRuns() {}

  /** Every run's ledger, oldest first: in, out, dropped by reason, rows gained, and the verdict. */
  public static List<LakeSnapshot.Reconciliation> reconcile(List<Row> rows) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(Row::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(Row::runId));
    List<LakeSnapshot.Reconciliation> out = new ArrayList<>();
    for (Row r : sorted) {
      // Reasons with no documents are not drops: left out of the view (the row keeps them).
      Map<String, Long> dropped = new java.util.TreeMap<>();
      if (r.dropped() != null) r.dropped().forEach((k, v) -> {
        if (v != 0) dropped.put(k, v);
      });
      long droppedTotal = dropped.values().stream().mapToLong(Long::longValue).sum();
      long quarantined = dropped.entrySet().stream().filter(e -> e.getKey().startsWith("quarantined")).mapToLong(Map.Entry::getValue).sum();
      String verdict;
      if ("RUNNING".equals(r.status())) verdict = "running";
      else if ("FAILED".equals(r.status())) {
        verdict = r.error() != null && r.error().contains("does not reconcile") ? LakeSnapshot.Reconciliation.MISMATCH : "failed";
      } else if (r.dropped() == null) verdict = "unrecorded";
      else verdict = r.countIn() == r.countOut() + droppedTotal ? LakeSnapshot.Reconciliation.OK : LakeSnapshot.Reconciliation.MISMATCH;
      out.add(new LakeSnapshot.Reconciliation(r.stage(), r.runId(), r.status(), r.startedAt() == null ? null : r.startedAt().toString(),
          r.countIn(), r.countOut(), dropped, quarantined, r.rowsGained() == null ? Map.of() : new java.util.TreeMap<>(r.rowsGained()), verdict,
          r.error()));
    }
    return out;
  }

  public static List<StageRunSummary> summarize(List<Row> rows) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(Row::startedAt, Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(Row::runId));
    Map<String, List<Row>> byStage = new LinkedHashMap<>();
    for (String s : ORDER) byStage.put(s, new ArrayList<>());
    for (Row r : sorted) byStage.computeIfAbsent(r.stage(), k -> new ArrayList<>()).add(r);
    List<StageRunSummary> out = new ArrayList<>();
    for (var e : byStage.entrySet()) {
      List<Row> runs = e.getValue();
      if (runs.isEmpty()) continue;
      Row last = runs.get(runs.size() - 1);
      int failed = 0;
      long in = 0;
      long outCount = 0;
      for (Row r : runs) {
        if ("FAILED".equals(r.status())) failed++;
        if ("SUCCEEDED".equals(r.status())) {
          in += r.countIn();
          outCount += r.countOut();
        }
      }
      Double seconds = last.startedAt() == null || last.endedAt() == null ? null
          : Duration.between(last.startedAt(), last.endedAt()).toMillis() / 1000.0;
      out.add(new StageRunSummary(e.getKey(), runs.size(), failed, last.runId(), last.status(),
          last.startedAt() == null ? null : last.startedAt().toString(), seconds, last.countIn(), last.countOut(), in, outCount,
          last.counts(), last.error()));
    }
    return out;
  }
}
