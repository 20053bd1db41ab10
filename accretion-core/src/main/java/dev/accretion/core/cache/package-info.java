/**
 * The content-addressed cache shared by every build on a machine (design: "Cache").
 *
 * <p>Entry point: {@link dev.accretion.core.cache.Cache#open Cache.open}({@link
 * dev.accretion.core.cache.CacheLocation#resolve CacheLocation.resolve(flag, env, home)},
 * listener). It gives a {@link dev.accretion.core.cache.ContentStore} (blobs by sha256: {@code
 * put}, {@code get}, {@code fetch}), a {@link dev.accretion.core.cache.SelectorIndex} (build inputs
 * → {@link dev.accretion.core.cache.ArtifactRecord}, keyed by {@link
 * dev.accretion.core.cache.SelectorKey}), and {@code ls}, {@code verify} and {@code gc} for {@code
 * accretion cache}.
 *
 * <p>Rules, and where they are enforced:
 *
 * <ul>
 *   <li>Writes: temp file in the cache's {@code tmp/}, hashed while written, fsync, read-only,
 *       published by hard link (never replaces), folder fsync ({@code ContentStore}).
 *   <li>Reads verify the digest; a corrupt blob goes to {@code quarantine/} and is a miss.
 *   <li>Processes share the cache safely: content addressing plus no-clobber publish make
 *       concurrent stores of one blob harmless; per-digest locks ({@code FileChannel.lock}) only
 *       de-duplicate downloads; removal happens under the digest lock after a re-check.
 *   <li>gc removes only what is older than a grace period and unused per the {@code access/}
 *       markers the store maintains (not the file system's atime).
 *   <li>The library never prints: every event goes to a {@link
 *       dev.accretion.core.cache.CacheListener}; expected failures are {@link
 *       dev.accretion.core.cache.CacheException}s that name the path and what to do.
 * </ul>
 */
package dev.accretion.core.cache;
