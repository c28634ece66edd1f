package dev.sieve.ingest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines on {@code \n} (a trailing {@code \r} is dropped), keeping each
 * line's byte offset ({@link LineRecordReader} decodes them, counting what it repairs).
 */
final class ByteLines implements Closeable {
  private final InputStream in;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
  private long pos;
  private long lineStart;

  ByteLines(InputStream in) {
    this.in = new BufferedInputStream(in, 1 << 16);
  }

  /** The next line's bytes (without the line break), or null at the end. */
  byte[] next() throws IOException {
    line.reset();
    lineStart = pos;
    int b;
    boolean any = false;
    while ((b = in.read()) >= 0) {
      pos++;
      any = true;
      if (b == '\n') break;
      line.write(b);
    }
    if (!any) return null;
    byte[] out = line.toByteArray();
    if (out.length > 0 && out[out.length - 1] == '\r') out = java.util.Arrays.copyOf(out, out.length - 1);
    return out;
  }

  /** Byte offset of the line {@link #next()} returned last. */
  long lineStart() {
    return lineStart;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
