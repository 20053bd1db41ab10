package dev.accretion.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code accretion functions}: the parent of sync. */
@Command(
    name = "functions",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Deploy the function folders of a git repository as Lambda functions, each updated only"
          + " when its folder changed.",
    },
    subcommands = {FunctionsSyncCommand.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion functions sync --plan",
      "  accretion functions sync ~/src/shop --prefix shop --regions us-east-1",
    })
final class FunctionsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing a functions command: sync.");
  }
}
