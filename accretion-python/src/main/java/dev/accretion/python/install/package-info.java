/**
 * Installing wheels into Lambda layers without an interpreter: {@link
 * dev.accretion.python.install.WheelInspector} verifies a wheel once (zip structure, {@code
 * .dist-info}, names and versions, {@code Wheel-Version}, RECORD hashes and sizes, ELF facts of
 * every native file), and {@link dev.accretion.python.install.WheelInstaller} lays it out for one
 * target ({@link dev.accretion.python.install.Layout}, scripts, {@link
 * dev.accretion.python.install.Slimming}, a true RECORD and INSTALLER), refusing native code for
 * another machine or a newer glibc. The result is a list of {@link
 * dev.accretion.python.install.LayerFile}s: raw copies of wheel entries (never recompressed) and
 * the few files Accretion writes (stored).
 */
package dev.accretion.python.install;
