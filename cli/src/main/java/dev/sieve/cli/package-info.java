/**
 * The {@code sieve} command line (picocli): one {@code *Command} class per subcommand, each parsing
 * its options, opening the lake and config, and calling one stage's job or one tool. Commands hold
 * wiring and messages only: no per-document logic (that lives in the stage modules) and no Delta
 * writes of their own beyond what a stage job does. The only module whose root package may import
 * Spark.
 */
package dev.sieve.cli;
