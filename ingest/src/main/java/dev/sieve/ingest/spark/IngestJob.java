package dev.sieve.ingest.spark;

import dev.sieve.core.Lake;
import dev.sieve.core.config.SieveConfig;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.Stage;
import dev.sieve.core.spark.StageRun;
import dev.sieve.ingest.IngestSettings;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Ingest: input files → {@code bronze/documents}, {@code _sieve/quarantine} and
 * {@code _sieve/ingest_files}.
 *
 * <p>Incremental: a file already recorded as done with the same size and modification time is
 * not read again; a changed file is re-read and its earlier documents replaced in the same Delta
 * commit (MERGE with delete-by-source); a file that could not be opened is retried next time.
 * The ingest_files rows are written last, so a run killed half-way is simply finished by the next
 * one (the document MERGE is idempotent on {@code doc_id}).
 *
 * <p>Every record is accounted for. Two records with one {@code doc_id} (see
 * {@link dev.sieve.ingest.DocAssembler#docId}) never merge silently: the later one is skipped as
 * {@code duplicate_record} (same text) or quarantined as {@code duplicate_key} (different text),
 * within a file, across the files of a run and against bronze rows of other files
 * ({@link DuplicateKeys}); a file's own earlier rows are replaced, not duplicates. A file is DONE
 * only when the records its reader framed = its documents + skips + quarantines (else FAILED,
 * counted as {@code files_failed_unreconciled}), and the run fails if bronze/documents did not gain
 * exactly the documents it counts (net of the re-read files' replaced rows).
 *
 * <p>One pass ({@link StagedBronze}): the job that reads the input writes its documents as
 * uncommitted bronze files and tallies every record; when no id needs a decision and no file read
 * has earlier rows, those files are committed as one append, else bronze is written the MERGE way
 * from them. A run whose tasks have more quarantine entries than they carry to the driver
 * ({@link IngestTally#QUARANTINE_ROWS_MAX} each) reads its input again in two passes ({@link IngestRead#read}).
 */
public final class IngestJob {
  public static final String STAGE = "ingest";

  /** File status in {@code _sieve/ingest_files}. */
  public static final String DONE = "DONE";
  public static final String FAILED = "FAILED";

  private IngestJob() {}

  /**
   * What a run did.
   *
   * @param filesVersion the version of {@code _sieve/ingest_files} the run left (the one it read when
   *     it wrote nothing; -1 when there is no such table)
   * @param allFilesDone whether every listed file is {@link #DONE} at {@code filesVersion}, with the
   *     size and modification time listed: a run on the same listing now would read nothing
   */
  public record Result(String runId, int filesFound, int filesRead, int filesUnchanged, int filesIgnored, long documents,
                       long quarantined, Map<String, Long> skipped, long bytesRead, long bronzeVersion, long filesVersion, boolean allFilesDone) {}

  /** Lists {@code inputs} ({@link InputFiles#list}: files, folders, globs; any Hadoop filesystem) and ingests them. */
  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, List<String> inputs) {
    return run(spark, lake, config, runId, InputFiles.list(spark.sparkContext().hadoopConfiguration(), inputs));
  }

  /**
   * Ingests the files of a {@code listing} the caller has made already ({@code sieve ingest} and
   * {@code sieve pipeline} list once, for their "nothing new" fingerprint and for the run): files
   * not in it are not read, as if not there.
   */
  public static Result run(SparkSession spark, Lake lake, SieveConfig config, String runId, InputFiles.Listing listing) {
    IngestSettings settings = config.section("ingest", IngestSettings.class);
    return Stage.run(spark, lake, STAGE, config, runId, run -> ingest(spark, lake, settings, run, listing));
  }

  /**
   * The run, phase by phase: plan files → read and write the documents (uncommitted) → earlier rows
   * → duplicate keys → commit bronze (or MERGE it) → quarantine → record files.
   */
  private static Result ingest(SparkSession spark, Lake lake, IngestSettings settings, StageRun run, InputFiles.Listing listing) {
    Phases phases = new Phases();
    long filesVersion = run.read(Lake.INGEST_FILES);
    IngestPlan plan = IngestPlan.of(spark, lake, listing);
    phases.mark("plan");
    run.count("files_found", plan.found());
    run.count("files_unchanged", plan.unchanged());
    run.count("files_ignored", plan.ignored());
    if (plan.toRead().isEmpty()) {
      long v = DeltaTables.version(spark, lake.path(Lake.BRONZE_DOCUMENTS));
      return new Result(run.runId(), plan.found(), 0, plan.unchanged(), plan.ignored(), 0, 0, Map.of(), 0, v, filesVersion, true);
    }
    // What bronze held before this run (before the documents below are written to it, uncommitted).
    EarlierRows earlier = EarlierRows.of(spark, lake, plan);
    // The one pass over the input: documents written as they are read, every record tallied.
    StagedBronze staged = StagedBronze.write(spark, lake, settings, run, plan);
    phases.mark("read");
    if (staged.tally().overflow) {
      // More quarantine entries than the tasks carry to the driver: read again, keeping the records on the executors.
      staged.discard();
      System.err.println("ingest: over " + IngestTally.QUARANTINE_ROWS_MAX + " quarantine entries in a task: reading the input again in two passes");
      IngestRead.Read<IngestTally> read = IngestRead.read(spark, settings, run, plan, IngestTally::of);
      try {
        return finish(spark, lake, run, plan, earlier, read.records(), read.first(), null, phases);
      } finally {
        read.records().unpersist();
      }
    }
    return finish(spark, lake, run, plan, earlier, staged.records(), staged.tally(), staged, phases);
  }

  /**
   * Resolves duplicate ids and writes the tables. {@code staged}: the documents written in the read
   * pass, committed as they are when no id needs a decision and no file read has earlier rows; else
   * (or when null) bronze is written from {@code records}.
   */
  private static Result finish(SparkSession spark, Lake lake, StageRun run, IngestPlan plan, EarlierRows earlier, Dataset<Row> records,
                               IngestTally tally, StagedBronze staged, Phases phases) {
    DuplicateKeys.Resolved dups = null;
    try {
      Dataset<Row> resolved = records;
      // Some id may be held twice in the run: the read's tally says so (repeated id hashes, or too many ids to keep theirs).
      boolean runRepeats = staged != null ? tally.mayRepeatIds() : tally.repeatedIds > 0;
      if (runRepeats || earlier.rows() != null) {
        dups = DuplicateKeys.resolve(records, earlier.rows(), runRepeats);
        resolved = dups.rows();
      }
      phases.mark("duplicates");
      boolean contested = dups != null && dups.contested() > 0;
      // Duplicates turned documents into skips or quarantines: tally again (rare; otherwise the read's tally stands).
      if (contested) tally = staged != null ? tally.afterDecisions(dups.decided()) : IngestTally.of(resolved);
      phases.mark("counts");
      long bronzeVersion;
      boolean committed = staged != null && !contested && earlier.replacedByFile().isEmpty();
      if (committed) {
        run.output(Lake.BRONZE_DOCUMENTS);
        bronzeVersion = staged.commit(run);
      } else {
        bronzeVersion = IngestWrites.writeBronze(spark, lake, run, plan, resolved, earlier);
      }
      phases.mark("bronze_write");
      IngestWrites.writeQuarantine(spark, lake, run, earlier, resolved, tally.quarantined());
      phases.mark("quarantine_write");
      long[] failed = IngestWrites.recordFiles(spark, lake, run, plan, tally);
      phases.mark("files_write");
      // Bronze was written from the records (MERGE): the read pass's files, which they were read from, are not needed.
      if (staged != null && !committed) staged.discard();
      System.err.println("ingest: " + phases);
      return account(run, plan, tally, earlier.replaced(), failed, bronzeVersion);
    } finally {
      if (dups != null) dups.release();
    }
  }

  /** The run's counts and ledger: every record is a document, a skip or a quarantine; bronze gains the documents less the replaced rows. */
  private static Result account(StageRun run, IngestPlan plan, IngestTally tally, long replaced, long[] failed, long bronzeVersion) {
    long documents = tally.documents();
    long quarantined = tally.quarantined();
    run.count("files_read", plan.toRead().size());
    if (failed[0] > 0) run.count("files_failed_unreadable", failed[0]);
    if (failed[1] > 0) run.count("files_failed_unreconciled", failed[1]);
    run.count("records", tally.framed());
    run.count("documents", documents);
    run.count("documents_replaced", replaced);
    run.count("quarantined", quarantined);
    tally.repaired.forEach(run::count);
    // Every record is a document, a skip or a quarantine (per file, checked against what its reader
    // framed); bronze gains the documents, less the earlier rows of the files re-read.
    run.in(documents + quarantined + tally.skippedTotal());
    run.out(documents);
    tally.quarantinedByKind.forEach((k, v) -> run.dropped("quarantined_" + k, v));
    tally.skipped.forEach((k, v) -> run.dropped("skipped_" + k, v));
    run.gained(Lake.BRONZE_DOCUMENTS, documents - replaced);
    long bytes = plan.bytes();
    run.count("bytes_read", bytes);
    // The files not read were DONE as listed (the plan); those read are DONE now unless one failed.
    return new Result(run.runId(), plan.found(), plan.toRead().size(), plan.unchanged(), plan.ignored(), documents, quarantined,
        tally.skipped, bytes, bronzeVersion, run.record().versionsWritten().getOrDefault(Lake.INGEST_FILES, -1L), failed[0] + failed[1] == 0);
  }

  /**
   * Wall time and this JVM's CPU time (every thread: driver, local executors, JIT, GC) per phase of
   * a run, printed at its end: where the time went, reading vs Spark and Delta work. The CPU
   * seconds stay comparable on a shared machine, where the wall seconds also count other processes' turns.
   */
  private static final class Phases {
    private static final com.sun.management.OperatingSystemMXBean OS =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private final Map<String, double[]> seconds = new java.util.LinkedHashMap<>();
    private long last = System.nanoTime();
    private long lastCpu = OS.getProcessCpuTime();
    private double wall;
    private double cpu;

    void mark(String phase) {
      long now = System.nanoTime();
      long nowCpu = OS.getProcessCpuTime();
      double[] s = seconds.computeIfAbsent(phase, k -> new double[2]);
      s[0] += (now - last) / 1e9;
      s[1] += (nowCpu - lastCpu) / 1e9;
      wall += (now - last) / 1e9;
      cpu += (nowCpu - lastCpu) / 1e9;
      last = now;
      lastCpu = nowCpu;
    }

    /** {@code read 21.0 s / 40.2 cpu-s, ..., total 33.1 s / 60.3 cpu-s}. */
    @Override
    public String toString() {
      return seconds.entrySet().stream()
          .map(e -> String.format(java.util.Locale.ROOT, "%s %.1f s / %.1f cpu-s", e.getKey(), e.getValue()[0], e.getValue()[1]))
          .collect(Collectors.joining(", "))
          + String.format(java.util.Locale.ROOT, ", total %.1f s / %.1f cpu-s", wall, cpu);
    }
  }
}
