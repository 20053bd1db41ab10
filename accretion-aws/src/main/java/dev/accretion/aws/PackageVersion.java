package dev.accretion.aws;

/** A package installed in a layer version, as its manifest lists it. Both fields non-null. */
public record PackageVersion(String name, String version) {
  public PackageVersion {
    if (name == null || name.isEmpty() || version == null) {
      throw new IllegalArgumentException("a manifest package needs a name and a version");
    }
  }
}
