package dev.accretion.aws;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who may use a published layer version, applied with {@code AddLayerVersionPermission}. Each grant
 * becomes one policy statement with a deterministic statement id, so applying the same sharing
 * twice is a no-op and statements that Accretion granted earlier but are no longer configured are
 * revoked (statements with other ids are never touched).
 *
 * <p>Statement ids: {@code accretion-public}, {@code accretion-account-<12 digits>}, {@code
 * accretion-org-<org id>} (the AddLayerVersionPermission StatementId pattern is {@code
 * [a-zA-Z0-9-_]+}, at most 100 characters).
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface Sharing
    permits Sharing.Private, Sharing.Public, Sharing.Accounts, Sharing.Organization, Sharing.All {

  /** The statement id prefix that marks statements Accretion manages. */
  String STATEMENT_PREFIX = "accretion-";

  /** One statement: its id, principal ({@code *} or an account id) and optional org id. */
  record Grant(String statementId, String principal, String organizationId) {
    /** organizationId may be null. */
    public Grant {
      if (statementId == null || principal == null) {
        throw new IllegalArgumentException("statementId and principal are required");
      }
    }
  }

  /** The statements this sharing needs, keyed by statement id, in a stable order. */
  default Map<String, Grant> grants() {
    Map<String, Grant> out = new LinkedHashMap<>();
    collect(this, out);
    return java.util.Collections.unmodifiableMap(out);
  }

  private static void collect(Sharing sharing, Map<String, Grant> out) {
    switch (sharing) {
      case Private p -> {}
      case Public p -> out.put("accretion-public", new Grant("accretion-public", "*", null));
      case Accounts a -> {
        for (String id : a.accountIds()) {
          String sid = "accretion-account-" + id;
          out.put(sid, new Grant(sid, id, null));
        }
      }
      case Organization o -> {
        String sid = "accretion-org-" + o.organizationId();
        // An organization grant is Principal "*" restricted by OrganizationId (Lambda API).
        out.put(sid, new Grant(sid, "*", o.organizationId()));
      }
      case All all -> all.parts().forEach(part -> collect(part, out));
    }
  }

  /** Only the owning account may use the layer. */
  static Sharing privateOnly() {
    return new Private();
  }

  /** Every AWS account may use the layer. */
  static Sharing publicAccess() {
    return new Public();
  }

  /** The listed accounts may use the layer. */
  static Sharing accounts(List<String> accountIds) {
    return new Accounts(accountIds);
  }

  /** Every account of the organization may use the layer. */
  static Sharing organization(String organizationId) {
    return new Organization(organizationId);
  }

  /** Several grants at once, for example two accounts and an organization. */
  static Sharing all(List<Sharing> parts) {
    return new All(parts);
  }

  /**
   * Parses sharing as the CLI ({@code --share}) and {@code accretion.toml} write it: each entry is
   * {@code private}, {@code public}, a 12-digit account id, or an organization id ({@code
   * o-a1b2c3d4e5}, also written {@code org:o-a1b2c3d4e5}). {@code private} alone (or no entry at
   * all) means no grants; it cannot be combined with grants.
   *
   * @throws AccretionException naming every bad entry and the accepted forms
   */
  static Sharing parse(List<String> entries) throws AccretionException {
    List<Sharing> parts = new ArrayList<>();
    java.util.Set<String> accounts = new java.util.LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    boolean privateGiven = false;
    boolean publicGiven = false;
    for (String raw : entries) {
      String e = raw.strip();
      try {
        if (e.equals("private")) {
          privateGiven = true;
        } else if (e.equals("public")) {
          if (!publicGiven) {
            parts.add(publicAccess());
          }
          publicGiven = true;
        } else if (e.matches("\\d+")) {
          new Accounts(List.of(e)); // checks the 12 digits
          accounts.add(e);
        } else if (e.startsWith("org:") || e.startsWith("o-")) {
          Sharing org = organization(e.startsWith("org:") ? e.substring(4) : e);
          if (!parts.contains(org)) {
            parts.add(org);
          }
        } else {
          problems.add(
              "'"
                  + e
                  + "' is not private, public, a 12-digit account id or an organization id"
                  + " (org:o-...)");
        }
      } catch (IllegalArgumentException ex) {
        problems.add(ex.getMessage());
      }
    }
    if (!accounts.isEmpty()) {
      parts.add(accounts(List.copyOf(accounts)));
    }
    if (privateGiven && !parts.isEmpty()) {
      problems.add("sharing 'private' cannot be combined with grants; drop it or the grants");
    }
    if (!problems.isEmpty()) {
      throw new AccretionException(FailureKind.BAD_INPUT, String.join("; ", problems));
    }
    return parts.isEmpty() ? privateOnly() : parts.size() == 1 ? parts.get(0) : all(parts);
  }

  /** Words for people: {@code private}, or the grants joined, e.g. {@code public, 123456789012}. */
  default String describe() {
    Map<String, Grant> g = grants();
    if (g.isEmpty()) {
      return "private";
    }
    List<String> out = new ArrayList<>();
    for (Grant grant : g.values()) {
      out.add(
          grant.organizationId() != null
              ? "org:" + grant.organizationId()
              : grant.principal().equals("*") ? "public" : grant.principal());
    }
    return String.join(", ", out);
  }

  /** No grants: only the owning account. */
  record Private() implements Sharing {}

  /** Principal {@code *}: any account. */
  record Public() implements Sharing {}

  /** Twelve-digit account ids; at least one. */
  record Accounts(List<String> accountIds) implements Sharing {
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

    public Accounts {
      accountIds = List.copyOf(accountIds);
      if (accountIds.isEmpty()) {
        throw new IllegalArgumentException("sharing with accounts needs at least one account id");
      }
      for (String id : accountIds) {
        if (!ACCOUNT.matcher(id).matches()) {
          throw new IllegalArgumentException(
              "account id '" + id + "' is not 12 digits; write it like 123456789012");
        }
      }
      accountIds = List.copyOf(new ArrayList<>(new java.util.TreeSet<>(accountIds)));
    }
  }

  /** An AWS Organizations id such as {@code o-a1b2c3d4e5}. */
  record Organization(String organizationId) implements Sharing {
    // The OrganizationId pattern of AddLayerVersionPermission.
    private static final Pattern ORG = Pattern.compile("o-[a-z0-9]{10,32}");

    public Organization {
      if (organizationId == null || !ORG.matcher(organizationId).matches()) {
        throw new IllegalArgumentException(
            "organization id '"
                + organizationId
                + "' does not match o-[a-z0-9]{10,32}; copy it from the AWS Organizations console");
      }
    }
  }

  /** A combination of the other kinds. */
  record All(List<Sharing> parts) implements Sharing {
    public All {
      parts = List.copyOf(parts);
    }
  }
}
