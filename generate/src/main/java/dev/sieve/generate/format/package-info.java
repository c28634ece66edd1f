/**
 * The generator's file writers, one per corpus format: gzipped WARC/WET through jwarc
 * ({@link dev.sieve.generate.format.WarcSink}), WuDao JSON arrays and JSON Lines
 * ({@link dev.sieve.generate.format.JsonSinks}), rolled into numbered files with size and SHA-256
 * ({@link dev.sieve.generate.format.RollingSink}). Bytes only: what a document says is decided in
 * {@code dev.sieve.generate.text}.
 */
package dev.sieve.generate.format;
