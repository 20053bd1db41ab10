package dev.accretion.app.catalog;

import dev.accretion.app.CommaLists;
import dev.accretion.app.Environment;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.aws.LayerCatalog;
import dev.accretion.aws.project.ProjectFile;
import dev.accretion.core.AccretionException;
import java.util.List;
import java.util.Optional;

/** The catalog and project file a read command about one layer works with. */
final class CatalogRequest implements AutoCloseable {
  final Optional<ProjectFile> project;
  final LayerCatalog catalog;
  final List<String> regions;

  private CatalogRequest(
      Optional<ProjectFile> project, LayerCatalog catalog, List<String> regions) {
    this.project = project;
    this.catalog = catalog;
    this.regions = regions;
  }

  /**
   * @param layer the Lambda layer name, or null for commands about every layer
   * @param regions the regions given (comma lists allowed), empty when none
   */
  static CatalogRequest open(
      Environment environment, AwsAccess aws, String layer, List<String> regions)
      throws AccretionException {
    Optional<ProjectFile> project = aws.projectForReading(environment);
    return new CatalogRequest(
        project,
        new LayerCatalog(aws.settings(environment), LayerLookup.bucketPattern(project, layer)),
        CommaLists.split(regions));
  }

  /** The one region for a command about {@code layer}. */
  String oneRegion(String layer) throws AccretionException {
    return LayerLookup.oneForLayer(regions, project, layer, catalog::defaultRegion);
  }

  /** The regions for a command about {@code layer}. */
  List<String> regionsFor(String layer) throws AccretionException {
    return LayerLookup.forLayer(regions, project, layer, catalog::defaultRegion);
  }

  @Override
  public void close() {
    catalog.close();
  }
}
