package dev.accretion.cli;

import dev.accretion.app.Usage;
import dev.accretion.app.publish.PublishListing;
import dev.accretion.app.publish.PublishListingRequest;
import dev.accretion.app.publish.PublishProject;
import dev.accretion.app.publish.PublishProjectRequest;
import dev.accretion.app.publish.PublishReport;
import dev.accretion.app.publish.PublishZip;
import dev.accretion.app.publish.PublishZipRequest;
import dev.accretion.core.AccretionException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code accretion publish}: which of the three publish use cases the arguments ask for (a zip with
 * {@code --layer}, a listing with {@code --layer}, or the project's layers), the flags as its
 * request, the report printed.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Publish built layers to AWS Lambda: per region, in parallel, stage the zip in the regional"
          + " bucket under its sha256, publish a new layer version only if the latest one does not"
          + " already hold these bytes, apply sharing, and notify (SNS, webhooks).",
      "",
      "Three forms:",
      "  publish <zip> --layer NAME      a built zip, its manifest the .json beside it",
      "  publish <listing> --layer NAME  build it for --runtime/--arch, then publish",
      "  publish [LAYER...]              layers of accretion.toml (all, or those named)",
      "",
      "With a project file, a zip published under one of its layer names takes that layer's"
          + " settings (regions, sharing, notifications, ...); flags override them. Regions"
          + " default to the project's, else $AWS_REGION (or the profile's region).",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion publish dist/deps-python3.12-x86_64.zip --layer deps \\",
      "      --regions us-east-1,eu-west-1",
      "  accretion publish dist/deps.zip --layer deps \\",
      "      --runtime python3.12,python3.13 --share public",
      "  accretion publish dist/deps.zip --layer deps \\",
      "      --share 111122223333 --share org:o-a1b2c3d4e5",
      "  accretion publish --json                 # every layer of accretion.toml",
      "  accretion publish web-deps --regions eu-west-1",
      "",
      "Layers with several targets: one zip serving several runtimes is one version listing all"
          + " of them; a layer for both architectures becomes <layer>-x86_64 and <layer>-arm64;"
          + " zips that differ by runtime become <layer>-python311, <layer>-python312, ...",
      "Exit codes: 0 every region published or unchanged, 1 a region failed (the others are kept;"
          + " rerun to finish) or the input was refused before any AWS call, 2 usage error.",
    })
final class PublishCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(
      paramLabel = "ZIP|LAYER",
      arity = "0..*",
      description = "A built zip or a listing (with --layer), or layer names of the project file.")
  List<String> arguments = new ArrayList<>();

  @Mixin PublishOptions options;

  @Mixin AwsOptions aws;

  @Mixin BuilderFlags builder;

  @Mixin CacheOptions cache;

  PublishCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    Progress progress = new Progress(context);
    boolean anyZip = arguments.stream().anyMatch(a -> a.endsWith(".zip"));
    PublishReport report;
    if (options.layer != null && arguments.size() == 1 && !anyZip) {
      report =
          new PublishListing(context.environment())
              .publish(
                  new PublishListingRequest(
                      Path.of(arguments.get(0)),
                      options.layer,
                      options.settings(),
                      aws.access(),
                      cache.cacheDir,
                      builder.settings(context)),
                  progress);
    } else if (builder.given(context)) {
      throw Usage.error(
          "the builder flags (--builder, --builder-path, Java's and Node.js's options) are for"
              + " publishing a listing with --layer; a zip is built already, and the layers of"
              + " accretion.toml set them in the file");
    } else if (options.layer != null || anyZip) {
      if (options.layer == null) {
        throw Usage.error("publishing a zip needs --layer NAME (the Lambda layer name)");
      }
      if (arguments.size() != 1) {
        throw Usage.error(
            "give exactly one zip to publish as layer "
                + options.layer
                + ", not "
                + arguments.size());
      }
      report =
          new PublishZip(context.environment())
              .publish(
                  new PublishZipRequest(
                      Path.of(arguments.get(0)), options.layer, options.settings(), aws.access()),
                  progress);
    } else {
      report =
          new PublishProject(context.environment())
              .publish(
                  new PublishProjectRequest(
                      arguments, options.settings(), aws.access(), cache.cacheDir),
                  progress);
    }
    new PublishOutput(context).print(report, options.json);
    return report.failure().map(f -> f.kind().exitCode()).orElse(Cli.OK);
  }
}
