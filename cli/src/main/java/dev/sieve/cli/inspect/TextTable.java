package dev.sieve.cli.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with aligned columns for the terminal: numbers right-aligned, text left,
 * East Asian wide characters counted as two columns. No borders: a header line and rows.
 */
public final class TextTable {
  private final String[] headers;
  private final boolean[] right;
  private final List<String[]> rows = new ArrayList<>();

  /** Headers; a header starting with {@code >} is right-aligned (the {@code >} is dropped). */
  public TextTable(String... headers) {
    this.headers = new String[headers.length];
    this.right = new boolean[headers.length];
    for (int i = 0; i < headers.length; i++) {
      right[i] = headers[i].startsWith(">");
      this.headers[i] = right[i] ? headers[i].substring(1) : headers[i];
    }
  }

  public TextTable row(Object... cells) {
    String[] r = new String[headers.length];
    for (int i = 0; i < r.length; i++) r[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
    rows.add(r);
    return this;
  }

  public int size() {
    return rows.size();
  }

  /** The table, every line starting with {@code indent}, trailing spaces trimmed. */
  public String render(String indent) {
    int[] w = new int[headers.length];
    for (int i = 0; i < w.length; i++) w[i] = width(headers[i]);
    for (String[] r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], width(r[i]));
    StringBuilder sb = new StringBuilder();
    line(sb, indent, headers, w);
    for (String[] r : rows) line(sb, indent, r, w);
    return sb.toString();
  }

  private void line(StringBuilder sb, String indent, String[] cells, int[] w) {
    StringBuilder l = new StringBuilder(indent);
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) l.append("  ");
      String pad = " ".repeat(Math.max(0, w[i] - width(cells[i])));
      if (right[i]) l.append(pad).append(cells[i]);
      else l.append(cells[i]).append(pad);
    }
    sb.append(l.toString().stripTrailing()).append('\n');
  }

  /** Terminal columns of a string: East Asian wide and full-width characters take two. */
  public static int width(String s) {
    int w = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      w += wide(cp) ? 2 : 1;
      i += Character.charCount(cp);
    }
    return w;
  }

  private static boolean wide(int cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
        || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
  }
}
