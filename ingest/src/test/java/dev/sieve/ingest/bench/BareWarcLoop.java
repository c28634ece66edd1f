package dev.sieve.ingest.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;

/**
 * The baseline of {@code bench/ingest}: a plain single-threaded loop that reads WARC files with
 * jwarc and parses every HTML response with jsoup ({@code Document.text()}), nothing else — no
 * boilerplate removal, language ID, Spark or Delta. Prints {@code docs bytes seconds chars cpu_seconds}:
 * wall seconds of the loop, and this JVM's CPU seconds over it (all threads: the loop, JIT compilation, GC).
 */
public final class BareWarcLoop {
  private BareWarcLoop() {}

  public static void main(String[] args) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
      files = s.filter(p -> p.toString().endsWith(".warc.gz")).sorted().toList();
    }
    long bytes = 0;
    long docs = 0;
    long chars = 0;
    long t0 = System.nanoTime();
    long cpu0 = processCpuNanos();
    for (Path f : files) {
      bytes += Files.size(f);
      try (WarcReader reader = new WarcReader(f)) {
        for (WarcRecord rec : reader) {
          if (!(rec instanceof WarcResponse resp)) continue;
          if (!resp.http().contentType().base().toString().equals("text/html")) continue;
          byte[] body = resp.http().body().stream().readAllBytes();
          String charset = resp.http().contentType().parameters().getOrDefault("charset", "UTF-8");
          chars += Jsoup.parse(new String(body, charset), resp.target()).text().length();
          docs++;
        }
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.println(docs + " " + bytes + " " + secs + " " + chars + " " + (processCpuNanos() - cpu0) / 1e9);
  }

  /** This JVM's CPU nanoseconds, every thread (JIT compiler and GC threads too, as in the stage's own count). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
