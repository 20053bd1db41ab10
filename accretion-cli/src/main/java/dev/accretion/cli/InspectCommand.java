package dev.accretion.cli;

import dev.accretion.app.inspect.InspectContent;
import dev.accretion.core.AccretionException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code accretion inspect}: flags to a request, the report to stdout, fitness to the exit code.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Show what any layer or function holds (packages, sizes, folders, native code) and whether"
          + " it runs on a Lambda runtime and architecture. Works for layers Accretion did not"
          + " build: Python .dist-info, Node.js node_modules, Java jars are recognized from the"
          + " content; Accretion's own manifest is used when present.",
      "SUBJECT is a zip file, an http(s) URL of one, a layer version ARN (any account's, if"
          + " shared with you or public) or a function name or ARN. Remote zips are read with"
          + " HTTP range requests: the central directory, then only the entries needed.",
      "Target: --runtime/--arch, else the function's own, else the runtimes the layer declares.",
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  fit for every target checked (or nothing to check)",
      "  1  something makes it unfit (a CI gate), or it could not be read",
      "  2  usage error",
      "",
      "Examples:",
      "  accretion inspect dist/deps.zip --runtime python3.11 --arch arm64",
      "  accretion inspect arn:aws:lambda:us-east-1:123456789012:layer:deps:4 --json",
      "  accretion inspect my-function --region eu-west-1 --sbom my-function.cdx.json",
    })
final class InspectCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(
      index = "0",
      paramLabel = "SUBJECT",
      description = "Zip file, http(s) URL, layer version ARN, or function name or ARN.")
  String subject;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "Region of a function given by name (ARNs carry theirs; default: $AWS_REGION).")
  String region;

  @Option(
      names = "--runtime",
      paramLabel = "RUNTIME",
      description = "Check against this Lambda runtime (e.g. python3.12, nodejs20.x, java21).")
  String runtime;

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      description =
          "Check against this architecture: x86_64 or arm64 (default: the function's,"
              + " else x86_64).")
  String arch;

  @Option(names = "--json", description = "Print the report as JSON on stdout and nothing else.")
  boolean json;

  @Option(
      names = "--sbom",
      paramLabel = "FILE",
      description = "Also write a CycloneDX 1.5 SBOM (with Package URLs) of what was found.")
  Path sbom;

  @Mixin AwsOptions aws;

  InspectCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    InspectContent.Result result =
        new InspectContent(context.environment())
            .inspect(
                new InspectContent.Request(
                    subject,
                    region,
                    runtime,
                    arch,
                    sbom,
                    context.workingDirectory(),
                    aws.access()));
    context.out().print(json ? result.toJson() + "\n" : result.toText());
    if (result.sbomFile() != null) {
      context.err().println("SBOM written to " + result.sbomFile());
    }
    return result.fit() ? Cli.OK : Cli.FAILURE;
  }
}
