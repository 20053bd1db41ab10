package dev.accretion.cli;

import dev.accretion.app.templates.GenerateTemplate;
import dev.accretion.core.AccretionException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code accretion template LAYER}: flags to a {@link GenerateTemplate.Request}, the template on
 * stdout (or in {@code --output}); {@code template update} is its subcommand.
 */
@Command(
    name = "template",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    subcommands = {TemplateUpdateCommand.class},
    description = {
      "Print a CloudFormation or SAM template (YAML) that deploys the current artifact of a"
          + " published layer: an AWS::Lambda::LayerVersion (or AWS::Serverless::LayerVersion)"
          + " whose content is the archive already in the staging bucket, with the same runtimes,"
          + " architectures, license and sharing (AWS::Lambda::LayerVersionPermission), kept when"
          + " the stack replaces or deletes it, and the version ARN exported as"
          + " <stack>-LayerVersionArn.",
      "With --ssm-parameter it prints a function template instead that takes the layer's latest"
          + " ARN from the SSM parameter publish --ssm-parameter writes ({{resolve:ssm:NAME}}).",
      "'accretion template update FILE...' keeps layer ARNs in your own templates current.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  accretion template web-deps --arch arm64 --region eu-west-1 -o layer.yaml",
      "  aws cloudformation deploy --template-file layer.yaml --stack-name deps-arm64",
      "  accretion template web-deps --format sam --runtime python3.12 --arch x86_64",
      "  accretion template web-deps --format sam --runtime python3.12 --arch x86_64 \\",
      "      --ssm-parameter '/layers/web-deps/{runtime}/{arch}/arn'",
      "  accretion template update template.yaml --region eu-west-1",
      "",
      "Exit codes: 0 printed, 1 failure (layer not published, AWS), 2 usage error.",
    })
final class TemplateCommand implements Callable<Integer> {
  private final Context context;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "LAYER",
      description = "The published layer (a project layer's name, or a Lambda layer's).")
  String layer;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "cloudformation (default) or sam.")
  String format = "cloudformation";

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description =
          "The region whose newest version is deployed (default: the project's, else"
              + " $AWS_REGION).")
  List<String> regions = new ArrayList<>();

  @Option(
      names = "--runtime",
      paramLabel = "RUNTIME",
      description =
          "Choose the Lambda layer serving this runtime (and the function's runtime"
              + " with --ssm-parameter).")
  String runtime;

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      description = "Choose the Lambda layer for x86_64 or arm64.")
  String arch;

  @Option(
      names = "--ssm-parameter",
      paramLabel = "NAME",
      arity = "0..1",
      fallbackValue = "",
      description =
          "A function template using the layer through this SSM parameter ({runtime}"
              + " and {arch} expanded); without NAME, the project layer's ssm-parameter.")
  String ssmParameter;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the template to FILE instead of stdout.")
  Path output;

  @Option(names = "--json", description = "Print JSON (the template as a string) on stdout.")
  boolean json;

  @Mixin AwsOptions aws;

  TemplateCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws AccretionException {
    if (layer == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing LAYER (or the command: update).");
    }
    GenerateTemplate.Result r =
        new GenerateTemplate(context.environment())
            .generate(
                new GenerateTemplate.Request(
                    layer, format, runtime, arch, regions, ssmParameter, output, aws.access()));
    if (json) {
      context.out().println(r.toJson());
    } else if (output == null) {
      context.out().print(r.template());
    } else {
      context
          .err()
          .println(
              "Wrote "
                  + output
                  + " ("
                  + r.format()
                  + ", "
                  + (r.ssmParameter() == null
                      ? r.layerVersionArn()
                      : "SSM parameter " + r.ssmParameter())
                  + ")");
    }
    return Cli.OK;
  }
}
