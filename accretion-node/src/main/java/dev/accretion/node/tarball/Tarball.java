package dev.accretion.node.tarball;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import dev.accretion.core.archive.InflatedStream;
import dev.accretion.core.archive.Lz77Slice;
import dev.accretion.core.archive.ZipLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipException;

/**
 * An npm package tarball, read and checked the way npm extracts it ({@code pacote} over {@code
 * node-tar}), with every hostile construct refused instead of skipped.
 *
 * <p>As npm: the first path component (usually {@code package/}, some old tarballs use another
 * name) is stripped; directories are implied by files; links are not installed; a later entry of
 * the same path replaces an earlier one; a {@code .gitignore} file is renamed {@code .npmignore}
 * unless a {@code .npmignore} was already seen in that folder (npm's publish rule in reverse); a
 * file is executable when its mode has an execute bit.
 *
 * <p>Refused ({@link FailureKind#REFUSED}): absolute paths, {@code ..} segments, backslashes,
 * control characters; symbolic or hard links whose target leaves the package; device files and
 * FIFOs; entries under more than one top folder; more entries or bytes than the limits allow (the
 * declared size is checked before anything is read); bad header checksums and truncated data.
 *
 * <p>Immutable once read.
 */
public final class Tarball {
  /**
   * One file as npm would write it into the package folder.
   *
   * @param parse the same bytes with the LZ77 matches of the tarball's gzip stream, to compress
   *     them again without a match search; null for a tarball that was not gzip-compressed
   */
  public record Entry(String path, byte[] bytes, boolean executable, Lz77Slice parse) {
    public Entry(String path, byte[] bytes, boolean executable) {
      this(path, bytes, executable, null);
    }
  }

  private final List<Entry> files;
  private final List<String> notes;
  private final String topFolder;
  // where each file's data starts in the inflated tar stream, while reading a gzip tarball
  private final Map<Entry, Integer> offsets;

  private Tarball(
      List<Entry> files, List<String> notes, String topFolder, Map<Entry, Integer> offsets) {
    this.files = List.copyOf(files);
    this.notes = List.copyOf(notes);
    this.topFolder = topFolder;
    this.offsets = offsets;
  }

  private static long saturatedTwice(long bytes) {
    long room = 64L << 20;
    return bytes > (Long.MAX_VALUE - room) / 2 ? Long.MAX_VALUE : bytes * 2 + room;
  }

  /** The files, in the order their final version appeared in the tarball. */
  public List<Entry> files() {
    return files;
  }

  /** What was not installed and why (links inside the package), one line each. */
  public List<String> notes() {
    return notes;
  }

  /** The top folder the entries were under ({@code package} in tarballs made by npm pack). */
  public String topFolder() {
    return topFolder;
  }

  /** The file at {@code path} (relative to the package folder), or null. */
  public Entry file(String path) {
    for (Entry e : files) {
      if (e.path().equals(path)) {
        return e;
      }
    }
    return null;
  }

