package dev.sieve.generate.pii;

/** The kinds of personal data the generator plants; the names are the tags PII scrubbing writes ({@code <EMAIL>}, ...). */
public enum PiiKind {
  EMAIL("email"),
  PHONE("phone"),
  IP_ADDRESS("ip"),
  ID_NUMBER("id_number"),
  CREDIT_CARD("card"),
  SECRET("secret");

  private final String slot;

  PiiKind(String slot) {
    this.slot = slot;
  }

  /** The template slot (and language-pack key) that carries this kind. */
  public String slot() {
    return slot;
  }
}
