package dev.sieve.ingest.bench;

import dev.sieve.core.Doc;
import dev.sieve.core.DocIds;
import dev.sieve.ingest.DocAssembler;
import dev.sieve.ingest.IngestRecord;
import dev.sieve.ingest.IngestSettings;
import dev.sieve.ingest.InputFormat;
import dev.sieve.ingest.LanguageIdentifier;
import dev.sieve.ingest.RecordReader;
import dev.sieve.ingest.RecordSource;
import dev.sieve.ingest.Readers;
import dev.sieve.ingest.Repairs;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Prints one line per record of the WARC files under {@code args[0]} (offset, outcome, and for a
 * document its id, language, title, domain, repairs and text hash): to compare two builds of the
 * per-document code on the same files (their outputs must be identical).
 */
public final class DumpDocs {
  private DumpDocs() {}

  public static void main(String[] args) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
      files = s.filter(p -> p.toString().endsWith(".warc.gz")).sorted().toList();
    }
    PrintStream out = new PrintStream(new java.io.BufferedOutputStream(System.out, 1 << 16), false, "UTF-8");
    DocAssembler asm = new DocAssembler(new LanguageIdentifier());
    for (Path f : files) {
      try (RecordReader r = Readers.open(InputFormat.WARC, RecordSource.of(f), new IngestSettings())) {
        while (r.hasNext()) {
          IngestRecord rec = r.next();
          if (rec instanceof IngestRecord.Parsed p) {
            Repairs repairs = new Repairs().addAll(p.repairs());
            Optional<Doc> d = asm.assemble(p.doc(), "x", repairs);
            if (d.isEmpty()) {
              out.println(p.doc().offset() + "\tempty");
              continue;
            }
            Doc doc = d.get();
            out.println(doc.sourceOffset() + "\tdoc\t" + doc.docId() + "\t" + doc.language() + "\t" + doc.languageScore() + "\t"
                + doc.title() + "\t" + doc.domain() + "\t" + doc.url() + "\t" + repairs + "\t" + doc.metadata() + "\t" + DocIds.sha256Hex(doc.text()));
          } else {
            out.println(rec);
          }
        }
      }
    }
    out.flush();
  }
}
