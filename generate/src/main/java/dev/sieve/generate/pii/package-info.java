/**
 * Fake personal data for the generator to plant (e-mail addresses, phone numbers, IPs, national ids,
 * card numbers, secrets), valid by each kind's checks so the {@code pii} stage must find them, and
 * the template slot of each {@link dev.sieve.core.PiiKind}. Values only; where they go in a text is the generator's business.
 */
package dev.sieve.generate.pii;
