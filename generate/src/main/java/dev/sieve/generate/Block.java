package dev.sieve.generate;

/** One block of a document's main text: a heading, a paragraph or a list item. */
public record Block(Type type, String text) {
  public enum Type { HEADING, PARAGRAPH, LIST_ITEM }

  public Block {
    if (text.indexOf('\n') >= 0) throw new IllegalArgumentException("a block is one line");
  }
}
