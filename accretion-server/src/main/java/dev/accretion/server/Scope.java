package dev.accretion.server;

/** What a token may do: read, also write, also administer. */
public enum Scope {
  READ,
  WRITE,
  ADMIN;

  /** Whether this scope allows what {@code needed} allows. */
  boolean covers(Scope needed) {
    return ordinal() >= needed.ordinal();
  }

  /** {@code read}, {@code write}, {@code admin}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The scope of an id, or null. */
  public static Scope of(String id) {
    for (Scope s : values()) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    return null;
  }
}
