package dev.accretion.server;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Bearer tokens: {@code acc_<id>_<secret>}. Only the secret's SHA-256 is stored; a presented token
 * is found by its id and its secret's hash compared in constant time. Thread-safe.
 */
public final class Tokens {
  private static final Pattern TOKEN = Pattern.compile("acc_([0-9a-f-]{36})_([A-Za-z0-9_-]{43})");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DataSource db;
  private final Snapshots<String, Scope> accepted = new Snapshots<>(10_000);

  Tokens(DataSource db) {
    this.db = db;
  }

  /** A token as listed: never its secret. */
  public record Info(String id, String name, Scope scope, Instant created, Instant revoked) {}

  /** A new token: {@code token} is shown once and never stored. */
  public record Created(String id, String name, Scope scope, String token) {}

  Created create(Scope scope, String name) throws AccretionException {
    String id = UUID.randomUUID().toString();
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String n = name == null || name.isBlank() ? scope.id() + "-" + id.substring(0, 8) : name;
    if (n.length() > 200) {
      throw new AccretionException(
          FailureKind.USAGE, "--name: at most 200 characters", "use a shorter name", null);
    }
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO api_token (id, name, scope, token_hash, created_at) VALUES"
                    + " (?, ?, ?, ?, ?)")) {
      s.setString(1, id);
      s.setString(2, n);
      s.setString(3, scope.id());
      s.setString(4, hash(secretText));
      s.setTimestamp(5, Timestamp.from(Instant.now()));
      s.executeUpdate();
    } catch (SQLException e) {
      throw Store.failure("create a token", e);
    }
    return new Created(id, n, scope, "acc_" + id + "_" + secretText);
  }

  List<Info> list() throws AccretionException {
    List<Info> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id, name, scope, created_at, revoked_at FROM api_token ORDER BY"
                    + " created_at, id");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        Timestamp revoked = r.getTimestamp(5);
        out.add(
            new Info(
                r.getString(1),
                r.getString(2),
                Scope.of(r.getString(3)),
                r.getTimestamp(4).toInstant(),
                revoked == null ? null : revoked.toInstant()));
      }
    } catch (SQLException e) {
      throw Store.failure("list the tokens", e);
    }
    return out;
  }

  /**
   * Revokes the token with this id or name.
   *
   * @throws AccretionException not found when no token has it
   */
  Info revoke(String idOrName) throws AccretionException {
    Info revoked;
    try {
      revoked = revoke0(idOrName);
    } finally {
      accepted.clear();
    }
    // Every instance may still hold this token as accepted for up to one copy's life: return
    // only once none does, so a revoked token is refused everywhere when the command returns.
    try {
      Thread.sleep(Snapshots.TTL_NANOS / 1_000_000 + 50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return revoked;
  }

  private Info revoke0(String idOrName) throws AccretionException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE api_token SET revoked_at = ? WHERE (id = ? OR name = ?) AND revoked_at IS"
                    + " NULL")) {
      s.setTimestamp(1, Timestamp.from(Instant.now()));
      s.setString(2, idOrName);
      s.setString(3, idOrName);
      if (s.executeUpdate() == 0) {
        throw new AccretionException(
            FailureKind.NOT_FOUND,
            "no active token with id or name '" + idOrName + "'",
            "see 'accretion serve token ls'",
            null);
      }
    } catch (SQLException e) {
      throw Store.failure("revoke a token", e);
    }
    for (Info i : list()) {
      if (i.id().equals(idOrName) || i.name().equals(idOrName)) {
        return i;
      }
    }
    throw new AccretionException(FailureKind.NOT_FOUND, "token " + idOrName + " vanished");
  }

  /**
   * The scope of a presented token, or null when it is unknown, malformed or revoked. A token
   * accepted in the last {@link Snapshots#TTL_NANOS} is accepted again without a query (keyed by
   * the hash of what was presented, never the secret itself); {@link #revoke} waits that long
   * before it returns, so a token is refused everywhere once its revocation has returned.
   */
  Scope authenticate(String presented) throws AccretionException {
    Matcher m = TOKEN.matcher(presented);
    if (!m.matches()) {
      return null;
    }
    return accepted.get(hash(presented), () -> Optional.ofNullable(check(m))).orElse(null);
  }

  private Scope check(Matcher m) throws AccretionException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT token_hash, scope, revoked_at FROM api_token WHERE id = ?")) {
      s.setString(1, m.group(1));
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return null;
        }
        boolean same =
            MessageDigest.isEqual(
                r.getString(1).getBytes(StandardCharsets.US_ASCII),
                hash(m.group(2)).getBytes(StandardCharsets.US_ASCII));
        return same && r.getTimestamp(3) == null ? Scope.of(r.getString(2)) : null;
      }
    } catch (SQLException e) {
      throw Store.failure("check a token", e);
    }
  }

  static String hash(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(secret.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
