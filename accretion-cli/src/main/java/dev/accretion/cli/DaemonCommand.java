package dev.accretion.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code accretion daemon}: the parent of status and stop, each its own class. */
@Command(
    name = "daemon",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Look after the build daemons. The ./accretion launcher hands each 'accretion build' and"
          + " 'accretion lock' to a resident build process, started by the first of them, so"
          + " later ones run in a JVM"
          + " whose code is already loaded and compiled. There is one daemon per working"
          + " directory, environment, umask and CLI jar; builds in it run one at a time. A"
          + " daemon exits after 30 idle minutes (ACCRETION_DAEMON_IDLE, in seconds) or when the"
          + " CLI is rebuilt; ACCRETION_DAEMON=off builds in a fresh process instead. State"
          + " files and logs are in ACCRETION_DAEMON_DIR (default"
          + " $XDG_STATE_HOME/accretion/daemon or ~/.local/state/accretion/daemon).",
    },
    subcommands = {DaemonStatusCommand.class, DaemonStopCommand.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion daemon status",
      "  accretion daemon status --json",
      "  accretion daemon stop",
    })
final class DaemonCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing a daemon command: status or stop.");
  }
}
