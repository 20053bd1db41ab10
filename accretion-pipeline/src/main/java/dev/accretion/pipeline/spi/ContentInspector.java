package dev.accretion.pipeline.spi;

import dev.accretion.core.AccretionException;
import dev.accretion.core.runtime.Language;
import dev.accretion.core.runtime.Runtime;
import dev.accretion.core.runtime.Target;
import java.util.List;

/**
 * Recognizes one ecosystem's packages among the files of a layer or function package that someone
 * else may have built ({@code accretion inspect}), and says whether they fit a Lambda target. One
 * per language module, found with {@link java.util.ServiceLoader} ({@code
 * META-INF/services/dev.accretion.pipeline.spi.ContentInspector}); implementations need a public
 * no-argument constructor and must be thread-safe and stateless.
 *
 * <p>The inspection engine does what is the same for every language itself: sizes, the largest
 * entries, files by folder, the ELF check of native code against the target's machine and glibc,
 * how layers merge into {@code /opt}. An inspector adds what only its ecosystem knows: which files
 * make a package and its version, whether the package metadata is consistent, and which of its
 * packages a runtime cannot load or already provides.
 */
public interface ContentInspector {

  /** A stable id, {@code [a-z][a-z0-9-]*}: {@code python}, {@code nodejs}, {@code java}. */
  String id();

  /** The Package URL type of the packages it finds: {@code pypi}, {@code npm}, {@code maven}. */
  String ecosystem();

  /** The runtime language whose runtimes load these packages. */
  Language language();

  /**
   * Finds the packages in {@code content}: what is independent of any target. Reads only the
   * entries it needs, through {@link LayerContent#read} (which, for a remote zip, fetches just
   * those entries).
   *
   * @throws AccretionException only when the content cannot be read at all ({@link
   *     dev.accretion.core.FailureKind#UNREACHABLE}); malformed package metadata is a {@link
   *     ContentProblem} of the report, never a failure
   */
  ContentReport inspect(LayerContent content) throws AccretionException;

  /**
   * The problems that make (or may make) the packages of {@code report} unfit for {@code target}:
   * an extension module built for another interpreter, packages where the runtime does not look,
   * packages the runtime already provides. Never reads content again.
   *
   * @param report what {@link #inspect} found in {@code content}
   */
  List<ContentProblem> check(LayerContent content, ContentReport report, Target target);

  /**
   * The folders (relative to the zip's root, {@code ""} for the root itself) in the order the
   * runtime searches them for this ecosystem's packages: a package found in an earlier folder hides
   * the same package in a later one. Lambda puts the function's package ({@code /var/task}) before
   * every layer ({@code /opt}).
   *
   * @param functionCode whether the folders are those of a function package rather than a layer
   */
  List<String> searchPath(Runtime runtime, boolean functionCode);
}
