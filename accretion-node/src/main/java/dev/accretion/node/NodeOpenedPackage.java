package dev.accretion.node;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.ReproducibleZipWriter;
import dev.accretion.core.archive.ZipLimits;
import dev.accretion.core.elf.ElfException;
import dev.accretion.core.elf.ElfInfo;
import dev.accretion.core.elf.ElfInspector;
import dev.accretion.node.json.JsonText;
import dev.accretion.node.lock.Manifest;
import dev.accretion.node.semver.SemVer;
import dev.accretion.node.tarball.Tarball;
import dev.accretion.pipeline.spi.OpenedPackage;
import dev.accretion.pipeline.spi.ResolvedPackage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An npm tarball opened and checked for one package: its files as npm would write them (bin targets
 * made executable with a Windows line ending on the {@code #!} line fixed, as npm's bin-links
 * does), each with its SHA-256 and ELF facts, the package.json it carries, and what its install
 * scripts would have done. Immutable.
 */
final class NodeOpenedPackage implements OpenedPackage {
  /**
   * A file ready to lay out, already compressed for the layer's zip (on the thread that opened the
   * package, while other packages still download).
   */
  record File(
      String path,
      byte[] bytes,
      boolean executable,
      ElfInfo elf,
      ReproducibleZipWriter.Compressed compressed) {
    String sha256() {
      return compressed.sha256();
    }

    int size() {
      return compressed.size();
    }
  }

  /** Install scripts that compile a native addon, or fetch a prebuilt one, at install time. */
  private static final Pattern NATIVE_BUILD =
      Pattern.compile("node-gyp|prebuild-install|node-pre-gyp|cmake-js|node-gyp-build|prebuildify");

  private final ResolvedPackage pkg;
  private final Manifest manifest;
  private final List<File> files;
  private final Map<String, String> installScripts;
  private final boolean buildsNativeAddon;
  private final List<String> notes;
  private final List<String> elfNotes;

  private NodeOpenedPackage(
      ResolvedPackage pkg,
      Manifest manifest,
      List<File> files,
      Map<String, String> installScripts,
      boolean buildsNativeAddon,
      List<String> notes,
      List<String> elfNotes) {
    this.pkg = pkg;
    this.manifest = manifest;
    this.files = List.copyOf(files);
    this.installScripts = Map.copyOf(installScripts);
    this.buildsNativeAddon = buildsNativeAddon;
    this.notes = List.copyOf(notes);
    this.elfNotes = List.copyOf(elfNotes);
  }

  /**
   * Reads and checks the tarball of {@code pkg}.
   *
   * @throws AccretionException {@link FailureKind#REFUSED} for a hostile or broken tarball, or one
   *     whose package.json names another package or version than the lock
   */
  static NodeOpenedPackage open(ResolvedPackage pkg, Path blob, ZipLimits limits)
      throws AccretionException {
    String file = pkg.source() == null ? pkg.label() : pkg.source().filename();
    String label = pkg.name() + " " + pkg.version() + " (" + file + ")";
    Tarball tarball = Tarball.read(blob, label, limits);
    Tarball.Entry pj = tarball.file("package.json");
    if (pj == null) {
      throw new AccretionException(
          FailureKind.REFUSED,
          label + " has no package.json in its package folder",
          "an npm package always has one; the tarball is damaged or not an npm package",
          null);
    }
    Manifest manifest;
    try {
      manifest = new Manifest(JsonText.parseObject(new String(pj.bytes(), StandardCharsets.UTF_8)));
    } catch (JsonText.SyntaxError e) {
      throw new AccretionException(
          FailureKind.REFUSED,
          label + " has a package.json that is not valid JSON (" + e.getMessage() + ")",
          "pin another version of the package",
          null);
    }
    if (!Objects.equals(manifest.name(), pkg.name())
        || !sameVersion(manifest.version(), pkg.version())) {
      throw new AccretionException(
          FailureKind.REFUSED,
          label
              + " holds "
              + manifest.name()
              + "@"
              + manifest.version()
              + " according to its package.json, not "
              + pkg.name()
              + "@"
              + pkg.version()
              + " as the lock says",
          "the lock's resolved URL or the registry is wrong; regenerate the lock with `npm install"
              + " --package-lock-only` and check where the tarball comes from",
          null);
    }
    Set<String> bins = Set.copyOf(manifest.bin().values());
    List<File> out = new ArrayList<>();
    List<String> elfNotes = new ArrayList<>();
    for (Tarball.Entry e : tarball.files()) {
      byte[] bytes = e.bytes();
      boolean executable = e.executable();
      if (bins.contains(e.path())) {
        executable = true;
        bytes = fixWindowsShebang(bytes);
      }
      ElfInfo elf = null;
      if (bytes.length >= 4
          && bytes[0] == 0x7f
          && bytes[1] == 'E'
          && bytes[2] == 'L'
          && bytes[3] == 'F') {
        try {
          elf = ElfInspector.inspect(bytes, label + "!" + e.path()).orElse(null);
        } catch (ElfException ex) {
          elfNotes.add(
              e.path()
                  + " looks like ELF but is malformed ("
                  + ex.problem()
                  + "); no loader can use it");
        }
      }
      // the tarball's own matches are reused unless the bytes were changed (a bin's shebang)
      ReproducibleZipWriter.Compressed compressed =
          ReproducibleZipWriter.compress(bytes, bytes == e.bytes() ? e.parse() : null);
      // a deflated file is held only deflated until the zip is written: the build holds every
      // file of every package at once, and each young collection copies what is held
      ReproducibleZipWriter.Compressed kept = compressed.withoutContent();
      out.add(new File(e.path(), kept.content(), executable, elf, kept));
    }
    Map<String, String> scripts = new LinkedHashMap<>(manifest.installScripts());
    boolean gyp = tarball.file("binding.gyp") != null;
    if (gyp && !scripts.containsKey("install") && !scripts.containsKey("preinstall")) {
      scripts.put("install", "node-gyp rebuild"); // npm's implicit script for a binding.gyp
    }
    boolean nativeBuild = false;
    for (String s : scripts.values()) {
      nativeBuild |= NATIVE_BUILD.matcher(s).find();
    }
    List<String> notes = new ArrayList<>(tarball.notes());
    return new NodeOpenedPackage(pkg, manifest, out, scripts, nativeBuild, notes, elfNotes);
  }

  /** npm compares the versions as semver (build metadata ignored), else as text. */
  private static boolean sameVersion(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    var x = SemVer.parse(a, true);
    var y = SemVer.parse(b, true);
    if (x.isPresent() && y.isPresent()) {
      return x.get().equals(y.get());
    }
    return a.strip().equals(b.strip());
  }

  /**
   * bin-links' dos2unix: a bin file whose {@code #!} line ends in CRLF gets LF there (only the
   * first line; the rest is kept).
   */
  static byte[] fixWindowsShebang(byte[] bytes) {
    if (bytes.length < 2 || bytes[0] != '#' || bytes[1] != '!') {
      return bytes;
    }
    int limit = Math.min(bytes.length, 2048);
    for (int i = 2; i < limit; i++) {
      if (bytes[i] == '\n') {
        if (i >= 4 && bytes[i - 1] == '\r') {
          String text = new String(bytes, StandardCharsets.UTF_8);
          int cr = text.indexOf("\r\n");
          String fixed = text.substring(0, cr) + text.substring(cr + 1);
          return fixed.getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
      }
    }
    return bytes;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public ResolvedPackage pkg() {
    return pkg;
  }

  Manifest manifest() {
    return manifest;
  }

  List<File> files() {
    return files;
  }

  Map<String, String> installScripts() {
    return installScripts;
  }

  boolean buildsNativeAddon() {
    return buildsNativeAddon;
  }

  List<String> notes() {
    return notes;
  }

  List<String> elfNotes() {
    return elfNotes;
  }

  @Override
  public String license() {
    return manifest.license();
  }

  @Override
  public boolean licenseIsExpression() {
    String l = manifest.license();
    return l != null && l.matches("[A-Za-z0-9.+()\\- ]+") && !l.contains("SEE LICENSE");
  }

  @Override
  public Map<String, Object> facts() {
    Map<String, Object> f = new LinkedHashMap<>();
    if (!installScripts.isEmpty()) {
      f.put("installScripts", new java.util.TreeMap<>(installScripts));
      f.put("installScriptsRun", false);
    }
    if (buildsNativeAddon) {
      f.put("nativeAddonBuild", true);
    }
    return f;
  }

  @Override
  public void close() {}
}