  /**
   * Reads a tarball (gzip-compressed or plain).
   *
   * @param label the package and file, for messages ({@code express 4.21.2 (express-4.21.2.tgz)})
   * @param limits the build's limits: entries, bytes per archive, the shared byte budget
   */
  public static Tarball read(Path file, String label, ZipLimits limits) throws AccretionException {
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (!InflatedStream.isGzip(bytes)) {
        return new Reader(new ByteArrayInputStream(bytes), null, label, limits).read();
      }
      // the tar stream is inflated in Java, keeping its LZ77 matches for the layer's zip; its
      // size is bounded by the archive limit plus room for headers (each entry's size is also
      // checked against the limits before its data is read)
      long cap = Math.min(Integer.MAX_VALUE - 64L, saturatedTwice(limits.maxArchiveBytes()));
      InflatedStream gzip = InflatedStream.gzip(bytes, cap);
      Tarball t = new Reader(gzip.stream(), gzip, label, limits).read();
      gzip.finish();
      List<Entry> files = new ArrayList<>(t.files.size());
      for (Entry e : t.files) {
        int offset = t.offsets.get(e);
        files.add(
            new Entry(e.path(), e.bytes(), e.executable(), gzip.slice(offset, e.bytes().length)));
      }
      return new Tarball(files, t.notes, t.topFolder, Map.of());
    } catch (InflatedStream.TooLarge e) {
      throw refused(label, "inflates to more than " + e.cap() + " bytes (a gzip bomb?)");
    } catch (ZipException e) {
      throw refused(label, "is not a valid gzip stream (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new AccretionException(
          FailureKind.FAILED, "could not read " + label + ": " + e.getMessage(), e);
    }
  }

  static AccretionException refused(String label, String problem) {
    return new AccretionException(
        FailureKind.REFUSED,
        label + " " + problem,
        "nothing was installed from it; if the registry serves a damaged or hostile tarball,"
            + " report it to the package's maintainers and pin another version",
        null);
  }

  private static final class Reader {
    private static final long EXACT_READ = 1 << 20;
    private final InputStream in;
    private final InflatedStream gzip;
    private final Map<Entry, Integer> offsets = new java.util.IdentityHashMap<>();
    private final String label;
    private final ZipLimits limits;
    private long total;
    private int count;
    private final byte[] header = new byte[512];

    Reader(InputStream in, InflatedStream gzip, String label, ZipLimits limits) {
      this.in = in;
      this.gzip = gzip;
      this.label = label;
      this.limits = limits;
    }

    Tarball read() throws IOException, AccretionException {
      Map<String, Entry> files = new LinkedHashMap<>();
      Set<String> sawNpmignore = new HashSet<>();
      List<String> notes = new ArrayList<>();
      Set<String> tops = new TreeSet<>();
      Map<String, String> global = new LinkedHashMap<>();
      Map<String, String> pax = null;
      String longName = null;
      String longLink = null;
      while (true) {
        if (!readBlock(header)) {
          break;
        }
        if (allZero(header)) {
          break;
        }
        if (!checksumOk(header)) {
          throw refused(label, "has a tar header with a bad checksum (a damaged or non-tar file)");
        }
        char type = (char) (header[156] & 0xff);
        long size = size(header);
        if (size < 0) {
          throw refused(label, "has a tar header with an unreadable size");
        }
        if (++count > limits.maxEntries()) {
          throw refused(label, "has more than " + limits.maxEntries() + " entries (a tar bomb?)");
        }
        if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
          if (size > (1 << 20)) {
            throw refused(label, "has a metadata header of " + size + " bytes");
          }
          byte[] data = readData(size);
          if (type == 'L' || type == 'K') {
            String s = cString(data);
            if (type == 'L') {
              longName = s;
            } else {
              longLink = s;
            }
          } else {
            Map<String, String> records = paxRecords(data);
            if (type == 'g') {
              global.putAll(records);
            } else {
              pax = records;
            }
          }
          continue;
        }
        String name = longName != null ? longName : ustarName(header);
        String link = longLink != null ? longLink : cString(slice(header, 157, 100));
        Map<String, String> attrs = new LinkedHashMap<>(global);
        if (pax != null) {
          attrs.putAll(pax);
        }
        if (attrs.containsKey("path")) {
          name = attrs.get("path");
        }
        if (attrs.containsKey("linkpath")) {
          link = attrs.get("linkpath");
        }
        if (attrs.containsKey("size")) {
          try {
            size = Long.parseLong(attrs.get("size").strip());
          } catch (NumberFormatException e) {
            throw refused(label, "has a pax size that is not a number");
          }
        }
        pax = null;
        longName = null;
        longLink = null;
        List<String> parts = checkedPath(name);
        boolean isFile = type == '0' || type == '\0' || type == '7';
        if (isFile) {
          long remaining = limits.maxArchiveBytes() - total;
          if (size > remaining) {
            throw refused(
                label,
                "entry "
                    + name
                    + " declares "
                    + size
                    + " bytes, over the limit of "
                    + limits.maxArchiveBytes()
                    + " bytes unpacked per package (a size bomb?)");
          }
          if (!limits.budget().charge(size)) {
            throw refused(
                label,
                "would take the build over its limit of "
                    + limits.budget().limit()
                    + " unpacked bytes (entry "
                    + name
                    + ")");
          }
          total += size;
          int offset = gzip == null ? -1 : gzip.position();
          byte[] data = readData(size);
          if (parts.size() < 2) {
            continue; // node-tar's strip: 1 drops entries at the top level
          }
          tops.add(parts.get(0));
          String path = String.join("/", parts.subList(1, parts.size()));
          String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
          String base = path.substring(dir.length());
          if (base.equals(".npmignore")) {
            sawNpmignore.add(path);
          } else if (base.equals(".gitignore")) {
            String renamed = dir + ".npmignore";
            if (sawNpmignore.contains(renamed)) {
              continue;
            }
            path = renamed;
          }
          int mode = (int) octal(header, 100, 8);
          files.remove(path);
          Entry entry = new Entry(path, data, (mode & 0111) != 0);
          files.put(path, entry);
          offsets.put(entry, offset);
          continue;
        }
        skip(size);
        if (type == '5') {
          if (parts.size() >= 1) {
            tops.add(parts.get(0));
          }
          continue;
        }
        if (type == '1' || type == '2') {
          checkLink(parts, link, type == '1');
          if (parts.size() >= 2) {
            tops.add(parts.get(0));
            notes.add(
                (type == '1' ? "hard link " : "symbolic link ")
                    + String.join("/", parts.subList(1, parts.size()))
                    + " -> "
                    + link
                    + " not installed (npm does not install links from tarballs)");
          }
          continue;
        }
        if (type == '3' || type == '4' || type == '6') {
          throw refused(
              label,
              "has a "
                  + (type == '6' ? "FIFO" : "device file")
                  + " entry "
                  + name
                  + ", which no package needs");
        }
        if (type == 'S') {
          throw refused(
              label, "has a sparse file entry " + name + ", which npm packages never have");
        }
        notes.add("entry " + name + " of tar type '" + type + "' not installed");
      }
      if (tops.size() > 1) {
        throw refused(
            label,
            "has entries outside its package folder: top folders " + String.join(", ", tops));
      }
      return new Tarball(
          new ArrayList<>(files.values()),
          notes,
          tops.isEmpty() ? null : tops.iterator().next(),
          offsets);
    }

    /** The path's segments; refuses absolute paths, {@code ..}, backslashes, control characters. */
    private List<String> checkedPath(String name) throws AccretionException {
      if (name.isEmpty()) {
        throw refused(label, "has an entry with an empty name");
      }
      if (name.startsWith("/") || hasDriveLetter(name)) {
        throw refused(label, "has an entry with an absolute path: " + printable(name));
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        if (c < 0x20 || c == 0x7f) {
          throw refused(label, "has an entry name with a control character: " + printable(name));
        }
      }
      if (name.indexOf('\\') >= 0) {
        throw refused(label, "has an entry name with a backslash: " + printable(name));
      }
      List<String> parts = new ArrayList<>();
      for (String seg : name.split("/")) {
        if (seg.equals("..")) {
          throw refused(label, "has an entry that climbs out with '..': " + printable(name));
        }
        if (seg.isEmpty() || seg.equals(".")) {
          continue;
        }
        parts.add(seg);
      }
      return parts;
    }

    /**
     * A Windows drive prefix ({@code C:}): absolute on Windows. A character test, not a regex: it
     * runs for every entry of every tarball.
     */
    private static boolean hasDriveLetter(String path) {
      if (path.length() < 2 || path.charAt(1) != ':') {
        return false;
      }
      char c = path.charAt(0);
      return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }

    /** Refuses a link whose target is outside the package folder. */
    private void checkLink(List<String> parts, String target, boolean hard)
        throws AccretionException {
      String what = (hard ? "hard link " : "symbolic link ") + String.join("/", parts);
      if (target.isEmpty()
          || target.startsWith("/")
          || target.indexOf('\\') >= 0
          || hasDriveLetter(target)) {
        throw refused(
            label, "has a " + what + " to " + printable(target) + ", outside the package");
      }
      List<String> resolved = new ArrayList<>();
      if (hard) {
        // hard link names are archive paths: the first segment is the top folder
        String[] segs = target.split("/");
        for (String s : segs) {
          if (s.isEmpty() || s.equals(".")) {
            continue;
          }
          if (s.equals("..")) {
            throw refused(
                label, "has a " + what + " to " + printable(target) + ", outside the package");
          }
          resolved.add(s);
        }
        if (resolved.size() < 2 || !parts.isEmpty() && !resolved.get(0).equals(parts.get(0))) {
          throw refused(
              label, "has a " + what + " to " + printable(target) + ", outside the package");
        }
        return;
      }
      // a symlink's target is relative to its folder; the package root is parts[0]
      resolved.addAll(parts.subList(0, Math.max(0, parts.size() - 1)));
      for (String s : target.split("/")) {
        if (s.isEmpty() || s.equals(".")) {
          continue;
        }
        if (s.equals("..")) {
          if (resolved.size() <= 1) {
            throw refused(
                label, "has a " + what + " to " + printable(target) + ", outside the package");
          }
          resolved.remove(resolved.size() - 1);
        } else {
          resolved.add(s);
        }
      }
      if (resolved.size() < 2) {
        throw refused(
            label, "has a " + what + " to " + printable(target) + ", outside the package");
      }
    }

    private boolean readBlock(byte[] b) throws IOException, AccretionException {
      int n = in.readNBytes(b, 0, 512);
      if (n == 0) {
        return false;
      }
      if (n < 512) {
        throw refused(label, "ends inside a tar header (truncated)");
      }
      return true;
    }

    private byte[] readData(long size) throws IOException, AccretionException {
      if (size > Integer.MAX_VALUE - 16) {
        throw refused(label, "has an entry of " + size + " bytes");
      }
      // entries up to 1 MiB are read into an array of their size; a larger one grows as its
      // bytes arrive, so a header that lies about the size allocates nothing ahead of the data
      byte[] data;
      if (size <= EXACT_READ) {
        data = new byte[(int) size];
        if (in.readNBytes(data, 0, data.length) < size) {
          throw refused(label, "ends inside an entry's data (truncated)");
        }
      } else {
        data = in.readNBytes((int) size);
        if (data.length < size) {
          throw refused(label, "ends inside an entry's data (truncated)");
        }
      }
      long pad = (512 - (size % 512)) % 512;
      skipUpTo(in, pad); // padding at the very end may be missing; node-tar accepts that
      return data;
    }

    private void skip(long size) throws IOException, AccretionException {
      long padded = size + (512 - (size % 512)) % 512;
      long remaining = padded;
      byte[] buf = new byte[8192];
      while (remaining > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
        if (n < 0) {
          if (remaining > padded - size) {
            throw refused(label, "ends inside an entry's data (truncated)");
          }
          return;
        }
        remaining -= n;
      }
    }
  }

  /** Skips up to {@code n} bytes, fewer at the end of the stream. */
  private static long skipUpTo(InputStream in, long n) throws IOException {
    long done = 0;
    byte[] buf = new byte[512];
    while (done < n) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean checksumOk(byte[] h) {
    long expected = octal(h, 148, 8);
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < 512; i++) {
      int v = (i >= 148 && i < 156) ? ' ' : h[i];
      unsigned += v & 0xff;
      signed += (i >= 148 && i < 156) ? ' ' : h[i];
    }
    return expected == unsigned || expected == signed;
  }

  /** An octal (or GNU base-256) number field; -1 when unreadable. */
  static long octal(byte[] h, int off, int len) {
    if ((h[off] & 0x80) != 0) {
      long v = h[off] & 0x7f;
      for (int i = off + 1; i < off + len; i++) {
        if (v > (Long.MAX_VALUE >> 8)) {
          return -1;
        }
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    long v = 0;
    boolean any = false;
    for (int i = off; i < off + len; i++) {
      int c = h[i] & 0xff;
      if (c == 0 || c == ' ') {
        if (any) {
          break;
        }
        continue;
      }
      if (c < '0' || c > '7') {
        return -1;
      }
      any = true;
      v = v * 8 + (c - '0');
      if (v > (1L << 50)) {
        return -1;
      }
    }
    return v;
  }

  private static long size(byte[] h) {
    return octal(h, 124, 12);
  }

  private static String ustarName(byte[] h) {
    String name = cString(slice(h, 0, 100));
    String magic = new String(h, 257, 6, StandardCharsets.ISO_8859_1);
    if (magic.equals("ustar\0")) {
      String prefix = cString(slice(h, 345, 155));
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  private static byte[] slice(byte[] b, int off, int len) {
    byte[] out = new byte[len];
    System.arraycopy(b, off, out, 0, len);
    return out;
  }

  private static String cString(byte[] b) {
    int end = 0;
    while (end < b.length && b[end] != 0) {
      end++;
    }
    return new String(b, 0, end, StandardCharsets.UTF_8);
  }

  private static Map<String, String> paxRecords(byte[] data) {
    Map<String, String> out = new LinkedHashMap<>();
    int pos = 0;
    while (pos < data.length) {
      int space = pos;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      if (space >= data.length) {
        break;
      }
      int len;
      try {
        len = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        break;
      }
      if (len <= 0 || pos + len > data.length) {
        break;
      }
      String record = new String(data, space + 1, pos + len - space - 1, StandardCharsets.UTF_8);
      if (record.endsWith("\n")) {
        record = record.substring(0, record.length() - 1);
      }
      int eq = record.indexOf('=');
      if (eq > 0) {
        out.put(record.substring(0, eq), record.substring(eq + 1));
      }
      pos += len;
    }
    return out;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return b.toString();
  }
}
