package dev.sieve.ingest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared real-world fixtures (../shared/fixtures); tests that need them skip with a message when absent. */
final class Fixtures {
  private Fixtures() {}

  static Path file(String relative) {
    String root = System.getProperty("sieve.fixtures", "../../shared/fixtures");
    Path p = Path.of(root).resolve(relative);
    assumeTrue(Files.isRegularFile(p), "fixture " + relative + " not found under " + root + ": skipped (the shared fixtures are absent)");
    return p;
  }
}
