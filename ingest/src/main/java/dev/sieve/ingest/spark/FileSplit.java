package dev.sieve.ingest.spark;

import dev.sieve.ingest.InputFormat;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One Spark task's share of an input file: split {@code index} of {@code count}. A file is one
 * split, except a gzip WARC or WET file larger than {@code splitBytes}, which is
 * {@code ceil(size / splitBytes)} splits. Split {@code i} nominally covers bytes
 * [{@link #nominalStart}, {@link #nominalEnd}); its reader moves both ends forward to the next gzip
 * member that starts a WARC record ({@code WarcRecordReader.memberStartAtOrAfter}), so neighbouring
 * splits agree on their boundary and every record is read by exactly one split.
 */
public record FileSplit(InputFile file, int index, int count) implements Serializable {
  public FileSplit {
    if (count < 1 || index < 0 || index >= count) throw new IllegalArgumentException("split " + index + " of " + count);
  }

  /** First byte of this split before it is moved to a record boundary. */
  public long nominalStart() {
    return boundary(index);
  }

  /** End of this split before it is moved to a record boundary. */
  public long nominalEnd() {
    return boundary(index + 1);
  }

  private long boundary(int i) {
    return i >= count ? file.size() : Math.multiplyExact((long) i, file.size()) / count;
  }

  /** The splits of {@code files}, in order: several per large gzip WARC/WET file, one per other file. */
  public static List<FileSplit> of(List<InputFile> files, long splitBytes) {
    if (splitBytes < 1) throw new IllegalArgumentException("splitBytes must be positive: " + splitBytes);
    List<FileSplit> out = new ArrayList<>();
    for (InputFile f : files) {
      int n = splittable(f) ? (int) Math.max(1, Math.min(Integer.MAX_VALUE, (f.size() + splitBytes - 1) / splitBytes)) : 1;
      for (int i = 0; i < n; i++) out.add(new FileSplit(f, i, n));
    }
    return out;
  }

  /** Gzip WARC and WET files (record-at-a-time gzip members) can be split; other formats are read whole. */
  static boolean splittable(InputFile f) {
    return (f.format() == InputFormat.WARC || f.format() == InputFormat.WET) && f.path().toLowerCase(Locale.ROOT).endsWith(".gz");
  }
}
