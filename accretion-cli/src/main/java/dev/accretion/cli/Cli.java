package dev.accretion.cli;

import dev.accretion.core.AccretionException;
import dev.accretion.core.BuilderVersion;
import dev.accretion.core.FailureKind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Builds the picocli command tree and maps outcomes to exit codes (0 ok, 1 failure, 2 usage). */
final class Cli {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;

  private Cli() {}

  @Command(
      name = "accretion",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      usageHelpAutoWidth = true,
      description = {
        "Builds reproducible AWS Lambda dependency layers from the listings native tools",
        "understand, for the Lambda runtime and architecture they will run on, and publishes",
        "them only when their bytes changed.",
      },
      footerHeading = "%nExit codes:%n",
      footer = {
        "  0  success",
        "  1  failure (the message says what failed and what to do)",
        "  2  usage error (bad option or argument)"
      })
  static final class Root implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command.");
    }
  }

  /**
   * Every command, in the order help lists them. Only the command being run is set up (picocli
   * builds a command's model by reflection, which costs more start-up time than the work of a small
   * command); help and unknown input get all of them.
   */
  static final Map<String, Class<?>> COMMANDS = commands();

  private static Map<String, Class<?>> commands() {
    Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
    m.put("lock", LockCommand.class);
    m.put("build", BuildCommand.class);
    m.put("cache", CacheCommand.class);
    m.put("runtimes", RuntimesCommand.class);
    m.put("publish", PublishCommand.class);
    m.put("ls", LsCommand.class);
    m.put("describe", DescribeCommand.class);
    m.put("diff", DiffCommand.class);
    m.put("arn", ArnCommand.class);
    m.put("prune", PruneCommand.class);
    m.put("inspect", InspectCommand.class);
    m.put("template", TemplateCommand.class);
    m.put("functions", FunctionsCommand.class);
    m.put("efs", EfsCommand.class);
    m.put("serve", ServeCommand.class);
    m.put("daemon", DaemonCommand.class);
    m.put("internal-train", TrainCommand.class);
    m.put("internal-daemon", DaemonServeCommand.class);
    m.put("help", CommandLine.HelpCommand.class);
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Options every command has. */
  static final class GlobalOptions {
    @Option(
        names = "--stacktrace",
        scope = ScopeType.INHERIT,
        description = "On failure, print the full stack trace, not only the message.")
    boolean stacktrace;
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "accretion " + BuilderVersion.get(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }

  static int execute(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      Map<String, String> env,
      Path cwd,
      Context.ProgressStyle style) {
    Context context = new Context(out, err, env, cwd.toAbsolutePath().normalize(), style);
    CommandLine commandLine = new CommandLine(new Root(), new CommandFactory(context));
    GlobalOptions global = new GlobalOptions();
    commandLine.addMixin("global", global);
    String first = null;
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        first = arg;
        break;
      }
    }
    boolean versionOnly =
        first == null
            && args.length > 0
            && java.util.Arrays.stream(args).allMatch(a -> a.equals("--version") || a.equals("-V"));
    if (first != null && COMMANDS.containsKey(first) && !first.equals("help")) {
      commandLine.addSubcommand(first, COMMANDS.get(first));
    } else if (!versionOnly) {
      COMMANDS.forEach(commandLine::addSubcommand);
    }
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExitCodeExceptionMapper(t -> FAILURE);
    commandLine.setParameterExceptionHandler(
        (ex, ignoredArgs) -> {
          CommandLine failed = ex.getCommandLine();
          err.println("accretion: " + ex.getMessage());
          err.println(
              "Try 'accretion "
                  + (failed.getParent() == null ? "" : failed.getCommandName() + " ")
                  + "--help' for usage.");
          return USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (ex, failed, parseResult) -> {
          boolean stacktrace =
              parseResult.expandedArgs().stream().anyMatch(a -> a.equals("--stacktrace"));
          if (ex instanceof AccretionException failure) {
            // the kind decides the exit code; a usage error reads like picocli's own
            err.println(
                (failure.kind() == FailureKind.USAGE ? "accretion: " : "accretion: error: ")
                    + failure.getMessage());
            if (!stacktrace) {
              err.flush();
              return failure.kind().exitCode();
            }
          } else {
            err.println(
                "accretion: internal error: "
                    + ex
                    + (stacktrace ? "" : " (rerun with --stacktrace for details)"));
          }
          if (stacktrace) {
            ex.printStackTrace(err);
          }
          err.flush();
          return ex instanceof AccretionException failure ? failure.kind().exitCode() : FAILURE;
        });
    int code = commandLine.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
