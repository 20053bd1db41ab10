package dev.accretion.pipeline.spi;

import java.util.Objects;

/**
 * Something an inspection found wrong or worth knowing. Immutable.
 *
 * @param severity {@link Severity#ERROR} makes the layer or function unfit for the target (the
 *     command exits 1); warnings and notes never do
 * @param code a stable id for scripts, {@code [a-z][a-z0-9-]*}: {@code elf-machine}, {@code
 *     python-abi}, {@code record-missing}, ...
 * @param path the file or folder concerned, or null
 * @param packageName the package concerned ({@code numpy 2.2.6}), or null
 * @param message what is wrong, naming the file and the package
 * @param advice what to do about it, or null
 */
public record ContentProblem(
    Severity severity,
    String code,
    String path,
    String packageName,
    String message,
    String advice) {

  /** How much a problem matters. */
  public enum Severity {
    /** The layer or function will not work as intended on the target. */
    ERROR,
    /** It may not work, or works differently than it seems. */
    WARNING,
    /** Worth knowing; nothing is wrong. */
    NOTE
  }

  public ContentProblem {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  public static ContentProblem error(
      String code, String path, String packageName, String message, String advice) {
    return new ContentProblem(Severity.ERROR, code, path, packageName, message, advice);
  }

  public static ContentProblem warning(
      String code, String path, String packageName, String message, String advice) {
    return new ContentProblem(Severity.WARNING, code, path, packageName, message, advice);
  }

  public static ContentProblem note(
      String code, String path, String packageName, String message, String advice) {
    return new ContentProblem(Severity.NOTE, code, path, packageName, message, advice);
  }
}
