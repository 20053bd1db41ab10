package dev.accretion.java;

import dev.accretion.core.runtime.Architecture;
import dev.accretion.core.runtime.RuntimeMatrix;
import dev.accretion.core.runtime.Target;
import dev.accretion.pipeline.BuildRequest;
import dev.accretion.pipeline.BuildResult;
import dev.accretion.pipeline.BuilderRegistry;
import dev.accretion.pipeline.LayerPipeline;
import dev.accretion.pipeline.spi.BuildContext;
import dev.accretion.pipeline.spi.BuilderOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code bench/java.sh} runs until the CLI's build command uses the pipeline: one {@code
 * LayerPipeline.build} of a listing in a fresh JVM (so JVM start and class loading are counted, as
 * for the CLI), printing {@code <jars> <fromCache> <zip>}.
 *
 * <p>{@code java -cp ... dev.accretion.java.JavaBenchMain LISTING RUNTIME ARCH CACHE OUT
 * [KEY=VALUE...]} (builder options)
 */
public final class JavaBenchMain {
  private static final long START = System.nanoTime();

  private JavaBenchMain() {}

  public static void main(String[] args) throws Exception {
    Path listing = Path.of(args[0]).toAbsolutePath();
    Target target = Target.of(RuntimeMatrix.load().get(args[1]), Architecture.parse(args[2]));
    BuildContext context =
        new BuildContext(
            System.getenv(),
            Path.of(System.getProperty("user.home")),
            listing.getParent(),
            Path.of(args[3]).toAbsolutePath(),
            System.getenv("ACCRETION_BENCH_EVENTS") == null
                ? e -> {}
                : e -> System.err.println((System.nanoTime() - START) / 1_000_000 + " ms " + e));
    BuilderOptions options = BuilderOptions.none();
    for (int i = 5; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      options = options.with(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    BuildResult r =
        new LayerPipeline(BuilderRegistry.load())
            .build(
                BuildRequest.of(listing, List.of(target), Path.of(args[4]), context)
                    .withOptions(options));
    System.out.println(
        r.artifacts().get(0).packages().size()
            + " "
            + r.fromCache()
            + " "
            + r.artifacts().get(0).zip());
  }
}
