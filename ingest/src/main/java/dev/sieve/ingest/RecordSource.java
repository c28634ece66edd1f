package dev.sieve.ingest;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input file that readers can open at any byte offset (to resynchronise after a bad record).
 * A local file in tests; a Hadoop {@code FileSystem} path (HDFS, S3, ABFS) in the Spark job.
 */
public interface RecordSource {
  /** Path or URI as recorded in {@code source_file}. */
  String name();

  /** Size in bytes. */
  long length() throws IOException;

  /** A stream positioned at {@code offset}. */
  InputStream open(long offset) throws IOException;

  /**
   * This source cut at byte {@code end}: same name, length {@code end}, and streams that end there
   * (how one split of a file is read: its reader sees the file end at the split's end).
   */
  default RecordSource upTo(long end) {
    RecordSource whole = this;
    return new RecordSource() {
      @Override
      public String name() {
        return whole.name();
      }

      @Override
      public long length() {
        return end;
      }

      @Override
      public InputStream open(long offset) throws IOException {
        return new BoundedInputStream(whole.open(offset), Math.max(0, end - offset));
      }
    };
  }

  /** A local file. */
  static RecordSource of(java.nio.file.Path file) {
    return new RecordSource() {
      @Override
      public String name() {
        return file.toString();
      }

      @Override
      public long length() throws IOException {
        return java.nio.file.Files.size(file);
      }

      @Override
      public InputStream open(long offset) throws IOException {
        InputStream in = java.nio.file.Files.newInputStream(file);
        in.skipNBytes(offset);
        return in;
      }
    };
  }
}
