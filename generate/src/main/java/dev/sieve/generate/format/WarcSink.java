package dev.sieve.generate.format;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.netpreserve.jwarc.HttpRequest;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcConversion;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcWriter;
import org.netpreserve.jwarc.Warcinfo;

/**
 * Gzipped WARC 1.0 files the way Common Crawl writes them, one gzip member per record, through
 * jwarc: a {@code warcinfo} record first, then {@code request} + {@code response} pairs (or, for
 * WET, {@code conversion} records with plain text).
 */
public final class WarcSink extends RollingSink {
  private final boolean wet;
  private final Instant created;
  private final Map<String, List<String>> info;
  private WarcWriter writer;
  private URI warcinfoId;

  /**
   * @param wet write WET conversion records instead of request/response pairs
   * @param info warcinfo fields (software, description, ...)
   */
  public WarcSink(Path root, boolean wet, long recordsPerFile, Instant created, Map<String, List<String>> info) {
    super(root, wet ? "wet" : "warc", "CC-SYNTH", wet ? ".warc.wet.gz" : ".warc.gz", recordsPerFile);
    this.wet = wet;
    this.created = created;
    this.info = info;
  }

  @Override
  protected void openFile(OutputStream out, String relativePath) throws IOException {
    writer = new WarcWriter(Channels.newChannel(out), WarcCompression.GZIP);
    String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
    warcinfoId = uuidUrn(UUID.nameUUIDFromBytes(("warcinfo:" + relativePath).getBytes(StandardCharsets.UTF_8)));
    Warcinfo wi = new Warcinfo.Builder()
        .recordId(warcinfoId)
        .date(created)
        .filename(name)
        .fields(info)
        .build();
    writer.write(wi);
  }

  /** Writes a request + response pair; returns the file it went to. */
  public String writeResponse(URI target, Instant date, UUID requestId, UUID responseId, String contentType, byte[] body,
                              String ip) throws IOException {
    if (wet) throw new IllegalStateException("a WET sink holds conversion records only");
    String file = beginRecord();
    HttpRequest request = new HttpRequest.Builder("GET", target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath())
        .addHeader("Host", target.getHost())
        .addHeader("User-Agent", "CCBot/2.0 (https://commoncrawl.org/faq/)")
        .addHeader("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .addHeader("Accept-Encoding", "identity")
        .build();
    HttpResponse response = new HttpResponse.Builder(200, "OK")
        .addHeader("Server", "nginx")
        .addHeader("Cache-Control", "max-age=600")
        .body(MediaType.parse(contentType), body)
        .build();
    WarcRequest req = new WarcRequest.Builder(target)
        .recordId(requestId)
        .date(date)
        .warcinfoId(warcinfoId)
        .body(request)
        .ipAddress(java.net.InetAddress.getByName(ip))
        .build();
    WarcResponse resp = new WarcResponse.Builder(target)
        .recordId(responseId)
        .date(date)
        .warcinfoId(warcinfoId)
        .concurrentTo(req.id())
        .body(response)
        .ipAddress(java.net.InetAddress.getByName(ip))
        .build();
    writer.write(req);
    writer.write(resp);
    return file;
  }

  /** Writes a WET conversion record; returns the file it went to. */
  public String writeConversion(URI target, Instant date, UUID id, UUID refersTo, String text, String iso639_3) throws IOException {
    if (!wet) throw new IllegalStateException("a WARC sink holds request/response records only");
    String file = beginRecord();
    WarcConversion.Builder b = new WarcConversion.Builder()
        .recordId(id)
        .date(date)
        .warcinfoId(warcinfoId)
        .refersTo(uuidUrn(refersTo))
        .addHeader("WARC-Target-URI", target.toString())
        .body(MediaType.PLAIN_TEXT, text.getBytes(StandardCharsets.UTF_8));
    if (iso639_3 != null) b.addHeader("WARC-Identified-Content-Language", iso639_3);
    writer.write(b.build());
    return file;
  }

  @Override
  protected void closeFile() throws IOException {
    writer.close();
    writer = null;
  }

  static URI uuidUrn(UUID id) {
    return URI.create("urn:uuid:" + id);
  }
}
