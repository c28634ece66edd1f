package dev.sieve.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Per-document logic never imports Spark (DESIGN.md, "Modules"): in every module but {@code cli},
 * only classes in a {@code spark} package may. Checked on the sources of the whole reactor.
 */
class SparkFreeRootPackagesTest {
  @Test
  void onlySparkPackagesImportSpark() throws IOException {
    Path root = Path.of(System.getProperty("user.dir")).getParent();
    assertTrue(Files.exists(root.resolve("pom.xml")), "reactor root not found from " + root);
    List<String> offenders;
    try (Stream<Path> files = Files.walk(root)) {
      offenders = files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/main/java/"))
          .filter(p -> !root.relativize(p).startsWith("cli"))
          .filter(p -> !p.getParent().getFileName().toString().equals("spark"))
          .filter(SparkFreeRootPackagesTest::importsSpark)
          .map(p -> root.relativize(p).toString())
          .toList();
    }
    assertEquals(List.of(), offenders);
  }

  private static boolean importsSpark(Path p) {
    try {
      return Files.readString(p).contains("import org.apache.spark");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
