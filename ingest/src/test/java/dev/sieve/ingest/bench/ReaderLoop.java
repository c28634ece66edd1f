package dev.sieve.ingest.bench;

import dev.sieve.ingest.DocAssembler;
import dev.sieve.ingest.IngestRecord;
import dev.sieve.ingest.IngestSettings;
import dev.sieve.ingest.InputFormat;
import dev.sieve.ingest.LanguageIdentifier;
import dev.sieve.ingest.RecordReader;
import dev.sieve.ingest.RecordSource;
import dev.sieve.ingest.Readers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Sieve's per-document ingest work without Spark or Delta, on one thread: the WARC reader with
 * HTML extraction, then normalisation, language ID and ids. Prints {@code docs bytes seconds cpu_seconds}: wall seconds of the loop, and
 * this JVM's CPU seconds over it (all threads: the loop, JIT compilation, GC). On standard error, a checksum
 * of the documents' titles, texts and metadata, to check that a faster reader still reads the same.
 */
public final class ReaderLoop {
  private ReaderLoop() {}

  public static void main(String[] args) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
      files = s.filter(p -> p.toString().endsWith(".warc.gz")).sorted().toList();
    }
    boolean withLanguage = args.length < 2 || !args[1].equals("nolang");
    IngestSettings settings = new IngestSettings();
    DocAssembler asm = new DocAssembler(new LanguageIdentifier());
    long bytes = 0, docs = 0, checksum = 0;
    long t0 = System.nanoTime();
    long cpu0 = BareWarcLoop.processCpuNanos();
    for (Path f : files) {
      bytes += Files.size(f);
      try (RecordReader r = Readers.open(InputFormat.WARC, RecordSource.of(f), settings)) {
        while (r.hasNext()) {
          IngestRecord rec = r.next();
          if (rec instanceof IngestRecord.Parsed p) {
            checksum = checksum * 31 + java.util.Objects.hash(p.doc().title(), p.doc().text(), p.doc().metadata());
            if (withLanguage) asm.assemble(p.doc(), "bench");
            docs++;
          }
        }
      }
    }
    System.err.println("documents checksum " + Long.toHexString(checksum));
    System.out.println(docs + " " + bytes + " " + (System.nanoTime() - t0) / 1e9 + " " + (BareWarcLoop.processCpuNanos() - cpu0) / 1e9);
  }

}
