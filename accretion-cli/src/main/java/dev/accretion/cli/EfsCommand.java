package dev.accretion.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code accretion efs}: the parent of install, bootstrap, ls, gc, request and worker, each its own
 * class.
 */
@Command(
    name = "efs",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Side-load Python dependency sets too big for a layer (250 MB unzipped with the function)"
          + " from a file system mounted into the function (EFS): one folder per package version,"
          + " installed once and shared by every set that uses it, a view per set that makes it"
          + " importable from one sys.path entry, and a small bootstrap module for the function.",
      "",
      "Store layout: ROOT/<runtime>/<arch>/<name>/<version>/ (written under a temporary name and"
          + " renamed, never rewritten), ROOT/views/<digest>/ and ROOT/views/<digest>.json.",
    },
    subcommands = {
      EfsInstallCommand.class,
      EfsBootstrapCommand.class,
      EfsLsCommand.class,
      EfsGcCommand.class,
      EfsRequestCommand.class,
      EfsWorkerCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion efs install pylock.toml --root /mnt/efs --runtime python3.11",
      "  accretion efs bootstrap pylock.toml --runtime python3.11 --mount /mnt/deps \\",
      "      --output src/accretion_efs.py",
      "  accretion efs ls --root /mnt/efs",
      "  accretion efs gc --root /mnt/efs --keep pylock.toml --runtime python3.11 \\",
      "      --dry-run",
      "  accretion efs worker --root /mnt/efs --queue \"$QUEUE\"",
      "  accretion efs request pylock.toml --queue \"$QUEUE\" \\",
      "      --reply-queue \"$REPLIES\" --wait",
    })
final class EfsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "Missing an efs command: install, bootstrap, ls, gc, request or worker.");
  }

  /** One Python target. */
  static final class Target {
    @CommandLine.Option(
        names = {"-r", "--runtime"},
        paramLabel = "RUNTIME",
        defaultValue = "python3.12",
        description = "The function's Python runtime (default: ${DEFAULT-VALUE}).")
    String runtime;

    @CommandLine.Option(
        names = {"-a", "--arch"},
        paramLabel = "ARCH",
        defaultValue = "x86_64",
        description = "x86_64 or arm64 (default: ${DEFAULT-VALUE}).")
    String arch;
  }
}
