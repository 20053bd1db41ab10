package dev.accretion.app.inspect;

import dev.accretion.app.Environment;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.LambdaContents;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.Runtime;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.inspect.CycloneDxSbom;
import dev.accretion.inspect.FileZipSource;
import dev.accretion.inspect.FunctionInspector;
import dev.accretion.inspect.FunctionReport;
import dev.accretion.inspect.FunctionRequest;
import dev.accretion.inspect.HttpZipSource;
import dev.accretion.inspect.LayerReport;
import dev.accretion.inspect.LayerRequest;
import dev.accretion.inspect.ZipInspector;
import dev.accretion.inspect.ZipSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Use case {@code inspect}: what any layer or function holds and whether it runs on a target. The
 * subject is a zip file, an http(s) URL of one, a layer version ARN (any account's, if shared or
 * public) or a function's name or ARN; remote zips are read with HTTP range requests. Targets:
 * {@code --runtime}/{@code --arch}, else the function's own, else what the layer version declares
 * (compatible runtimes, or Accretion's manifest). Thread-safe.
 */
public final class InspectContent {
  private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,140}");

  /**
   * @param subject a zip path, an http(s) URL, a layer version ARN, or a function name or ARN
   * @param region the region for a function name (ARNs carry their own), or null for the default
   * @param runtime the target runtime, or null
   * @param architecture the target architecture, or null
   * @param sbom where to write the CycloneDX SBOM, or null
   * @param workingDirectory what relative paths are relative to
   * @param aws how to reach AWS, used when (and only when) the subject needs AWS
   */
  public record Request(
      String subject,
      String region,
      String runtime,
      String architecture,
      Path sbom,
      Path workingDirectory,
      AwsAccess aws) {
    public Request {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(workingDirectory, "workingDirectory");
      Objects.requireNonNull(aws, "aws");
    }
  }

  /** What was inspected: a layer (or zip) or a function. */
  public sealed interface Result permits LayerResult, FunctionResult {
    /** Whether nothing makes it unfit for a target checked (exit code 0). */
    boolean fit();

    /** The documented {@code inspect --json} document. */
    String toJson();

    /** The human-readable report. */
    String toText();

    /** Where the SBOM was written, or null. */
    Path sbomFile();
  }

  /**
   * A zip or layer version.
   *
   * @param layer the layer version's metadata from Lambda, or null for a zip
   */
  public record LayerResult(
      LayerReport report, LambdaContents.LayerVersionContent layer, Path sbomFile)
      implements Result {
    @Override
    public boolean fit() {
      return report.fit();
    }

    @Override
    public String toJson() {
      return InspectJson.write(InspectJson.layer(report, layer));
    }

    @Override
    public String toText() {
      return InspectText.layer(report, layer);
    }
  }

  /** A function. */
  public record FunctionResult(
      FunctionReport report,
      LambdaContents.FunctionContent function,
      List<LambdaContents.LayerVersionContent> layers,
      Path sbomFile)
      implements Result {
    public FunctionResult {
      layers = List.copyOf(layers);
    }

    @Override
    public boolean fit() {
      return report.fit();
    }

    @Override
    public String toJson() {
      return InspectJson.write(InspectJson.function(report, function, layers));
    }

    @Override
    public String toText() {
      return InspectText.function(report, function);
    }
  }

  private final Environment environment;
  private final RuntimeMatrix matrix;
  private final ZipInspector zips;
  private final HttpClient http;

  public InspectContent(Environment environment) {
    this(environment, RuntimeMatrix.load(), ZipInspector.standard(), HttpZipSource.defaultClient());
  }

  InspectContent(
      Environment environment, RuntimeMatrix matrix, ZipInspector zips, HttpClient http) {
    this.environment = Objects.requireNonNull(environment, "environment");
    this.matrix = matrix;
    this.zips = zips;
    this.http = http;
  }

  /**
   * Inspects the subject.
   *
   * @throws AccretionException {@link FailureKind#USAGE} for a subject or target that makes no
   *     sense, {@link FailureKind#NOT_FOUND} for a missing file, layer version or function, {@link
   *     FailureKind#BAD_INPUT} for a file that is not a zip, {@link FailureKind#UNREACHABLE} or
   *     {@link FailureKind#AWS} when AWS or the content cannot be read
   */
  public Result inspect(Request request) throws AccretionException {
    String subject = request.subject().strip();
    if (request.architecture() != null
        && request.runtime() == null
        && !isFunction(subject, request.workingDirectory())) {
      throw usage("--arch needs --runtime for a zip or a layer version (a function has its own)");
    }
    if (request.runtime() != null) {
      // a bad runtime or architecture is a usage error before anything is read
      target(request.runtime(), request.architecture() != null ? request.architecture() : "x86_64");
    } else if (request.architecture() != null) {
      try {
        Architecture.parse(request.architecture());
      } catch (AccretionException e) {
        throw AccretionException.as(FailureKind.USAGE, e);
      }
    }
    if (subject.startsWith("http://") || subject.startsWith("https://")) {
      URI uri;
      try {
        uri = URI.create(subject);
      } catch (IllegalArgumentException e) {
        throw usage("'" + subject + "' is not a valid URL (" + e.getMessage() + ")");
      }
      try (ZipSource source = HttpZipSource.open(http, uri, null)) {
        return layerResult(request, source, null, targets(request, List.of(), List.of()));
      }
    }
    if (LambdaContents.isLayerVersionArn(subject)) {
      try (LambdaContents aws = new LambdaContents(request.aws().settings(environment))) {
        LambdaContents.LayerVersionContent layer = aws.layerVersion(subject);
        try (ZipSource source = HttpZipSource.open(http, layer.location(), subject)) {
          List<Target> targets =
              targets(request, layer.compatibleRuntimes(), layer.compatibleArchitectures());
          return layerResult(request, source, layer, targets);
        }
      }
    }
    if (subject.startsWith("arn:") && !subject.contains(":function:")) {
      throw usage(
          "'"
              + subject
              + "' is neither a layer version ARN (arn:aws:lambda:REGION:ACCOUNT:layer:"
              + "NAME:VERSION, with the version number) nor a function ARN");
    }
    Path file = request.workingDirectory().resolve(subject).normalize();
    if (!subject.startsWith("arn:")
        && (Files.exists(file) || subject.endsWith(".zip") || subject.contains("/"))) {
      try (ZipSource source = FileZipSource.open(file, subject)) {
        return layerResult(request, source, null, targets(request, List.of(), List.of()));
      }
    }
    if (!subject.startsWith("arn:") && !FUNCTION_NAME.matcher(subject).matches()) {
      throw usage(
          "'"
              + subject
              + "' is no file, URL, layer version ARN or function name (a function"
              + " name is letters, digits, - and _)");
    }
    return function(request, subject);
  }

  private static boolean isFunction(String subject, Path cwd) {
    if (subject.startsWith("arn:")) {
      return subject.contains(":function:");
    }
    return FUNCTION_NAME.matcher(subject).matches() && !Files.exists(cwd.resolve(subject));
  }

  private LayerResult layerResult(
      Request request,
      ZipSource source,
      LambdaContents.LayerVersionContent layer,
      List<Target> targets)
      throws AccretionException {
    // No target given: a zip Accretion built says what it was built for; check those.
    LayerReport report =
        zips.inspect(
            new LayerRequest(
                source,
                false,
                targets,
                layer == null ? List.of() : layer.compatibleRuntimes(),
                request.runtime() == null));
    Path sbom = writeSbom(request, CycloneDxSbom.of(report));
    return new LayerResult(report, layer, sbom);
  }

  private FunctionResult function(Request request, String subject) throws AccretionException {
    try (LambdaContents aws = new LambdaContents(request.aws().settings(environment))) {
      String region =
          request.region() != null
              ? request.region()
              : LambdaContents.regionOf(subject).orElseGet(() -> null);
      if (region == null) {
        region = aws.defaultRegion();
      }
      LambdaContents.FunctionContent f = aws.function(subject, region);
      if (f.location() == null) {
        throw new AccretionException(
            FailureKind.BAD_INPUT,
            "function "
                + f.name()
                + " is a container image (package type "
                + f.packageType()
                + "), not a zip: there is nothing to inspect here",
            "inspect the image with a container tool",
            null);
      }
      Target target = null;
      if (request.runtime() != null) {
        target =
            target(
                request.runtime(),
                request.architecture() != null ? request.architecture() : f.architecture());
      } else if (f.runtime() != null && known(f.runtime())) {
        target =
            target(
                f.runtime(),
                request.architecture() != null ? request.architecture() : f.architecture());
      }
      List<LambdaContents.LayerVersionContent> layers = new ArrayList<>();
      for (String arn : f.layerArns()) {
        layers.add(aws.layerVersion(arn));
      }
      List<ZipSource> sources = new ArrayList<>();
      try (ZipSource code = HttpZipSource.open(http, f.location(), f.name())) {
        try {
          for (LambdaContents.LayerVersionContent l : layers) {
            sources.add(HttpZipSource.open(http, l.location(), l.layerVersionArn()));
          }
          FunctionReport report =
              new FunctionInspector(zips, matrix)
                  .inspect(new FunctionRequest(f.name(), code, sources, target, f.runtime()));
          Path sbom = writeSbom(request, CycloneDxSbom.of(report));
          return new FunctionResult(report, f, layers, sbom);
        } finally {
          sources.forEach(ZipSource::close);
        }
      }
    }
  }

  private boolean known(String runtime) {
    return matrix.all().stream().anyMatch(r -> r.id().equals(runtime));
  }

  /** The targets of a zip or layer version. */
  private List<Target> targets(
      Request request, List<String> compatibleRuntimes, List<String> compatibleArchitectures)
      throws AccretionException {
    if (request.runtime() != null) {
      String arch = request.architecture();
      if (arch == null) {
        arch = compatibleArchitectures.size() == 1 ? compatibleArchitectures.get(0) : "x86_64";
      }
      return List.of(target(request.runtime(), arch));
    }
    return declared(compatibleRuntimes, compatibleArchitectures);
  }

  /** Every declared runtime (known to the matrix) on every declared architecture. */
  private List<Target> declared(List<String> runtimes, List<String> architectures) {
    Set<Target> out = new LinkedHashSet<>();
    List<String> archs = architectures.isEmpty() ? List.of("x86_64") : architectures;
    for (String id : runtimes) {
      if (!known(id)) {
        continue;
      }
      for (String a : archs) {
        try {
          Runtime runtime = matrix.get(id);
          Architecture architecture = Architecture.parse(a);
          if (runtime.supports(architecture)) {
            out.add(new Target(runtime, architecture));
          }
        } catch (AccretionException e) {
          // a declared value Accretion does not know: nothing to check it against
        }
      }
    }
    return List.copyOf(out);
  }

  private Target target(String runtime, String architecture) throws AccretionException {
    try {
      return matrix.target(runtime, architecture);
    } catch (AccretionException e) {
      throw AccretionException.as(FailureKind.USAGE, e);
    }
  }

  private static Path writeSbom(Request request, String sbom) throws AccretionException {
    if (request.sbom() == null) {
      return null;
    }
    Path file = request.workingDirectory().resolve(request.sbom()).normalize();
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path temp = Files.createTempFile(parent, ".sbom-", ".tmp");
      try {
        Files.writeString(temp, sbom, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.BAD_INPUT,
          "cannot write the SBOM to " + file + " (" + e.getMessage() + ")",
          "check that the folder is writable",
          e);
    }
    return file;
  }

  private static AccretionException usage(String message) {
    return new AccretionException(FailureKind.USAGE, message);
  }
}
