package dev.accretion.inspect;

/**
 * Files under one folder. Immutable.
 *
 * @param path the folder ({@code python}, {@code python/numpy.libs}); {@code ""} for the zip's root
 * @param files how many files
 * @param unzippedBytes their sizes, uncompressed
 * @param zippedBytes their sizes, as stored
 */
public record FolderSize(String path, int files, long unzippedBytes, long zippedBytes) {}
