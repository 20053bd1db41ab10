package dev.accretion.cli;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code accretion internal-daemon}: the build daemon's process, which the launcher starts in the
 * background the first time a build finds none (see {@link BuildDaemon}). Hidden: users never start
 * it themselves.
 */
@Command(name = "internal-daemon", hidden = true, description = "Launcher use only.")
final class DaemonServeCommand implements Callable<Integer> {
  /** Seconds a daemon waits for another build before it exits. */
  static final String IDLE_VARIABLE = "ACCRETION_DAEMON_IDLE";

  private final Context context;

  @Option(names = "--key", required = true, description = "The launcher's key for this daemon.")
  String key;

  @Option(names = "--state-dir", required = true, description = "Where the state file goes.")
  Path stateDir;

  DaemonServeCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException, IOException {
    if (!key.matches("[0-9a-f]{16,64}")) {
      throw new AccretionException(FailureKind.USAGE, "--key must be 16 to 64 hex digits");
    }
    Duration idle = BuildDaemon.DEFAULT_IDLE;
    String given = context.env().get(IDLE_VARIABLE);
    if (given != null && !given.isBlank()) {
      try {
        idle = Duration.ofSeconds(Long.parseLong(given.strip()));
      } catch (NumberFormatException e) {
        throw new AccretionException(
            FailureKind.USAGE, IDLE_VARIABLE + " must be a number of seconds, not '" + given + "'");
      }
      if (idle.isNegative() || idle.isZero()) {
        throw new AccretionException(
            FailureKind.USAGE, IDLE_VARIABLE + " must be at least 1 second, not '" + given + "'");
      }
    }
    PrintWriter log = context.err();
    return new BuildDaemon(
            key, context.resolve(stateDir), idle, context.env(), context.workingDirectory(), log)
        .serve();
  }
}
