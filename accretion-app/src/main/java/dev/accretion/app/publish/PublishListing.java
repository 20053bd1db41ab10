package dev.accretion.app.publish;

import dev.accretion.app.Environment;
import dev.accretion.app.Usage;
import dev.accretion.app.build.BuilderSettings;
import dev.accretion.app.progress.ProgressListener;
import dev.accretion.aws.LayerPublisher;
import dev.accretion.aws.PublishResult;
import dev.accretion.aws.project.LayerNaming;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import java.util.ArrayList;
import java.util.List;

/**
 * Use case {@code publish <listing> --layer NAME --runtime R [--arch A]}: builds the listing like
 * {@code accretion build} (a cache hit when unchanged), then publishes its zips under the names the
 * multi-target rule gives ({@link LayerNaming}: one zip for several runtimes is one layer; both
 * architectures become {@code <layer>-x86_64} and {@code <layer>-arm64}). Thread-safe.
 */
public final class PublishListing {
  private final Environment environment;

  public PublishListing(Environment environment) {
    this.environment = environment;
  }

  /**
   * @throws AccretionException a usage failure without runtimes; the build's failure; a request
   *     that cannot be published; a region that fails is a failed entry of the report
   */
  public PublishReport publish(PublishListingRequest request, ProgressListener listener)
      throws AccretionException {
    PublishSettings settings = request.settings();
    if (settings.runtimes().isEmpty()) {
      throw Usage.error(
          "publishing a listing needs --runtime (and --arch, default x86_64) to build it for");
    }
    ProgressListener progress = ProgressListener.warningsOnce(listener);
    java.util.Optional<ProjectFile.LayerConfig> project =
        SettingsMerge.projectLayer(environment, request.aws(), request.layer());
    ProjectFile.LayerConfig config =
        SettingsMerge.merge(
            environment,
            request.layer(),
            settings,
            project,
            environment.resolve(request.listing()),
            settings.runtimes(),
            settings.architectures());
    // the builder: the flags' over the project layer's of that name (plug-ins of both)
    BuilderSettings flags = request.builder();
    java.util.Map<String, List<String>> options = new java.util.TreeMap<>();
    List<java.nio.file.Path> plugins = new ArrayList<>();
    String builder = flags.builder();
    if (project.isPresent()) {
      options.putAll(project.get().builderOptions());
      plugins.addAll(project.get().plugins());
      builder = builder != null ? builder : project.get().builder();
    }
    options.putAll(flags.options());
    for (java.nio.file.Path jar : flags.plugins()) {
      plugins.add(environment.resolve(jar));
    }
    config = config.withBuilder(builder, options, java.util.Map.of(), plugins);
    var artifacts = new ProjectBuilds(environment, request.cacheDir(), progress).artifacts(config);
    List<PublishResult> results = new ArrayList<>();
    PublishEvents events = new PublishEvents(progress, null);
    try (LayerPublisher publisher = new LayerPublisher(request.aws().settings(environment))) {
      for (LayerNaming.Planned p : LayerNaming.plan(config, artifacts)) {
        results.add(
            publisher.publish(
                config.publishRequest(
                    p.layerName(),
                    p.artifact().zip(),
                    p.artifact().sha256Hex(),
                    p.artifact().contentDigest(),
                    p.runtimes(),
                    p.architectures(),
                    p.artifact().manifestJson(),
                    List.of()),
                events.forLayer(p.layerName())));
      }
    }
    return PublishReport.of(results);
  }
}
