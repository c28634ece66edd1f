package dev.sieve.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sieve.core.Lake;
import dev.sieve.core.config.ConfigException;
import dev.sieve.core.spark.DeltaTables;
import dev.sieve.core.spark.LakeTables;
import dev.sieve.core.spark.SparkSessions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sieve sql "<query>"}: Spark SQL over the lake. Every Delta table is a view named after
 * its path ({@code bronze_documents}, {@code sieve_stage_runs}, ...); {@code delta.`path`} works too,
 * a relative path resolved against the default filesystem's working directory.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {"Run Spark SQL over the lake; every table is a view named after its path with _ for / ",
        "(bronze_documents, silver_rejected, gold_shard_manifest, sieve_stage_runs, sieve_quarantine)."})
final class SqlCommand extends LakeCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL query.")
  String query;

  @Option(names = "--json", description = "Print one JSON object per row instead of a table.")
  boolean json;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "Print at most N rows (default: ${DEFAULT-VALUE}; 0 = all).")
  int limit;

  @Option(names = "--wide", description = "Do not truncate long cells in the table view.")
  boolean wide;

  @Override
  public Integer call() throws Exception {
    SparkSession spark = SparkSessions.getOrCreate(common.config().spark());
    Lake lake = common.lake();
    Map<String, String> views = LakeTables.registerViews(spark, lake);
    Dataset<Row> df;
    try {
      // Resolved as every table path of the lake is (DeltaTables.qualified: the default filesystem's working directory).
      df = spark.sql(absoluteDeltaPaths(query, p -> DeltaTables.qualified(spark, p)));
    } catch (Exception ex) {
      // Scala code does not declare its checked exceptions.
      if (!(ex instanceof AnalysisException e)) throw ex;
      String msg = e.getSimpleMessage().lines().findFirst().orElse("");
      throw new ConfigException("bad query: " + msg + (views.isEmpty() ? " (the lake " + lake.root() + " has no tables yet)"
          : " (views: " + String.join(", ", views.keySet()) + ")"));
    }
    Dataset<Row> shown = limit > 0 ? df.limit(limit) : df;
    List<String> rows = shown.toJSON().collectAsList();
    PrintWriter out = out();
    if (json) {
      for (String r : rows) out.println(r);
    } else {
      printTable(out, df.schema().fields(), rows);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private void printTable(PrintWriter out, StructField[] fields, List<String> jsonRows) throws Exception {
    int n = fields.length;
    List<String[]> cells = new ArrayList<>();
    int[] width = new int[n];
    for (int c = 0; c < n; c++) width[c] = fields[c].name().length();
    for (String jr : jsonRows) {
      JsonNode node = JSON.readTree(jr);
      String[] row = new String[n];
      for (int c = 0; c < n; c++) {
        JsonNode v = node.get(fields[c].name());
        String s = v == null || v.isNull() ? "null" : v.isTextual() ? v.asText() : v.toString();
        s = s.replace("\n", "\\n").replace("\t", " ");
        if (!wide && s.codePointCount(0, s.length()) > 60) s = s.substring(0, s.offsetByCodePoints(0, 57)) + "...";
        row[c] = s;
        width[c] = Math.max(width[c], displayWidth(s));
      }
      cells.add(row);
    }
    StringBuilder sep = new StringBuilder("+");
    for (int w : width) sep.append("-".repeat(w + 2)).append('+');
    out.println(sep);
    StringBuilder head = new StringBuilder("|");
    for (int c = 0; c < n; c++) head.append(' ').append(pad(fields[c].name(), width[c])).append(" |");
    out.println(head);
    out.println(sep);
    for (String[] row : cells) {
      StringBuilder line = new StringBuilder("|");
      for (int c = 0; c < n; c++) line.append(' ').append(pad(row[c], width[c])).append(" |");
      out.println(line);
    }
    out.println(sep);
    out.println(cells.size() + (cells.size() == 1 ? " row" : " rows") + (limit > 0 && cells.size() == limit ? " (limit reached; --limit 0 for all)" : ""));
  }

  /** {@code delta.`path`} with a path that is neither absolute nor a URI ({@code hdfs://}, {@code s3a://}, {@code file:}). */
  private static final java.util.regex.Pattern RELATIVE_DELTA_PATH =
      java.util.regex.Pattern.compile("(?i)(\\bdelta\\s*\\.\\s*)`(?![/\\\\])(?![A-Za-z][A-Za-z0-9+.-]*:)([^`]+)`");

  /**
   * {@code query} with each relative {@code delta.`path`} made absolute by {@code resolve}: Delta
   * takes only an absolute path (or a URI) for a table path and reads {@code delta.`lake/x`} as a
   * table named {@code x} in a schema, which fails with "unsupported data source" or "table not found".
   */
  static String absoluteDeltaPaths(String query, java.util.function.UnaryOperator<String> resolve) {
    return RELATIVE_DELTA_PATH.matcher(query).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
        m.group(1) + "`" + resolve.apply(m.group(2)) + "`"));
  }

  /** Terminal width of a string: East Asian wide characters take two columns. */
  static int displayWidth(String s) {
    int w = 0;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      w += isWide(cp) ? 2 : 1;
      i += Character.charCount(cp);
    }
    return w;
  }

  private static boolean isWide(int cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
        || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - displayWidth(s)));
  }
}
