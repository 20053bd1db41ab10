import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build step of the CLI jar (run by Maven after shading, with ASM on the class path): rewrites
 * every class file older than Java 6 (major version below 50; picocli and slf4j are compiled for
 * Java 5) as a Java 8 class file with computed stack map frames. The bytecode is unchanged.
 *
 * <p>Why: the JVM's start-up caches (the JDK 25 ahead-of-time cache, class-data sharing on JDK
 * 21-24) cannot store a pre-Java-6 class once it has been linked, so picocli, which every command
 * runs through, was loaded, parsed and verified from the jar on every start (about 60 ms of a 150
 * ms {@code --version}). Upgraded, they come from the cache like Accretion's own classes.
 *
 * <p>Usage: {@code java -cp asm.jar UpgradeOldClassFiles.java JAR} (rewrites JAR in place, keeping
 * entry order and times).
 */
public final class UpgradeOldClassFiles {
  private UpgradeOldClassFiles() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java -cp asm.jar UpgradeOldClassFiles.java JAR");
      System.exit(2);
    }
    Path jar = Path.of(args[0]);
    Path tmp = jar.resolveSibling(jar.getFileName() + ".upgrading");
    int upgraded = 0;
    try (URLClassLoader loader =
            new URLClassLoader(
                new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        InputStream raw = Files.newInputStream(jar);
        ZipInputStream in = new ZipInputStream(raw);
        OutputStream sink = Files.newOutputStream(tmp);
        ZipOutputStream out = new ZipOutputStream(sink)) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        byte[] bytes = in.readAllBytes();
        if (entry.getName().endsWith(".class") && majorVersion(bytes) < Opcodes.V1_6) {
          bytes = upgrade(bytes, loader);
          upgraded++;
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime());
        out.putNextEntry(copy);
        out.write(bytes);
        out.closeEntry();
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    System.out.println(
        "UpgradeOldClassFiles: " + upgraded + " class files upgraded to Java 8 in " + jar);
  }

  private static int majorVersion(byte[] classFile) {
    if (classFile.length < 8) {
      return Integer.MAX_VALUE; // not a class file; leave it alone
    }
    return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
  }

  private static byte[] upgrade(byte[] classFile, ClassLoader loader) {
    ClassWriter writer =
        new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
          @Override
          protected ClassLoader getClassLoader() {
            // frames need common super classes of the jar's own types
            return loader;
          }
        };
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9, writer) {
              @Override
              public void visit(
                  int version,
                  int access,
                  String name,
                  String signature,
                  String superName,
                  String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
              }
            },
            ClassReader.SKIP_FRAMES);
    return writer.toByteArray();
  }
}
