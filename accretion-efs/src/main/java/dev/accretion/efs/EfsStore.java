package dev.accretion.efs;

import dev.accretion.core.runtime.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The layout of a side-loading store on a shared file system:
 *
 * <pre>
 * ROOT/&lt;runtime&gt;/&lt;arch&gt;/&lt;normalized-name&gt;/&lt;version&gt;/   one folder per package version, complete or absent
 * ROOT/&lt;runtime&gt;/&lt;arch&gt;/&lt;name&gt;/.&lt;version&gt;.lock          held while that version is installed
 * ROOT/&lt;runtime&gt;/&lt;arch&gt;/&lt;name&gt;/.&lt;version&gt;.tmp-…          a version being written (renamed when complete)
 * ROOT/views/&lt;digest&gt;/                                  one sys.path entry for a whole set (symbolic links)
 * ROOT/views/&lt;digest&gt;.json                              the set: lock text and versions
 * ROOT/.installs/&lt;id&gt;.lock                             an install in progress and the versions it needs
 * ROOT/.gc.lock                                          held while gc runs
 * </pre>
 *
 * Names starting with a dot are never package versions or views. Immutable.
 */
public record EfsStore(Path root) {
  static final String VIEW_MARKER = ".accretion-view.json";
  static final String VERSION_MARKER = ".accretion-version.json";

  public EfsStore {
    Objects.requireNonNull(root, "root");
    root = root.toAbsolutePath().normalize();
  }

  public Path targetDir(Target target) {
    return root.resolve(target.runtime().id()).resolve(target.architecture().lambdaName());
  }

  public Path views() {
    return root.resolve("views");
  }

  public Path view(String digest) {
    return views().resolve(digest);
  }

  public Path viewRecord(String digest) {
    return views().resolve(digest + ".json");
  }

  Path installs() {
    return root.resolve(".installs");
  }

  Path gcLock() {
    return root.resolve(".gc.lock");
  }

  /** Every complete view's record ({@code views/<digest>.json} whose folder exists). */
  List<Path> viewRecords() throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(views())) {
      return out;
    }
    try (Stream<Path> s = Files.list(views())) {
      for (Path p : s.sorted().toList()) {
        String n = p.getFileName().toString();
        if (!n.startsWith(".") && n.endsWith(".json")) {
          out.add(p);
        }
      }
    }
    return out;
  }

  /**
   * Every complete version folder, relative to the root ({@code python3.11/x86_64/numpy/2.2.6}),
   * sorted.
   */
  List<String> versions() throws IOException {
    List<String> out = new ArrayList<>();
    for (Path runtime : visibleDirs(root)) {
      if (runtime.getFileName().toString().equals("views")) {
        continue;
      }
      for (Path arch : visibleDirs(runtime)) {
        for (Path name : visibleDirs(arch)) {
          for (Path version : visibleDirs(name)) {
            out.add(root.relativize(version).toString().replace('\\', '/'));
          }
        }
      }
    }
    return out;
  }

  static List<Path> visibleDirs(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(Files::isDirectory)
          .sorted()
          .toList();
    }
  }

  static List<Path> hidden(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }

  /** Deletes a tree without following links. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.toList()) {
          deleteTree(p);
        }
      }
    }
    Files.deleteIfExists(dir);
  }

  /** The apparent size of a tree's regular files (links not followed) and their count. */
  static long[] size(Path dir) throws IOException {
    long[] out = new long[2];
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .forEach(
              p -> {
                try {
                  out[0] += Files.size(p);
                  out[1]++;
                } catch (IOException e) {
                  // removed meanwhile
                }
              });
    }
    return out;
  }
}
