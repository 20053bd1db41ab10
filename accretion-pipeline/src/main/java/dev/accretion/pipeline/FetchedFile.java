package dev.accretion.pipeline;

import dev.accretion.pipeline.spi.PackageSource;
import java.nio.file.Path;

/** A package file in the cache, verified against every digest its source promised. */
public record FetchedFile(PackageSource source, Path blob, String sha256, long size) {}
