package dev.sieve.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** An HTTP response block parsed leniently (LF or CRLF line ends): status, Content-Type, payload. */
record LenientHttp(int status, String contentType, byte[] payload) {
  static LenientHttp parse(byte[] block) throws IOException {
    int i = 0;
    int lineStart = 0;
    int status = -1;
    String contentType = null;
    boolean first = true;
    while (i <= block.length) {
      if (i == block.length) throw new IOException("HTTP header without an end");
      if (block[i] == '\n') {
        int end = i > lineStart && block[i - 1] == '\r' ? i - 1 : i;
        String line = new String(block, lineStart, end - lineStart, StandardCharsets.ISO_8859_1);
        if (first) {
          String[] parts = line.split(" ", 3);
          if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new IOException("not an HTTP status line: " + line);
          status = Integer.parseInt(parts[1].strip());
          first = false;
        } else if (line.isEmpty()) {
          byte[] payload = java.util.Arrays.copyOfRange(block, i + 1, block.length);
          return new LenientHttp(status, contentType, payload);
        } else {
          int colon = line.indexOf(':');
          if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-type")) {
            contentType = line.substring(colon + 1).strip();
          }
        }
        lineStart = i + 1;
      }
      i++;
    }
    throw new IOException("HTTP header without an end");
  }
}
