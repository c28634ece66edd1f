package dev.sieve.tokenize;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Real text from ../shared/fixtures (system property {@code sieve.fixtures}, set by the root pom),
 * split by script: the Common Crawl WET sample is mostly Russian pages with some English ones,
 * WuDao's demo file holds 10 Chinese and 10 English documents, CLUECorpusSmall 2,500 Chinese
 * lines. Tests skip with a message when the folder is absent.
 */
final class Fixtures {
  private Fixtures() {}

  static Path fixture(String rel) {
    Path f = Path.of(System.getProperty("sieve.fixtures", "../../shared/fixtures")).resolve(rel);
    assumeTrue(Files.isRegularFile(f), "fixture " + f + " absent: skipped");
    return f;
  }

  private static List<String> wetBodies() {
    Path f = fixture("commoncrawl/cc-main-2016-50-sample.wet.gz");
    String all;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
      all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> out = new ArrayList<>();
    for (String rec : all.split("WARC/1\\.0\r?\n")) {
      if (!rec.contains("WARC-Type: conversion")) continue;
      int body = rec.indexOf("\n\n"); // this sample's headers end with LF only
      if (body >= 0) out.add(rec.substring(body + 2).strip());
    }
    return out;
  }

  private static long count(String s, Character.UnicodeScript script) {
    return s.codePoints().filter(c -> Character.isLetter(c) && Character.UnicodeScript.of(c) == script).count();
  }

  /** WET pages written mostly in Latin letters (< 1% Cyrillic), then WuDao demo's English documents. */
  static List<String> english() {
    List<String> out = new ArrayList<>();
    for (String b : wetBodies()) {
      long lat = count(b, Character.UnicodeScript.LATIN);
      long cyr = count(b, Character.UnicodeScript.CYRILLIC);
      long han = count(b, Character.UnicodeScript.HAN);
      if (lat > 200 && cyr * 100 < lat && han * 100 < lat) out.add(b);
    }
    for (JsonNode d : wudaoDemo()) {
      String t = d.path("text").asText();
      if (count(t, Character.UnicodeScript.HAN) == 0) out.add(t);
    }
    return out;
  }

  /** WET pages with more Cyrillic than Latin letters. */
  static List<String> russian() {
    List<String> out = new ArrayList<>();
    for (String b : wetBodies()) {
      if (count(b, Character.UnicodeScript.CYRILLIC) > 2 * count(b, Character.UnicodeScript.LATIN)) out.add(b);
    }
    return out;
  }

  /** CLUECorpusSmall lines (up to {@code max}). */
  static List<String> chinese(int max) {
    try {
      List<String> lines = Files.readAllLines(fixture("zh/CLUECorpusSmall_sampled.txt"), StandardCharsets.UTF_8);
      List<String> out = new ArrayList<>();
      for (String l : lines) {
        if (!l.isBlank()) out.add(l);
        if (out.size() >= max) break;
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** CSL academic abstracts (column 2 of the TSV), up to {@code max}. */
  static List<String> chineseAbstracts(int max) {
    try {
      List<String> out = new ArrayList<>();
      for (String l : Files.readAllLines(fixture("zh/csl-abstracts-dev.tsv"), StandardCharsets.UTF_8)) {
        String[] cols = l.split("\t");
        if (cols.length >= 2) out.add(cols[1]);
        if (out.size() >= max) break;
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<JsonNode> wudaoDemo() {
    ObjectMapper om = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    try {
      for (String l : Files.readAllLines(fixture("zh/wudao-demo.jsonl"), StandardCharsets.UTF_8)) {
        if (!l.isBlank()) out.add(om.readTree(l));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
