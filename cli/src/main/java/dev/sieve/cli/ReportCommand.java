package dev.sieve.cli;

import dev.sieve.cli.inspect.LakeSnapshot;
import dev.sieve.cli.inspect.ReportHtml;
import dev.sieve.cli.inspect.SnapshotReader;
import dev.sieve.core.spark.SparkSessions;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sieve report --out FILE.html}: one self-contained HTML page (inline CSS, SVG charts drawn
 * in Java, no network) with the funnel, filter drops per rule, document lengths per language,
 * duplicate cluster sizes, PII per kind, tokens per source and language, and training loss curves.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Write a self-contained HTML report with charts: funnel, drops per rule, lengths per language,",
        "duplicate cluster sizes, PII, tokens per source and language, training loss."})
final class ReportCommand extends LakeCommand {
  @Option(names = "--out", required = true, paramLabel = "FILE.html", description = "Where to write the report.")
  Path out;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = SparkSessions.getOrCreate(common.config().spark());
    LakeSnapshot snapshot = new SnapshotReader(spark, common.lake()).read(0, true);
    String html = ReportHtml.render(snapshot);
    Path target = out.toAbsolutePath();
    if (target.getParent() != null) Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.writeString(tmp, html, StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    PrintWriter w = out();
    w.printf("report: %s (%,d bytes)%n", target, Files.size(target));
    w.flush();
    return ExitCodes.OK;
  }
}
