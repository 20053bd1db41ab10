package dev.accretion.cli;

import dev.accretion.app.templates.UpdateTemplates;
import dev.accretion.core.AccretionException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code accretion template update}: flags to an {@link UpdateTemplates.Request}, printed. */
@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Rewrite, in CloudFormation and SAM templates (YAML or JSON), every layer version ARN of a"
          + " layer Accretion manages to that layer's latest matching version (the newest one"
          + " serving the runtimes and architectures the named version serves), and every"
          + " {{accretion:NAME}} placeholder to the ARN 'accretion arn NAME' prints"
          + " ({{accretion:NAME:RUNTIME:ARCH}} chooses a target). Only those characters change:"
          + " comments, key order, quoting, indentation and tags stay byte for byte.",
      "An ARN's region is its own; with ${AWS::Region} (in !Sub) and for placeholders it is"
          + " --region, else $AWS_REGION. ARNs of other accounts, of layers Accretion does not"
          + " manage, or with other !Sub variables are left alone and reported.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion template update template.yaml --region eu-west-1",
      "  accretion template update --check infra/*.yaml infra/*.json   # in CI",
      "  accretion template update template.yaml --json",
      "",
      "Exit codes: 0 up to date (or updated), 1 out of date with --check, a placeholder without"
          + " a layer, or a failure; 2 usage error.",
    })
final class TemplateUpdateCommand implements Callable<Integer> {
  private final Context context;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "The templates.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description =
          "The stacks' region, for ${AWS::Region} and placeholders (default:" + " $AWS_REGION).")
  List<String> regions = new ArrayList<>();

  @Option(names = "--check", description = "Change nothing; exit 1 if something is out of date.")
  boolean check;

  @Option(names = "--json", description = "Print JSON on stdout.")
  boolean json;

  @Mixin AwsOptions aws;

  TemplateUpdateCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    UpdateTemplates.Result r =
        new UpdateTemplates(context.environment())
            .update(new UpdateTemplates.Request(files, regions, check, aws.access()));
    PrintWriter out = context.out();
    if (json) {
      out.println(r.toJson());
    } else {
      int left = 0;
      for (UpdateTemplates.FileResult f : r.files()) {
        for (UpdateTemplates.Reference ref : f.references()) {
          String where = f.file() + ":" + ref.line() + ":" + ref.column();
          switch (ref.status()) {
            case "updated" ->
                out.println(
                    where
                        + (check ? "  out of date  " : "  updated  ")
                        + ref.from()
                        + " -> "
                        + ref.to());
            case "current" -> {}
            case "failed" -> {}
            default -> {
              left++;
              out.println(
                  where + "  left alone (" + ref.status() + ")  " + ref.from() + ": " + ref.note());
            }
          }
        }
      }
      long current =
          r.files().stream()
              .flatMap(f -> f.references().stream())
              .filter(x -> x.status().equals("current"))
              .count();
      out.println(
          r.files().size()
              + (r.files().size() == 1 ? " template: " : " templates: ")
              + r.outOfDate()
              + (check ? " out of date, " : " updated, ")
              + current
              + " current, "
              + left
              + " left alone"
              + (r.failed() > 0 ? ", " + r.failed() + " failed" : ""));
    }
    for (UpdateTemplates.FileResult f : r.files()) {
      for (UpdateTemplates.Reference ref : f.references()) {
        if (ref.status().equals("failed")) {
          context
              .err()
              .println(
                  "accretion: error: "
                      + f.file()
                      + ":"
                      + ref.line()
                      + ":"
                      + ref.column()
                      + ": "
                      + ref.from()
                      + ": "
                      + ref.note());
        }
      }
    }
    if (r.failed() > 0 || check && r.outOfDate() > 0) {
      return Cli.FAILURE;
    }
    return Cli.OK;
  }
}
