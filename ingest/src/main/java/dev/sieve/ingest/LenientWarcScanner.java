package dev.sieve.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads WARC records by their boundaries instead of their {@code Content-Length}: a record starts
 * at a {@code WARC/1.x} line at the start of the file or after an empty line, and runs to the next
 * such line. It is the fallback for real files that jwarc rightly refuses, typically WARCs whose
 * line ends were rewritten from CRLF to LF (every Content-Length is then wrong). Offsets are
 * positions in the uncompressed stream.
 */
final class LenientWarcScanner {
  /** A record: its WARC headers (lower-case names), block bytes and uncompressed offset. */
  record Record(Map<String, String> headers, byte[] block, long offset, boolean truncated) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final ByteLines lines;
  private final int maxBlockBytes;
  private byte[] pendingLine;
  private long pendingOffset;
  private boolean eof;

  LenientWarcScanner(InputStream decompressed, int maxBlockBytes) {
    this.lines = new ByteLines(decompressed);
    this.maxBlockBytes = maxBlockBytes;
  }

  private byte[] nextLine() throws IOException {
    if (pendingLine != null) {
      byte[] l = pendingLine;
      pendingLine = null;
      return l;
    }
    byte[] l = lines.next();
    if (l == null) eof = true;
    else pendingOffset = lines.lineStart();
    return l;
  }

  private static boolean isWarcStart(byte[] line) {
    return line.length >= 7 && line[0] == 'W' && line[1] == 'A' && line[2] == 'R' && line[3] == 'C' && line[4] == '/' && line[5] == '1' && line[6] == '.';
  }

  /** The next record, or null at the end. */
  Record next() throws IOException {
    byte[] line;
    do {
      line = nextLine();
      if (line == null) return null;
    } while (!isWarcStart(line));
    long offset = pendingOffset;
    Map<String, String> headers = new LinkedHashMap<>();
    while (true) {
      line = nextLine();
      if (line == null) return new Record(headers, new byte[0], offset, true);
      if (line.length == 0) break;
      String h = new String(line, StandardCharsets.UTF_8);
      int colon = h.indexOf(':');
      if (colon > 0) headers.put(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
    }
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    int blankRun = 0;
    boolean tooLarge = false;
    while (true) {
      line = nextLine();
      if (line == null) break;
      if (isWarcStart(line) && blankRun > 0) {
        pendingLine = line;
        break;
      }
      if (line.length == 0) {
        blankRun++;
        continue;
      }
      if (!tooLarge) {
        if (block.size() > 0) block.write('\n');
        for (int i = 0; i < blankRun && block.size() > 0; i++) block.write('\n');
        block.write(line);
        if (block.size() > maxBlockBytes) tooLarge = true;
      }
      blankRun = 0;
    }
    byte[] b = tooLarge ? null : block.toByteArray();
    boolean truncated = false;
    String cl = headers.get("content-length");
    if (b != null && cl != null && eof && pendingLine == null) {
      try {
        long declared = Long.parseLong(cl);
        long lf = 0;
        for (byte x : b) if (x == '\n') lf++;
        truncated = b.length + lf + 4 < declared;
      } catch (NumberFormatException ignored) {
        // no usable length
      }
    }
    return new Record(headers, b, offset, truncated);
  }
}
