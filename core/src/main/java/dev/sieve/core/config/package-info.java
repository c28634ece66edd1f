/**
 * {@code sieve.yaml}: {@link dev.sieve.core.config.SieveConfig} parses the file into typed sections,
 * each a {@link dev.sieve.core.config.ConfigSection} a module registers through
 * {@link dev.sieve.core.config.ConfigSectionProvider} (ServiceLoader), with defaults as named constants
 * and {@link dev.sieve.core.config.ConfigException} for one-line usage errors. Spark-free; the
 * sections themselves live with their stage ({@code FilterSettings}, {@code PiiSettings}, ...).
 */
package dev.sieve.core.config;
