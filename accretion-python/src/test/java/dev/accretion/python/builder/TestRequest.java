package dev.accretion.python.builder;

import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuildRequest;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuildListener;
import dev.accretion.pipeline.spi.BuilderOptions;
import dev.accretion.python.install.Layout;
import dev.accretion.python.install.Slimming;
import dev.accretion.python.lock.Locker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Python layer build as the tests describe it (the index settings of a {@link Locker.Options} and
 * the Python builder's layout options), turned into the pipeline's {@link BuildRequest}.
 */
record TestRequest(
    Path listing,
    Locker.Options locker,
    List<Target> targets,
    String name,
    Path outputDir,
    Layout layout,
    boolean scripts,
    List<String> excludes,
    Slimming slimming,
    long reserveBytes,
    boolean allowBadRecord,
    boolean refresh,
    boolean allowEmpty) {

  TestRequest(
      Path listing,
      Locker.Options locker,
      List<Target> targets,
      String name,
      Path outputDir,
      Layout layout,
      boolean scripts,
      List<String> excludes,
      Slimming slimming,
      long reserveBytes,
      boolean allowBadRecord,
      boolean refresh) {
    this(
        listing,
        locker,
        targets,
        name,
        outputDir,
        layout,
        scripts,
        excludes,
        slimming,
        reserveBytes,
        allowBadRecord,
        refresh,
        false);
  }

  static TestRequest of(Path listing, Locker.Options locker, List<Target> targets, Path outputDir) {
    return new TestRequest(
        listing,
        locker,
        targets,
        null,
        outputDir,
        Layout.PYTHON,
        true,
        List.of(),
        Slimming.none(),
        0,
        false,
        false);
  }

  TestRequest withName(String newName) {
    return new TestRequest(
        listing,
        locker,
        targets,
        newName,
        outputDir,
        layout,
        scripts,
        excludes,
        slimming,
        reserveBytes,
        allowBadRecord,
        refresh);
  }

  TestRequest withAllowEmpty(boolean allow) {
    return new TestRequest(
        listing,
        locker,
        targets,
        name,
        outputDir,
        layout,
        scripts,
        excludes,
        slimming,
        reserveBytes,
        allowBadRecord,
        refresh,
        allow);
  }

  BuildRequest toPipeline(Path cacheDir, BuildListener listener) {
    Map<String, List<String>> options = new TreeMap<>();
    Locker.IndexOverrides o = locker.overrides();
    if (o.indexUrl() != null) {
      options.put("index-url", List.of(o.indexUrl()));
    }
    if (!o.extraIndexUrls().isEmpty()) {
      options.put("extra-index-url", o.extraIndexUrls());
    }
    if (!o.findLinks().isEmpty()) {
      options.put("find-links", o.findLinks());
    }
    if (o.noIndex()) {
      options.put("no-index", List.of("true"));
    }
    options.put("index-strategy", List.of(locker.strategy().cliName()));
    if (!locker.extras().isEmpty()) {
      options.put("extra", List.copyOf(new java.util.TreeSet<>(locker.extras())));
    }
    if (!locker.groups().isEmpty()) {
      options.put("group", List.copyOf(new java.util.TreeSet<>(locker.groups())));
    }
    options.put("layout", List.of(layout.cliName()));
    options.put("scripts", List.of(Boolean.toString(scripts)));
    options.put("slim", List.of(Boolean.toString(slimming.slim())));
    if (!slimming.patterns().isEmpty()) {
      options.put("slim-pattern", slimming.patterns());
    }
    options.put("allow-bad-record", List.of(Boolean.toString(allowBadRecord)));
    BuildContext context =
        new BuildContext(
            locker.env(), locker.home(), locker.workingDirectory(), cacheDir, listener);
    return BuildRequest.of(listing, targets, outputDir, context)
        .withFormat(locker.format() == null ? null : locker.format().cliName())
        .withName(name)
        .withOptions(BuilderOptions.of(options))
        .withExcludes(excludes)
        .withReserveBytes(reserveBytes)
        .withRefresh(refresh)
        .withAllowEmpty(allowEmpty);
  }
}
