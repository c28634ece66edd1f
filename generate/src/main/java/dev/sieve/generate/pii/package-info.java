/**
 * Fake personal data for the generator to plant (e-mail addresses, phone numbers, IPs, national ids,
 * card numbers, secrets), valid by each kind's checks so the {@code pii} stage must find them, and
 * their kinds. Values only; where they go in a text is the generator's business.
 */
package dev.sieve.generate.pii;
