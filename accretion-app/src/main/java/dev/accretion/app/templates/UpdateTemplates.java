package dev.accretion.app.templates;

import dev.accretion.app.CommaLists;
import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.Usage;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.LayerCatalog;
import dev.accretion.aws.LayerQuery;
import dev.accretion.aws.LayerVersionInfo;
import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.io.AtomicFiles;
import dev.accretion.templates.LayerVersions;
import dev.accretion.templates.TemplateReference;
import dev.accretion.templates.TemplateRewriter;
import dev.accretion.templates.TemplateUpdater;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Use case {@code template update}: in CloudFormation and SAM templates (YAML or JSON), every layer
 * version ARN of a layer Accretion manages becomes the layer's latest matching version, and every
 * {@code {{accretion:NAME}}} placeholder the ARN {@code accretion arn NAME} prints; every other
 * byte stays (see {@link TemplateUpdater} for the rules). ARNs with {@code ${AWS::Region}} and
 * placeholders are looked up in the request's region, else the environment's default region.
 * Thread-safe.
 */
public final class UpdateTemplates {
  private final Environment environment;

  public UpdateTemplates(Environment environment) {
    this.environment = environment;
  }

  /**
   * @param files the templates, relative to the working directory
   * @param regions at most one region (the stack's); empty for the environment's default
   * @param check change nothing, only report
   */
  public record Request(List<Path> files, List<String> regions, boolean check, AwsAccess aws) {
    public Request {
      files = List.copyOf(files);
      regions = List.copyOf(regions);
      Objects.requireNonNull(aws, "aws");
    }
  }

  /**
   * One reference of a template: {@code to} is the new text (null when it stays), {@code region}
   * where it was looked up (null when it was not), {@code note} why it stays.
   */
  public record Reference(
      int line,
      int column,
      String kind,
      String status,
      String from,
      String to,
      String region,
      String note) {}

  /** One template: whether it is (or, with check, would be) changed and whether it was written. */
  public record FileResult(
      String file, boolean changed, boolean written, List<Reference> references) {
    public FileResult {
      references = List.copyOf(references);
    }
  }

  /** Every template's result, in the order given. */
  public record Result(boolean check, List<FileResult> files) {
    public Result {
      files = List.copyOf(files);
    }

    /** How many references are (or were) out of date. */
    public long outOfDate() {
      return count("updated");
    }

    /** How many placeholders could not be resolved. */
    public long failed() {
      return count("failed");
    }

    private long count(String status) {
      return files.stream()
          .flatMap(f -> f.references().stream())
          .filter(r -> r.status().equals(status))
          .count();
    }

