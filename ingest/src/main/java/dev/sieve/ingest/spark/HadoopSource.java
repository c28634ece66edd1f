package dev.sieve.ingest.spark;

import dev.sieve.ingest.RecordSource;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** A {@link RecordSource} on any Hadoop filesystem (local, HDFS, S3A, ABFS), opened at any offset with a seek. */
final class HadoopSource implements RecordSource {
  private final FileSystem fs;
  private final Path path;
  private final long length;

  HadoopSource(FileSystem fs, Path path, long length) {
    this.fs = fs;
    this.path = path;
    this.length = length;
  }

  @Override
  public String name() {
    return path.toString();
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public InputStream open(long offset) throws IOException {
    FSDataInputStream in = fs.open(path, 1 << 16);
    if (offset > 0) in.seek(offset);
    return in;
  }
}
