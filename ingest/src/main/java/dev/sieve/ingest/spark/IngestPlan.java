package dev.sieve.ingest.spark;

import dev.sieve.core.Lake;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.ingest.InputFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Which input files a run reads: every listed file but those {@code _sieve/ingest_files} records
 * as {@link IngestJob#DONE} with the same size and modification time.
 *
 * @param listing what the inputs hold
 * @param toRead the files to read (new, changed, or not DONE last time)
 * @param recorded the paths of {@code toRead} that {@code _sieve/ingest_files} already has a row for
 */
record IngestPlan(InputFiles.Listing listing, List<InputFile> toRead, java.util.Set<String> recorded) {

  /** Plans a run over {@code listing} against the files recorded in {@code lake}. */
  static IngestPlan of(SparkSession spark, Lake lake, InputFiles.Listing listing) {
    String filesPath = lake.path(Lake.INGEST_FILES);
    Map<String, Row> known = new HashMap<>();
    if (DeltaTables.exists(spark, filesPath)) {
      for (Row r : DeltaTables.read(spark, filesPath).select("path", "size", "modification_time", "status").collectAsList()) {
        known.put(r.getString(0), r);
      }
    }
    List<InputFile> toRead = new ArrayList<>();
    java.util.Set<String> recorded = new java.util.HashSet<>();
    for (InputFile f : listing.files()) {
      Row k = known.get(f.path());
      boolean same = k != null && k.getLong(1) == f.size() && k.getLong(2) == f.modificationTime();
      if (same && IngestJob.DONE.equals(k.getString(3))) continue;
      toRead.add(f);
      if (k != null) recorded.add(f.path());
    }
    return new IngestPlan(listing, toRead, recorded);
  }

  int found() {
    return listing.files().size();
  }

  int unchanged() {
    return listing.files().size() - toRead.size();
  }

  int ignored() {
    return listing.ignored().size();
  }

  /** The files to read record by record (all but Parquet). */
  List<InputFile> recordFiles() {
    return toRead.stream().filter(f -> f.format() != InputFormat.PARQUET).toList();
  }

  /** The Parquet files to read (read by Spark's own reader, {@link ParquetInput}). */
  List<InputFile> parquetFiles() {
    return toRead.stream().filter(f -> f.format() == InputFormat.PARQUET).toList();
  }

  /** Paths of the files to read. */
  List<String> readPaths() {
    return toRead.stream().map(InputFile::path).toList();
  }

  /** Bytes of the files to read. */
  long bytes() {
    return toRead.stream().mapToLong(InputFile::size).sum();
  }
}
