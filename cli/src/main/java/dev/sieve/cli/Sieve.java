package dev.sieve.cli;

import dev.sieve.core.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * The {@code sieve} command: one subcommand per stage. The same class is the {@code main} of
 * {@code bin/sieve} and of {@code spark-submit --class dev.sieve.cli.Sieve sieve-spark.jar}.
 *
 * <p>Exit codes: {@link ExitCodes#OK}, {@link ExitCodes#FAILURE}, {@link ExitCodes#USAGE}
 * (bad option, config key or value, with a one-line message naming it).
 */
@Command(name = "sieve", mixinStandardHelpOptions = true, versionProvider = Sieve.Version.class,
    description = "Curate LLM pretraining data on Spark + Delta Lake.",
    subcommands = {GenerateCommand.class, IngestCommand.class, FilterCommand.class, DedupCommand.class, PiiCommand.class, DecontaminateCommand.class, TokenizeCommand.class,
        TokenizerCommand.class, ShardsCommand.class, TrainCommand.class, PipelineCommand.class, SqlCommand.class, InspectCommand.class,
        ReportCommand.class, ConfigCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 done, 1 failure, 2 bad usage or config.",
        "Runs on local[*] by default; under spark-submit it runs on the cluster's master."})
public final class Sieve implements Runnable {
  @Spec
  CommandLine.Model.CommandSpec spec;

  /**
   * Set by {@code bin/sieve} on a run that records a class data sharing archive: the archive's path.
   * A run that started Spark writes {@code <path>.spark} before it exits, and only then does
   * {@code bin/sieve} keep the archive (one recorded by {@code --version} or {@code generate} would
   * hold none of Spark's or Delta's classes, and every later command would start without them).
   */
  static final String CDS_DUMP_PROPERTY = "sieve.cds.dump";

  public static void main(String[] args) {
    int code = run(args);
    // Stop Spark cleanly (event logs, temp dirs) before the JVM goes.
    org.apache.spark.sql.SparkSession.getDefaultSession().foreach(s -> {
      s.stop();
      markCdsArchiveWorthKeeping();
      return null;
    });
    if (code != 0 || !isSparkSubmit()) System.exit(code);
  }

  /** Runs a command line and returns its exit code (for tests and embedding). */
  public static int run(String... args) {
    return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
  }

  /** Runs with given output streams (tests capture them). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return commandLine(out, err).execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Sieve());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExitCodeExceptionMapper(t -> t instanceof ConfigException || t instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.FAILURE);
    cl.setExecutionExceptionHandler((ex, line, parsed) -> {
      Throwable t = ex;
      if (t instanceof ConfigException) {
        line.getErr().println("sieve: " + t.getMessage());
        return ExitCodes.USAGE;
      }
      if (t instanceof dev.sieve.core.spark.LakeLock.LakeBusyException || t instanceof dev.sieve.core.spark.StageRun.ReconciliationException) {
        // Expected refusals: one line, no cause chain.
        line.getErr().println("sieve " + line.getCommandName() + ": " + t.getMessage());
        return ExitCodes.FAILURE;
      }
      line.getErr().println("sieve " + line.getCommandName() + " failed: " + brief(t));
      for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) line.getErr().println("  caused by: " + brief(c));
      if (System.getenv("SIEVE_DEBUG") != null) t.printStackTrace(line.getErr());
      return ExitCodes.FAILURE;
    });
    return cl;
  }

  /** One line of at most 300 characters: Spark's messages can run to pages. */
  static String brief(Throwable t) {
    String s = t.toString();
    int nl = s.indexOf('\n');
    if (nl >= 0) s = s.substring(0, nl);
    return s.length() > 300 ? s.substring(0, 297) + "..." : s;
  }

  private static void markCdsArchiveWorthKeeping() {
    String dump = System.getProperty(CDS_DUMP_PROPERTY);
    if (dump == null || dump.isEmpty()) return;
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of(dump + ".spark"), "");
    } catch (java.io.IOException | RuntimeException e) {
      // The archive is an optimisation: without the mark bin/sieve discards it and a later run records one.
    }
  }

  private static boolean isSparkSubmit() {
    return System.getProperty("spark.master") != null && System.getProperty("spark.app.name") != null;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Sieve.class.getPackage().getImplementationVersion();
      return new String[] {"sieve " + (v == null ? "dev" : v)};
    }
  }
}
