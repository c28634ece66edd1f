package dev.sieve.ingest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes small uncompressed WARC files for tests: warcinfo, request and HTML response records. */
public final class TestWarc {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Adds a record with the given type, id, target and block. */
  public TestWarc record(String type, String recordId, String target, String contentType, String block) {
    byte[] b = block.getBytes(StandardCharsets.UTF_8);
    StringBuilder h = new StringBuilder("WARC/1.0\r\n")
        .append("WARC-Type: ").append(type).append("\r\n")
        .append("WARC-Record-ID: <").append(recordId).append(">\r\n")
        .append("WARC-Date: 2024-03-01T12:00:00Z\r\n");
    if (target != null) h.append("WARC-Target-URI: ").append(target).append("\r\n");
    h.append("Content-Type: ").append(contentType).append("\r\n")
        .append("Content-Length: ").append(b.length).append("\r\n\r\n");
    out.writeBytes(h.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(b);
    out.writeBytes("\r\n\r\n".getBytes(StandardCharsets.UTF_8));
    return this;
  }

  public TestWarc warcinfo(String recordId) {
    return record("warcinfo", recordId, null, "application/warc-fields", "software: sieve-test\r\n");
  }

  public TestWarc request(String recordId, String url) {
    return record("request", recordId, url, "application/http; msgtype=request", "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n");
  }

  /** An HTTP 200 HTML response whose page has one article paragraph of {@code text}. */
  public TestWarc page(String recordId, String url, String title, String text) {
    String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body>"
        + "<article><h1>" + title + "</h1><p>" + text + "</p></article></body></html>";
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    String http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + body.length + "\r\n\r\n" + html;
    return record("response", recordId, url, "application/http; msgtype=response", http);
  }

  public byte[] bytes() {
    return out.toByteArray();
  }
}
