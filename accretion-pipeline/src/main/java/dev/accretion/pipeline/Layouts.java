package dev.accretion.pipeline;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.pipeline.spi.Resolution;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a target's installed packages into its {@link TargetLayout}: one owner per path (different
 * content at one path fails naming both packages; identical content is written once, with a note),
 * the ELF check of every file, and the fingerprint that decides which targets share a zip.
 */
final class Layouts {
  private Layouts() {}

  /**
   * @param extra files of no package (a custom builder's output), owned by {@code extraOwner}
   * @param notes the notes so far (per package, per target, excluded), in order; merged-file notes
   *     are added after them
   */
  static TargetLayout layout(
      Target target,
      Resolution resolution,
      List<TargetLayout.Installed> installed,
      List<LayerFile> extra,
      String extraOwner,
      List<String> notes,
      List<String> warnings,
      String noun)
      throws AccretionException {
    List<String> allNotes = new ArrayList<>(notes);
    Map<String, LayerFile> byPath = new TreeMap<>();
    Map<String, String> sources = new HashMap<>();
    Map<String, List<String>> merged = new TreeMap<>();
    List<String> conflicts = new ArrayList<>();
    List<Owned> owned = new ArrayList<>();
    for (TargetLayout.Installed pkg : installed) {
      for (LayerFile f : pkg.installed().files()) {
        owned.add(new Owned(f, pkg.resolved().name(), pkg));
      }
    }
    for (LayerFile f : extra) {
      owned.add(new Owned(f, extraOwner, null));
    }
    for (Owned o : owned) {
      LayerFile f = o.file();
      ElfCheck.check(f, target, o.pkg() == null ? null : o.pkg().opened(), noun);
      LayerFile earlier = byPath.putIfAbsent(f.path(), f);
      if (earlier == null) {
        sources.put(f.path(), o.owner());
        continue;
      }
      String other = sources.get(f.path());
      if (earlier.sha256().equals(f.sha256()) && earlier.executable() == f.executable()) {
        merged.computeIfAbsent(f.path(), k -> new ArrayList<>(List.of(other))).add(o.owner());
      } else {
        conflicts.add(
            "'"
                + f.path()
                + "' comes from both "
                + other
                + " (sha256 "
                + earlier.sha256()
                + ") and "
                + o.owner()
                + " (sha256 "
                + f.sha256()
                + ")");
      }
    }
    if (!conflicts.isEmpty()) {
      int shown = Math.min(10, conflicts.size());
      throw new AccretionException(
          FailureKind.CONFLICT,
          "packages collide in the layer for "
              + target
              + ": "
              + String.join("; ", conflicts.subList(0, shown))
              + (conflicts.size() > shown ? "; and " + (conflicts.size() - shown) + " more" : ""),
          "one path can hold only one file: leave one of the packages out (--exclude), or put"
              + " them in separate layers",
          null);
    }
    for (Map.Entry<String, List<String>> m : merged.entrySet()) {
      allNotes.add(
          "merged duplicate: "
              + m.getKey()
              + " is installed by "
              + String.join(" and ", m.getValue())
              + " with identical content; written once");
    }
    List<LayerFile> files = new ArrayList<>(byPath.values());
    MessageDigest digest = sha256();
    for (LayerFile f : files) {
      digest.update(
          (f.path() + "\0" + f.executable() + "\0" + f.sha256() + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    for (TargetLayout.Installed pkg : installed) {
      digest.update(
          ("package\0"
                  + pkg.resolved().ecosystem()
                  + "\0"
                  + pkg.resolved().name()
                  + "\0"
                  + pkg.resolved().version()
                  + "\0"
                  + (pkg.fetched() == null ? "-" : pkg.fetched().sha256())
                  + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    for (String s : allNotes) {
      digest.update(("note\0" + s + "\n").getBytes(StandardCharsets.UTF_8));
    }
    for (String s : warnings) {
      digest.update(("warning\0" + s + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return new TargetLayout(
        target,
        resolution,
        installed,
        files,
        sources,
        allNotes,
        warnings,
        HexFormat.of().formatHex(digest.digest()));
  }

  private record Owned(LayerFile file, String owner, TargetLayout.Installed pkg) {}

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
