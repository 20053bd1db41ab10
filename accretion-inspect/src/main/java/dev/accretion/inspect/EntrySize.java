package dev.accretion.inspect;

/**
 * One file's size. Immutable.
 *
 * @param path the file
 * @param unzippedBytes uncompressed size
 * @param zippedBytes stored size
 */
public record EntrySize(String path, long unzippedBytes, long zippedBytes) {}
