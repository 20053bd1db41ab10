/**
 * Installing wheels into Lambda layers without an interpreter: {@link
 * dev.accretion.python.install.WheelInspector} verifies a wheel once (zip structure, {@code
 * .dist-info}, names and versions, {@code Wheel-Version}, RECORD hashes and sizes, ELF facts of
 * every native file), and {@link dev.accretion.python.install.WheelInstaller} lays it out for one
 * target ({@link dev.accretion.python.install.Layout}, scripts, {@link
 * dev.accretion.python.install.Slimming}, a true RECORD and INSTALLER). The result is a list of the
 * pipeline's {@link dev.accretion.pipeline.spi.LayerFile}s: raw copies of wheel entries (never
 * recompressed, with their ELF facts for the pipeline's machine and glibc check) and the few files
 * Accretion writes (stored).
 */
package dev.accretion.python.install;
