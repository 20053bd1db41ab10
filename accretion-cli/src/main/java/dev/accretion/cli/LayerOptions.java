package dev.accretion.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What goes into a layer and how it is laid out ({@code build}). */
final class LayerOptions {
  @Option(
      names = "--layout",
      paramLabel = "LAYOUT",
      defaultValue = "python",
      description =
          "python (default): packages in python/, usable by every Python runtime;"
              + " site-packages: python/lib/python3.X/site-packages.")
  String layout;

  @Option(
      names = "--no-scripts",
      description = "Leave out the wheels' scripts (.data/scripts), otherwise installed in bin/.")
  boolean noScripts;

  @Option(
      names = "--exclude",
      paramLabel = "NAME",
      description =
          "Leave a resolved package out of the layer (repeatable), e.g. boto3 and botocore, which"
              + " every Lambda Python runtime provides (its version is then used).")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--slim", description = "Drop __pycache__ folders and *.pyc/*.pyo files.")
  boolean slim;

  @Option(
      names = "--slim-pattern",
      paramLabel = "GLOB",
      description =
          "Also drop files or folders matching GLOB, relative to the package folder (repeatable;"
              + " '*/tests' drops top-level packages' tests folders, '**/tests' any). .dist-info"
              + " is always kept.")
  List<String> slimPatterns = new ArrayList<>();

  @Option(
      names = "--reserve",
      paramLabel = "MiB",
      defaultValue = "0",
      description =
          "Unzipped space to keep free for function code and other layers, in MiB (the budget is"
              + " 250 MiB = 262,144,000 bytes minus this; default: ${DEFAULT-VALUE}).")
  long reserveMiB;

  @Option(
      names = "--allow-bad-record",
      description =
          "Install wheels whose RECORD does not match their content, with a warning kept in the"
              + " manifest (default: refuse them).")
  boolean allowBadRecord;
}
