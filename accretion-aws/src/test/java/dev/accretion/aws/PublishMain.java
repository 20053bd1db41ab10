package dev.accretion.aws;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A separate publisher process for the two-process test. It uses only the standard AWS
 * configuration of its environment ({@code AWS_ENDPOINT_URL}, {@code AWS_ACCESS_KEY_ID}, ...), so
 * it also proves that the standard endpoint variable is honoured.
 *
 * <p>Arguments: layer, zip, sha256, manifest file, comma-separated regions, start time (epoch ms).
 * Prints one line per region: {@code <region> <version> <published>}; exits 1 if a region failed, 2
 * (printing {@code REFUSED <message>}) if the publish was refused before any side effect.
 */
public final class PublishMain {
  private PublishMain() {}

  public static void main(String[] args) throws Exception {
    String layer = args[0];
    Path zip = Path.of(args[1]);
    String sha = args[2];
    byte[] manifest = Files.readAllBytes(Path.of(args[3]));
    // "-" publishes to the environment's default region
    List<String> regions = args[4].equals("-") ? List.of() : Arrays.asList(args[4].split(","));
    long startAt = Long.parseLong(args[5]);
    PublishRequest request =
        TestLayers.request(layer, new TestLayers.Artifact(zip, sha, null, manifest), regions);
    try (LayerPublisher publisher = new LayerPublisher(AwsSettings.standard())) {
      long wait = startAt - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      PublishResult result;
      try {
        result = publisher.publish(request, PublishListener.NONE);
      } catch (dev.accretion.core.AccretionException e) {
        System.out.println("REFUSED " + e.getMessage());
        System.exit(2);
        return;
      }
      for (RegionResult r : result.regions()) {
        System.out.println(
            r.region() + " " + r.version() + " " + r.published() + (r.ok() ? "" : " " + r.error()));
      }
      System.exit(result.ok() ? 0 : 1);
    }
  }
}
