package dev.accretion.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a PEP 503 {@code file://} index for tests: {@code <root>/files/*.whl} and {@code
 * <root>/simple/<project>/index.html} with sha256 fragments, {@code data-requires-python} and
 * {@code data-yanked} as asked. Not thread-safe.
 */
public final class SimpleIndexBuilder {
  private final Path root;
  private final Map<String, List<String>> anchors = new TreeMap<>();

  public SimpleIndexBuilder(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** The index URL to give a client: {@code file:///.../simple/}. */
  public String url() {
    return root.resolve("simple").toUri().toString();
  }

  public SimpleIndexBuilder add(WheelBuilder wheel) throws IOException {
    return add(wheel, null, null);
  }

  /**
   * Adds a wheel.
   *
   * @param requiresPython the page's {@code data-requires-python}, or null
   * @param yanked the yank reason ("" for a bare yank), or null if not yanked
   */
  public SimpleIndexBuilder add(WheelBuilder wheel, String requiresPython, String yanked)
      throws IOException {
    Path file = wheel.writeTo(root.resolve("files"));
    String hash = WheelBuilder.sha256Hex(Files.readAllBytes(file));
    StringBuilder a = new StringBuilder("<a href=\"../../files/");
    a.append(file.getFileName()).append("#sha256=").append(hash).append('"');
    if (requiresPython != null) {
      a.append(" data-requires-python=\"")
          .append(requiresPython.replace("<", "&lt;").replace(">", "&gt;"))
          .append('"');
    }
    if (yanked != null) {
      a.append(" data-yanked=\"").append(yanked).append('"');
    }
    a.append('>').append(file.getFileName()).append("</a>");
    String project = wheel.filename().split("-")[0].replace('_', '-').toLowerCase(Locale.ROOT);
    anchors.computeIfAbsent(project, p -> new ArrayList<>()).add(a.toString());
    return write();
  }

  /** Adds a non-wheel file (e.g. an sdist) by name, with the given content. */
  public SimpleIndexBuilder addFile(String project, String filename, byte[] content)
      throws IOException {
    Path dir = Files.createDirectories(root.resolve("files"));
    Files.write(dir.resolve(filename), content);
    anchors
        .computeIfAbsent(project, p -> new ArrayList<>())
        .add(
            "<a href=\"../../files/"
                + filename
                + "#sha256="
                + WheelBuilder.sha256Hex(content)
                + "\">"
                + filename
                + "</a>");
    return write();
  }

  private SimpleIndexBuilder write() throws IOException {
    StringBuilder index = new StringBuilder("<!DOCTYPE html><html><body>\n");
    for (Map.Entry<String, List<String>> e : anchors.entrySet()) {
      index
          .append("<a href=\"")
          .append(e.getKey())
          .append("/\">")
          .append(e.getKey())
          .append("</a>\n");
      Path dir = Files.createDirectories(root.resolve("simple").resolve(e.getKey()));
      StringBuilder page = new StringBuilder("<!DOCTYPE html><html><body>\n");
      for (String a : e.getValue()) {
        page.append(a).append('\n');
      }
      page.append("</body></html>\n");
      Files.writeString(dir.resolve("index.html"), page);
    }
    index.append("</body></html>\n");
    Files.createDirectories(root.resolve("simple"));
    Files.writeString(root.resolve("simple").resolve("index.html"), index);
    return this;
  }
}