    /** The {@code template update --json} document. */
    public String toJson() {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("check", check);
      root.put("outOfDate", outOfDate());
      root.put("failed", failed());
      List<Map<String, Object>> list = new ArrayList<>();
      for (FileResult f : files) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", f.file());
        o.put("changed", f.changed());
        o.put("written", f.written());
        List<Map<String, Object>> refs = new ArrayList<>();
        for (Reference r : f.references()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("line", r.line());
          m.put("column", r.column());
          m.put("kind", r.kind());
          m.put("status", r.status());
          m.put("from", r.from());
          if (r.to() != null) {
            m.put("to", r.to());
          }
          if (r.region() != null) {
            m.put("region", r.region());
          }
          if (r.note() != null) {
            m.put("note", r.note());
          }
          refs.add(m);
        }
        o.put("references", refs);
        list.add(o);
      }
      root.put("files", list);
      return Json.write(root);
    }
  }

  /**
   * @throws AccretionException a usage failure for no file or several regions; a bad-input failure
   *     for a missing, unreadable or malformed template (nothing is written then); an AWS failure
   *     when AWS cannot be asked
   */
  public Result update(Request request) throws AccretionException {
    if (request.files().isEmpty()) {
      throw Usage.error("give at least one template file");
    }
    List<String> regions = CommaLists.split(request.regions());
    if (regions.size() > 1) {
      throw Usage.error("give one --region (the stacks' region), not " + String.join(",", regions));
    }
    // read and parse every file before any AWS call or write: a bad file stops the run early
    Map<Path, String> texts = new LinkedHashMap<>();
    for (Path given : request.files()) {
      Path file = environment.resolve(given);
      try {
        texts.put(given, TemplateRewriter.decode(Files.readAllBytes(file), given.toString()));
      } catch (NoSuchFileException e) {
        throw new AccretionException(
            FailureKind.BAD_INPUT, given + ": no such file", "check the path", e);
      } catch (IOException e) {
        throw new AccretionException(
            FailureKind.BAD_INPUT, given + ": cannot be read (" + e.getMessage() + ")", e);
      }
    }
    try (LayerCatalog catalog = new LayerCatalog(request.aws().settings(environment), null)) {
      AwsLayers layers = new AwsLayers(catalog);
      TemplateUpdater updater = new TemplateUpdater(layers);
      String[] stackRegion = {regions.isEmpty() ? null : regions.get(0)};
      TemplateUpdater.StackRegion region =
          () -> {
            if (stackRegion[0] == null) {
              stackRegion[0] = catalog.defaultRegion();
            }
            return stackRegion[0];
          };
      List<TemplateUpdater.FileUpdate> updates = new ArrayList<>();
      for (Map.Entry<Path, String> t : texts.entrySet()) {
        updates.add(updater.update(t.getValue(), t.getKey().toString(), region));
      }
      List<FileResult> out = new ArrayList<>();
      int i = 0;
      for (Path given : texts.keySet()) {
        TemplateUpdater.FileUpdate u = updates.get(i++);
        boolean written = false;
        if (u.changed() && !request.check()) {
          try {
            AtomicFiles.write(
                environment.resolve(given), u.updated().getBytes(StandardCharsets.UTF_8));
          } catch (IOException e) {
            throw new AccretionException(
                FailureKind.FAILED,
                given + ": cannot be written (" + e.getMessage() + ")",
                "check the file's permissions",
                e);
          }
          written = true;
        }
        List<Reference> refs = new ArrayList<>();
        for (TemplateUpdater.Outcome o : u.outcomes()) {
          TemplateReference r = o.reference();
          refs.add(
              new Reference(
                  r.line(),
                  r.column(),
                  r.kind() == TemplateReference.Kind.ARN ? "arn" : "placeholder",
                  o.status().word(),
                  r.text(),
                  o.replacement(),
                  o.region(),
                  o.note()));
        }
        out.add(new FileResult(given.toString(), u.changed(), written, refs));
      }
      return new Result(request.check(), out);
    }
  }

  /** The published layers, from the catalog, each answer remembered for the run. */
  private static final class AwsLayers implements LayerVersions {
    private final LayerCatalog catalog;
    private String account;
    private final Map<String, List<Version>> versions = new HashMap<>();

    AwsLayers(LayerCatalog catalog) {
      this.catalog = catalog;
    }

    @Override
    public String account(String region) throws AccretionException {
      if (account == null) {
        account = catalog.account(region);
      }
      return account;
    }

    @Override
    public List<Version> managedVersions(String region, String lambdaLayerName)
        throws AccretionException {
      String key = region + "/" + lambdaLayerName;
      List<Version> known = versions.get(key);
      if (known != null) {
        return known;
      }
      List<LayerVersionInfo> all = catalog.versions(lambdaLayerName, region);
      List<Version> out = new ArrayList<>();
      if (!all.isEmpty() && all.get(0).sha256() != null) {
        for (LayerVersionInfo v : all) {
          out.add(
              new Version(
                  v.version(),
                  v.layerVersionArn(),
                  v.compatibleRuntimes(),
                  v.compatibleArchitectures()));
        }
      }
      versions.put(key, List.copyOf(out));
      return out;
    }

    @Override
    public String placeholderArn(String region, String layer, String runtime, String architecture)
        throws AccretionException {
      return catalog.arn(LayerQuery.of(layer, runtime, architecture), region);
    }
  }
}
