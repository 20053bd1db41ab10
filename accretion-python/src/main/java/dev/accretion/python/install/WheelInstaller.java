package dev.accretion.python.install;

import dev.accretion.core.archive.ArchiveException;
import dev.accretion.pipeline.spi.LayerFile;
import dev.accretion.python.install.InspectedWheel.Scheme;
import dev.accretion.python.install.InspectedWheel.WheelFile;
import dev.accretion.python.tags.PythonTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Lays an {@link InspectedWheel} out for a Lambda target, as an installer would install it into
 * {@code /opt}:
 *
 * <ul>
 *   <li>the wheel's root and its {@code .data/purelib} and {@code .data/platlib} into the layout's
 *       folder ({@code python/} or {@code python/lib/python3.X/site-packages}), the {@code
 *       .dist-info} folder with them;
 *   <li>{@code .data/scripts} into {@code bin/} (Lambda puts {@code /opt/bin} on {@code PATH}),
 *       executable, with a {@code #!python} or {@code #!pythonw} first line replaced by the
 *       interpreter, as the wheel specification asks installers to do: {@code
 *       #!/var/lang/bin/python3.X}, the interpreter of the Lambda runtime, for a layer of one
 *       Python version; {@code #!/usr/bin/env python3} for a layer that serves several (see {@link
 *       #PORTABLE_SHEBANG}), so scripts never keep such a layer from being one zip; or left out
 *       with {@code scripts} false;
 *   <li>{@code .data/headers} and {@code .data/data} left out with a note: they install outside the
 *       Python path (C headers, {@code share/...}), which nothing on Lambda reads;
 *   <li>RECORD rewritten to list every installed file with its installed path (relative to the
 *       install folder, scripts as {@code ../bin/...}), hash and size, plus INSTALLER ({@code
 *       accretion}) and RECORD itself; the wheel's own INSTALLER is replaced.
 * </ul>
 *
 * Every file carries the ELF facts the inspection found, so the layer pipeline can check each
 * native file against the target's machine and glibc (for every language alike). Entry points
 * ({@code console_scripts}) get no wrapper scripts: Lambda calls handlers, not commands. Stateless
 * and thread-safe.
 */
public final class WheelInstaller {
  /**
   * The first line of scripts in a layer that serves several Python versions. Lambda's Python
   * runtimes run with {@code PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin} (the AWS
   * Lambda base images for Python set it so; the Lambda documentation lists {@code /var/lang/bin}
   * on {@code PATH} for the managed runtimes), and {@code /var/lang/bin/python3} is the runtime's
   * own interpreter, so {@code env} finds the right Python on every one of them.
   */
  public static final String PORTABLE_SHEBANG = "#!/usr/bin/env python3";

  /** The INSTALLER file's content (PEP 376: the installer's name). */
  public static final String INSTALLER = "accretion";

  /**
   * @param layout where packages go
   * @param scripts whether {@code .data/scripts} are installed into {@code bin/}
   * @param slim what is left out
   * @param portableScripts scripts start with {@link #PORTABLE_SHEBANG} instead of the target's own
   *     interpreter (for a layer that serves several Python versions)
   */
  public record Options(
      Layout layout, boolean scripts, Slimming.Matcher slim, boolean portableScripts) {
    public Options {
      Objects.requireNonNull(layout, "layout");
      Objects.requireNonNull(slim, "slim");
    }

    /** Options whose scripts start with the target's own interpreter. */
    public Options(Layout layout, boolean scripts, Slimming.Matcher slim) {
      this(layout, scripts, slim, false);
    }
  }

  private WheelInstaller() {}

  /**
   * The interpreter path scripts point at: {@code /var/lang/bin/python3.X}, where Lambda's Python
   * runtimes keep it ({@code sys.executable} on Lambda).
   */
  public static String interpreter(PythonTarget target) {
    return "/var/lang/bin/python" + target.pythonVersion();
  }

  /**
   * Lays {@code wheel} out for {@code target}.
   *
   * @throws InvalidWheelException if two wheel files install to the same path, or a script cannot
   *     be read again
   */
  public static InstalledPackage install(InspectedWheel wheel, PythonTarget target, Options options)
      throws InvalidWheelException {
    String site = options.layout().sitePath(target);
    String up = "../".repeat(site.split("/").length);
    String wheelName = wheel.filename().filename();
    List<LayerFile> files = new ArrayList<>();
    Map<String, String> origins = new HashMap<>();
    List<RecordFile.Row> rows = new ArrayList<>();
    int headers = 0;
    int data = 0;
    int scripts = 0;
    int slimmed = 0;
    long slimmedBytes = 0;
    int pycache = 0;
    String installerPath = wheel.distInfo() + "/INSTALLER";
    String recordPath = wheel.distInfo() + "/RECORD";
    for (WheelFile f : wheel.files()) {
      String layerPath;
      String recordName;
      boolean executable = f.entry().isExecutable();
      if (inPycache(f.entry().path())) {
        pycache++;
        continue;
      }
      switch (f.scheme()) {
        case HEADERS -> {
          headers++;
          continue;
        }
        case DATA -> {
          data++;
          continue;
        }
        case SCRIPTS -> {
          if (!options.scripts()) {
            scripts++;
            continue;
          }
          layerPath = "bin/" + f.path();
          recordName = up + "bin/" + f.path();
          executable = true;
        }
        case DIST_INFO -> {
          if (f.path().equals(recordPath) || f.path().equals(installerPath)) {
            continue;
          }
          layerPath = site + "/" + f.path();
          recordName = f.path();
        }
        default -> {
          if (options.slim().drops(f.path())) {
            slimmed++;
            slimmedBytes += f.digest().size();
            continue;
          }
          layerPath = site + "/" + f.path();
          recordName = f.path();
        }
      }
      String earlier = origins.putIfAbsent(layerPath, f.entry().name());
      if (earlier != null) {
        throw new InvalidWheelException(
            wheelName,
            f.entry().name(),
            "installs to " + layerPath + ", as '" + earlier + "' does",
            "the wheel is built wrongly: report it to the package's publisher");
      }
      LayerFile file;
      if (f.scheme() == Scheme.SCRIPTS) {
        file = script(wheel, f, layerPath, target, options.portableScripts());
      } else {
        file = raw(layerPath, executable, wheel, f);
      }
      files.add(file);
      rows.add(
          new RecordFile.Row(
              recordName, Hashes.recordHashOfHex(file.sha256()), Long.toString(file.size()), 0));
    }
    byte[] installer = (INSTALLER + "\n").getBytes(StandardCharsets.UTF_8);
    files.add(bytes(site + "/" + installerPath, false, installer));
    rows.add(
        new RecordFile.Row(
            installerPath, Hashes.recordHash(installer), Integer.toString(installer.length), 0));
    rows.add(new RecordFile.Row(recordPath, "", "", 0));
    rows.sort(Comparator.comparing(RecordFile.Row::path));
    byte[] record = RecordFile.write(rows).getBytes(StandardCharsets.UTF_8);
    files.add(bytes(site + "/" + recordPath, false, record));
    files.sort(Comparator.comparing(LayerFile::path));
    List<String> notes = new ArrayList<>();
    String who = wheel.name().normalized() + " " + wheel.version();
    if (headers > 0) {
      notes.add(
          who
              + ": left out "
              + headers
              + " file(s) of .data/headers (C headers for building extensions; not used at run"
              + " time)");
    }
    if (data > 0) {
      notes.add(
          who
              + ": left out "
              + data
              + " file(s) of .data/data (they install outside the Python path, e.g. share/...,"
              + " which nothing on Lambda reads)");
    }
    if (pycache > 0) {
      notes.add(
          who
              + ": left out "
              + pycache
              + " file(s) in __pycache__ folders (byte code compiled elsewhere is never"
              + " installed: it could differ from the source it claims to come from)");
    }
    if (scripts > 0) {
      notes.add(who + ": left out " + scripts + " script(s) of .data/scripts (--no-scripts)");
    }
    long total = files.stream().mapToLong(LayerFile::size).sum();
    return new InstalledPackage(wheel, files, notes, total, slimmed, slimmedBytes);
  }

  /** Whether a wheel path lies in a {@code __pycache__} folder. */
  public static boolean inPycache(String path) {
    for (String segment : path.split("/")) {
      if (segment.equals("__pycache__")) {
        return true;
      }
    }
    return false;
  }

  private static LayerFile script(
      InspectedWheel wheel, WheelFile f, String layerPath, PythonTarget target, boolean portable)
      throws InvalidWheelException {
    byte[] head = new byte[8];
    int read = 0;
    try (InputStream in = wheel.archive().open(f.entry())) {
      while (read < head.length) {
        int n = in.read(head, read, head.length - read);
        if (n < 0) {
          break;
        }
        read += n;
      }
    } catch (ArchiveException e) {
      throw WheelInspector.wrap(wheel.filename().filename(), e);
    } catch (IOException e) {
      throw new InvalidWheelException(
          wheel.filename().filename(),
          f.entry().name(),
          "could not be read again (" + e.getMessage() + ")",
          "was the cache changed while building? build again");
    }
    boolean rewrite =
        read == head.length && new String(head, StandardCharsets.ISO_8859_1).equals("#!python");
    if (!rewrite) {
      return raw(layerPath, true, wheel, f);
    }
    byte[] content;
    try {
      content = wheel.archive().readAllBytes(f.entry(), 64 << 20);
    } catch (ArchiveException e) {
      throw WheelInspector.wrap(wheel.filename().filename(), e);
    }
    int end = 0;
    while (end < content.length && content[end] != '\n') {
      end++;
    }
    // As the wheel specification says: the whole first line becomes the interpreter line.
    String line = portable ? PORTABLE_SHEBANG : "#!" + interpreter(target);
    byte[] shebang = (line + "\n").getBytes(StandardCharsets.UTF_8);
    int restStart = Math.min(content.length, end + 1);
    byte[] out = new byte[shebang.length + content.length - restStart];
    System.arraycopy(shebang, 0, out, 0, shebang.length);
    System.arraycopy(content, restStart, out, shebang.length, content.length - restStart);
    return bytes(layerPath, true, out);
  }

  /** A raw copy of a wheel entry, with the ELF facts the inspection found. */
  private static LayerFile raw(String path, boolean executable, InspectedWheel wheel, WheelFile f) {
    return new LayerFile(
        path,
        executable,
        f.digest().sha256Hex(),
        f.digest().size(),
        new LayerFile.Raw(wheel.archive(), f.entry()),
        f.elf());
  }

  /** A file Accretion writes, stored (its content is not copied; do not change the array). */
  private static LayerFile bytes(String path, boolean executable, byte[] content) {
    return new LayerFile(
        path,
        executable,
        Hashes.sha256Hex(content),
        content.length,
        new LayerFile.Stored(content),
        null);
  }
}
