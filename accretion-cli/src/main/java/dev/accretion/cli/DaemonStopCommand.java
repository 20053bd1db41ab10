package dev.accretion.cli;

import dev.accretion.core.AccretionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code accretion daemon stop}: ends every build daemon of this user. */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    description =
        "Stop every build daemon (a build running in one is cancelled). The next build starts"
            + " a new one.")
final class DaemonStopCommand implements Callable<Integer> {
  private final Context context;

  DaemonStopCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws IOException, AccretionException {
    Path dir = context.resolve(BuildDaemon.stateDirectory(context.env()));
    int stopped = 0;
    int failed = 0;
    for (BuildDaemon.Described d : BuildDaemon.describeAll(dir)) {
      if (!d.running()) {
        Files.deleteIfExists(d.stateFile()); // left by a daemon that was killed
        continue;
      }
      ProcessHandle process = ProcessHandle.of(d.pid()).orElseThrow();
      process.destroy();
      if (BuildDaemon.awaitExit(process, Duration.ofSeconds(10))) {
        Files.deleteIfExists(d.stateFile());
        context.out().println("Stopped the build daemon " + d.pid() + " (" + d.directory() + ")");
        stopped++;
      } else {
        context
            .err()
            .println(
                "accretion: the build daemon "
                    + d.pid()
                    + " did not stop within 10 s; kill it with"
                    + " 'kill -9 "
                    + d.pid()
                    + "'");
        failed++;
      }
    }
    if (stopped == 0 && failed == 0) {
      context.out().println("No build daemon was running.");
    }
    return failed == 0 ? Cli.OK : Cli.FAILURE;
  }
}
