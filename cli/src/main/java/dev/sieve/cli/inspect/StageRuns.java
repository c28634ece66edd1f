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
      Map<String, Long> counts, String error) {}

  private StageRuns() {}

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
