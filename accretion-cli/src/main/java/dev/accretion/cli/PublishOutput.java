package dev.accretion.cli;

import dev.accretion.app.publish.PublishReport;

/**
 * A publish report: the JSON document, or a table of layers and regions; failures and notification
 * problems always on stderr, with what to do.
 */
final class PublishOutput {
  private final Context context;

  PublishOutput(Context context) {
    this.context = context;
  }

  void print(PublishReport report, boolean json) {
    if (json) {
      context.out().println(report.toJson());
    } else {
      table(report);
    }
    for (PublishReport.Layer l : report.layers()) {
      for (PublishReport.Region region : l.regions()) {
        if (!region.ok()) {
          context
              .err()
              .println(
                  "accretion: error: "
                      + l.name()
                      + " in "
                      + region.region()
                      + ": "
                      + region.error());
        }
        if (region.notificationError() != null) {
          context
              .err()
              .println(
                  "accretion: warning: "
                      + l.name()
                      + " in "
                      + region.region()
                      + ": "
                      + region.notificationError());
        }
      }
      for (String failure : l.notificationFailures()) {
        context.err().println("accretion: warning: " + l.name() + ": " + failure);
      }
    }
  }

  private void table(PublishReport report) {
    Table table = new Table("LAYER", "REGION", "VERSION", "STATUS", "ARN");
    int published = 0;
    int unchanged = 0;
    int failed = 0;
    for (PublishReport.Layer l : report.layers()) {
      for (PublishReport.Region region : l.regions()) {
        String status;
        if (!region.ok()) {
          status = "FAILED";
          failed++;
        } else if (region.published()) {
          status = "published";
          published++;
        } else {
          status = "unchanged";
          unchanged++;
        }
        table.row(
            l.name(),
            region.region(),
            region.version() == 0 ? "-" : region.version(),
            status,
            region.layerVersionArn());
      }
    }
    table.print(context.out(), "");
    int layers = report.layers().size();
    int regions = published + unchanged + failed;
    context
        .out()
        .printf(
            "%d %s, %d %s: %d published, %d unchanged, %d failed%n",
            layers,
            layers == 1 ? "layer" : "layers",
            regions,
            regions == 1 ? "region" : "regions",
            published,
            unchanged,
            failed);
  }
}
