package dev.accretion.pipeline;

import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuildEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A folder with a fake listing, its package files, an output folder and a cache, for tests. */
final class FakeProject {
  final Path root;
  final Path listing;
  final Path out;
  final Path cache;
  final List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());

  FakeProject(Path root) throws IOException {
    this.root = root;
    this.listing = root.resolve("proj/deps.fake");
    this.out = root.resolve("out");
    this.cache = root.resolve("cache");
    Files.createDirectories(root.resolve("proj/files"));
  }

  FakeProject listing(String text) throws IOException {
    Files.writeString(listing, text);
    return this;
  }

  /** A package file: lines of {@code path<TAB>content}. */
  FakeProject pkg(String name, String version, String... lines) throws IOException {
    Files.writeString(
        root.resolve("proj/files/" + name + "-" + version + ".pkg"),
        String.join("\n", lines) + "\n");
    return this;
  }

  BuildContext context() {
    return new BuildContext(Map.of(), root.resolve("home"), root, cache, events::add);
  }

  static List<Target> targets(String... specs) throws Exception {
    List<Target> list = new ArrayList<>();
    for (String s : specs) {
      String[] p = s.split("/");
      list.add(RuntimeMatrix.load().target(p[0], p[1]));
    }
    return list;
  }

  BuildRequest request(String... targets) throws Exception {
    return BuildRequest.of(listing, targets(targets), out, context());
  }

  <T> List<T> events(Class<T> type) {
    synchronized (events) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }
}
