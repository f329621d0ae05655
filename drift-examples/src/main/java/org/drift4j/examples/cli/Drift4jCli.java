package org.drift4j.examples.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line tool. Exit status: 0 when no checked batch drifted (or the command succeeded),
 * 1 when at least one did, 2 on usage or input errors (message on stderr).
 */
@Command(name = "drift4j", mixinStandardHelpOptions = true, version = "drift4j 0.1.0-SNAPSHOT",
    description = "Train, baseline and check image sets for data drift; reproduce the MNIST / notMNIST experiment.",
    subcommands = {TrainCommand.class, CheckCommand.class, ExperimentCommand.class, PowerCommand.class,
        BenchCommand.class, JmhCommand.class})
public final class Drift4jCli implements Runnable {

  /** Exit status when a batch drifted. */
  public static final int EXIT_DRIFT = 1;
  /** Exit status on usage or input errors. */
  public static final int EXIT_ERROR = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(execute(args));
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
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      String message = e instanceof NoSuchFileException n ? "no such file: " + n.getFile() : e.getMessage();
      commandLine.getErr().println("drift4j " + commandLine.getCommandName() + ": " + message);
      if (System.getenv("DRIFT4J_DEBUG") != null) {
        e.printStackTrace(commandLine.getErr());
      }
      return EXIT_ERROR;
    });
    return cl;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: train, check, experiment, power, bench or jmh");
  }
}
