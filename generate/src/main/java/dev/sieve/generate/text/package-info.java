/**
 * The generator's prose: per-language phrase packs ({@link dev.sieve.generate.text.LanguagePack}),
 * sentence and paragraph writing, and near-duplicates made to a target Jaccard similarity on
 * {@link dev.sieve.generate.text.Shingles} (the definition the ground truth measures with). Text
 * only: no files, no formats.
 */
package dev.sieve.generate.text;
