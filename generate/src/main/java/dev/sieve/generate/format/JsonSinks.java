package dev.sieve.generate.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** The JSON-based corpus formats: WuDao's bare JSON array and JSON Lines. */
public final class JsonSinks {
  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  private JsonSinks() {}

  /** Creates a generator that never closes the stream under it. */
  static JsonGenerator generator(OutputStream out) throws IOException {
    JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return g;
  }

  /**
   * WuDao corpus files: one bare JSON array per file, one record object per line
   * ({@code [\n{"id":1,"uniqueKey":...},\n...\n]}), streamed with Jackson.
   */
  public static final class Wudao extends RollingSink {
    private JsonGenerator g;
    private OutputStream out;
    private boolean first;

    public Wudao(Path root, long recordsPerFile) {
      super(root, "wudao", "part", ".json", recordsPerFile);
    }

    @Override
    protected void openFile(OutputStream out, String relativePath) throws IOException {
      this.out = out;
      out.write('[');
      first = true;
    }

    public String write(long id, String uniqueKey, String titleUkey, String dataType, String title, String content) throws IOException {
      String file = beginRecord();
      out.write(first ? "\n".getBytes() : ",\n".getBytes());
      first = false;
      g = generator(out);
      g.writeStartObject();
      g.writeNumberField("id", id);
      g.writeStringField("uniqueKey", uniqueKey);
      g.writeStringField("titleUkey", titleUkey);
      g.writeStringField("dataType", dataType);
      g.writeStringField("title", title);
      g.writeStringField("content", content);
      g.writeEndObject();
      g.flush();
      return file;
    }

    @Override
    protected void closeFile() throws IOException {
      out.write("\n]\n".getBytes());
      out.flush();
    }
  }

  /** JSON Lines: {@code {"id","url","title","text","lang","date"}} per line. */
  public static final class Jsonl extends RollingSink {
    private OutputStream out;

    public Jsonl(Path root, long recordsPerFile) {
      super(root, "jsonl", "part", ".jsonl", recordsPerFile);
    }

    @Override
    protected void openFile(OutputStream out, String relativePath) {
      this.out = out;
    }

    public String write(String id, String url, String title, String text, String lang, String date) throws IOException {
      String file = beginRecord();
      JsonGenerator g = generator(out);
      g.writeStartObject();
      g.writeStringField("id", id);
      g.writeStringField("url", url);
      g.writeStringField("title", title);
      g.writeStringField("text", text);
      g.writeStringField("lang", lang);
      g.writeStringField("date", date);
      g.writeEndObject();
      g.flush();
      out.write('\n');
      return file;
    }

    @Override
    protected void closeFile() throws IOException {
      out.flush();
    }
  }
}
