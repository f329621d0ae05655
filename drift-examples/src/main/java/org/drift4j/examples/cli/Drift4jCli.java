package org.drift4j.examples.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line tool. Exit status: 0 when no checked batch drifted (or the command succeeded),
 * 1 when at least one did, 2 on any failure: usage and input errors, and anything thrown inside a
 * command, Errors such as OutOfMemoryError included. A failure inside a command prints one line on
 * stderr, {@code drift4j COMMAND: MESSAGE}; the stack trace only when {@code DRIFT4J_DEBUG} is
 * set.
 */
@Command(name = "drift4j", mixinStandardHelpOptions = true, version = "drift4j 0.1.0-SNAPSHOT",
    description = "Train, baseline and check image sets for data drift; reproduce the MNIST / notMNIST experiment.",
    subcommands = {TrainCommand.class, CheckCommand.class, MonitorCommand.class, ExplainCommand.class, ServeCommand.class,
        ExperimentCommand.class, PowerCommand.class, ExplainQualityCommand.class, BenchCommand.class,
        ServeBenchCommand.class, JmhCommand.class})
public final class Drift4jCli implements Runnable {

  /** Exit status when a batch drifted. */
  public static final int EXIT_DRIFT = 1;
  /** Exit status on usage or input errors. */
  public static final int EXIT_ERROR = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    int status;
    try {
      status = execute(args);
    } catch (Throwable t) {
      // only if picocli itself fails: commands' failures are handled in commandLine
      System.err.println("drift4j: " + describe(t));
      status = EXIT_ERROR;
    }
    System.exit(status);
  }

  /** Runs the tool and returns its exit status (for tests). */
  public static int execute(String... args) {
    return commandLine(new PrintWriter(System.out, true, Charset.defaultCharset()), new PrintWriter(System.err, true, Charset.defaultCharset())).execute(args);
  }

  /** A configured command line writing to {@code out} and {@code err}. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Drift4jCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> fail(e, commandLine));
    // picocli hands only Exceptions to the handler and lets Errors escape execute(): catch them here
    CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
    cl.setExecutionStrategy(parseResult -> {
      try {
        return runLast.execute(parseResult);
      } catch (Error e) {
        CommandLine last = parseResult.asCommandLineList().get(parseResult.asCommandLineList().size() - 1);
        return fail(e, last);
      }
    });
    return cl;
  }

  private static int fail(Throwable t, CommandLine commandLine) {
    commandLine.getErr().println("drift4j " + commandLine.getCommandName() + ": " + describe(t));
    if (System.getenv("DRIFT4J_DEBUG") != null) {
      t.printStackTrace(commandLine.getErr());
    }
    return EXIT_ERROR;
  }

  /** One line saying what went wrong. */
  static String describe(Throwable t) {
    if (t instanceof NoSuchFileException n) {
      return "no such file: " + n.getFile();
    }
    String message = t.getMessage() == null || t.getMessage().isBlank() ? null
        : t.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
    if (t instanceof OutOfMemoryError) {
      return "out of memory" + (message == null ? "" : " (" + message + ")")
          + "; give the JVM more heap (-Xmx) or the command less data";
    }
    if (t instanceof Error) {
      return "internal error: " + t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
    return message == null ? t.getClass().getSimpleName() : message;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: train, check, monitor,"
        + " explain, serve, experiment, power, explain-quality, bench, serve-bench or jmh");
  }
}
