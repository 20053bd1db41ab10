package dev.accretion.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeIT {
  @TempDir Path dir;

  @Test
  void publish_thenRepublishUnchanged() throws Exception {
    String name = TestLayers.uniqueName("smoke");
    var a = TestLayers.build(dir, name, Map.of("requests", "2.32.3"));
    try (LayerPublisher p = new LayerPublisher(MotoServer.settings())) {
      PublishResult r =
          p.publish(
              TestLayers.request(name, a, List.of("us-east-1", "eu-west-1")),
              new PublishListener() {
                @Override
                public void step(String region, String step, String detail) {
                  System.out.println(region + " " + step + " " + detail);
                }
              });
      System.out.println(r);
      assertThat(r.ok()).isTrue();
      PublishResult r2 =
          p.publish(
              TestLayers.request(name, a, List.of("us-east-1", "eu-west-1")), PublishListener.NONE);
      System.out.println(r2);
      assertThat(r2.regions()).allMatch(x -> !x.published());
    }
  }
}
