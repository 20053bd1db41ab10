/**
 * The builder interface: how a language (or a custom builder) plugs into the layer pipeline.
 *
 * <p>A {@link dev.accretion.pipeline.spi.Builder} is found with {@link java.util.ServiceLoader}
 * (built-in languages, and plug-in jars loaded in their own class loader). For one build the
 * pipeline:
 *
 * <ol>
 *   <li>asks every builder whether it {@linkplain dev.accretion.pipeline.spi.Builder#detect reads}
 *       the listing (or takes the one the project file names), and checks that the target runtimes'
 *       language is one the builder builds for;
 *   <li>{@linkplain dev.accretion.pipeline.spi.Builder#open opens} the listing: a {@link
 *       dev.accretion.pipeline.spi.BuildSession} that has read the listing and its configuration,
 *       without network, and can say what identifies its inputs for the selector cache;
 *   <li>if the selector cache has no build for those inputs, {@linkplain
 *       dev.accretion.pipeline.spi.BuildSession#resolve resolves} each target into exact packages
 *       ({@link dev.accretion.pipeline.spi.ResolvedPackage}: ecosystem, name, version, Package URL,
 *       source with its digest);
 *   <li>fetches every distinct source once into the content-addressed cache, through the session's
 *       {@linkplain dev.accretion.pipeline.spi.BuildSession#download download}, verifying the
 *       digest;
 *   <li>{@linkplain dev.accretion.pipeline.spi.BuildSession#open opens and verifies} each fetched
 *       file once (the language's own integrity checks: RECORD, tarball structure, checksums);
 *   <li>{@linkplain dev.accretion.pipeline.spi.BuildSession#install lays out} each package for each
 *       target as {@link dev.accretion.pipeline.spi.LayerFile}s under the runtime's path for the
 *       {@link dev.accretion.pipeline.spi.Placement};
 *   <li>and does the rest itself, the same for every language: path collisions and identical-file
 *       merges, the ELF check of every file against the target's machine and glibc, the size
 *       budget, sharing one zip among targets whose files come out identical, the reproducible zip,
 *       the manifest inside and beside it, the CycloneDX SBOM, the lock files the session writes,
 *       and the selector cache.
 * </ol>
 *
 * <p>Builders never print and never write outside the folders the pipeline hands them; progress and
 * warnings go through the {@link dev.accretion.pipeline.spi.BuildContext}'s listener.
 */
package dev.accretion.pipeline.spi;
