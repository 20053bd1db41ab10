package dev.accretion.app.efs;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.core.AccretionException;
import dev.accretion.efs.StoreMaintenance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Use case {@code efs ls}: the versions a store holds, their sizes, the views that use them. */
public final class ListEfs {
  private final Environment environment;

  public ListEfs(Environment environment) {
    this.environment = environment;
  }

  public record Request(Path root) {
    public Request {
      Objects.requireNonNull(root, "root");
    }
  }

  /** A version folder (relative to the root), its size and file count, the views using it. */
  public record Version(String path, long bytes, long files, List<String> views) {
    public Version {
      views = List.copyOf(views);
    }
  }

  /** A view: its digest, target, package count, whether every version it needs is there. */
  public record View(
      String digest, String runtime, String architecture, int packages, boolean complete) {}

  /** {@link #toJson()} is the {@code efs ls --json} document. */
  public record Result(
      Path root, List<Version> versions, List<View> views, int installsInProgress) {
    public Result {
      versions = List.copyOf(versions);
      views = List.copyOf(views);
    }

    public long bytes() {
      return versions.stream().mapToLong(Version::bytes).sum();
    }

    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("root", root.toString());
      m.put("bytes", bytes());
      List<Object> vs = new ArrayList<>();
      for (Version v : versions) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("path", v.path());
        e.put("bytes", v.bytes());
        e.put("files", v.files());
        e.put("views", v.views());
        vs.add(e);
      }
      m.put("versions", vs);
      List<Object> viewList = new ArrayList<>();
      for (View v : views) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("digest", v.digest());
        e.put("runtime", v.runtime());
        e.put("architecture", v.architecture());
        e.put("packages", v.packages());
        e.put("complete", v.complete());
        viewList.add(e);
      }
      m.put("views", viewList);
      m.put("installsInProgress", installsInProgress);
      return Json.write(m);
    }
  }

  public Result list(Request request) throws AccretionException {
    Path root = environment.resolve(request.root());
    StoreMaintenance.Listing l = StoreMaintenance.list(root);
    List<Version> versions = new ArrayList<>();
    for (StoreMaintenance.VersionInfo v : l.versions()) {
      versions.add(new Version(v.path(), v.bytes(), v.files(), v.views()));
    }
    List<View> views = new ArrayList<>();
    for (StoreMaintenance.ViewInfo v : l.views()) {
      views.add(new View(v.digest(), v.runtime(), v.architecture(), v.packages(), v.complete()));
    }
    return new Result(root, versions, views, l.installsInProgress());
  }
}
