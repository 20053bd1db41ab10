package dev.accretion.server;

import dev.accretion.core.AccretionException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The records of scheduled and upstream rebuilds (migration V3): why each build ran and what it
 * changed, upstream release events, and the validators of the index pages polled. Every statement
 * is parameterized. Thread-safe.
 */
final class FreshStore {
  private final DataSource db;

  FreshStore(DataSource db) {
    this.db = db;
  }

  /** Why a build ran and what it changed; outcome null until it finished. */
  record Outcome(
      String buildId,
      String layer,
      String cause,
      String outcome,
      String packagesJson,
      String changesJson,
      String versionsJson,
      Instant created,
      Instant finished) {}

  /** A release seen upstream for a layer. */
  record Event(
      String id,
      String layer,
      String ecosystem,
      String name,
      String version,
      String source,
      Instant seen,
      String buildId) {}

  /** The last answer of a polled page. */
  record Page(String url, String etag, String lastModified, String filesJson) {}

  /** Records the cause of a queued build (once). */
  void cause(String buildId, String layer, String cause) throws AccretionException {
    run(
        "INSERT INTO build_outcome (build_id, layer, cause, created_at) SELECT ?, ?, ?, ? WHERE"
            + " NOT EXISTS (SELECT 1 FROM build_outcome WHERE build_id = ?)",
        buildId,
        layer,
        cause,
        Timestamp.from(Instant.now()),
        buildId);
  }

  void finished(
      String buildId,
      String layer,
      String outcome,
      String packagesJson,
      String changesJson,
      String versionsJson)
      throws AccretionException {
    cause(buildId, layer, "request");
    run(
        "UPDATE build_outcome SET outcome = ?, packages = ?, changes = ?, versions = ?,"
            + " finished_at = ? WHERE build_id = ?",
        outcome,
        packagesJson,
        changesJson,
        versionsJson,
        Timestamp.from(Instant.now()),
        buildId);
  }

  Optional<Outcome> outcome(String buildId) throws AccretionException {
    List<Outcome> o = outcomes("WHERE build_id = ?", buildId, 1);
    return o.isEmpty() ? Optional.empty() : Optional.of(o.get(0));
  }

  /** The finished outcomes of a layer, newest first. */
  List<Outcome> finishedOutcomes(String layer, int limit) throws AccretionException {
    return outcomes("WHERE layer = ? AND finished_at IS NOT NULL", layer, limit);
  }

  private List<Outcome> outcomes(String where, String arg, int limit) throws AccretionException {
    List<Outcome> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT build_id, layer, cause, outcome, packages, changes, versions, created_at,"
                    + " finished_at FROM build_outcome "
                    + where
                    + " ORDER BY finished_at DESC, created_at DESC LIMIT ?")) {
      s.setString(1, arg);
      s.setInt(2, limit);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(
              new Outcome(
                  r.getString(1),
                  r.getString(2),
                  r.getString(3),
                  r.getString(4),
                  r.getString(5),
                  r.getString(6),
                  r.getString(7),
                  instant(r.getTimestamp(8)),
                  instant(r.getTimestamp(9))));
        }
      }
    } catch (SQLException e) {
      throw Store.failure("read build outcomes", e);
    }
    return out;
  }

  /** Records an event; false when this release was already recorded for the layer. */
  boolean insertEvent(Event e) throws AccretionException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO upstream_event (id, layer, ecosystem, package, version, source,"
                    + " seen_at) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM"
                    + " upstream_event WHERE layer = ? AND ecosystem = ? AND package = ? AND"
                    + " version = ?)")) {
      s.setString(1, e.id());
      s.setString(2, e.layer());
      s.setString(3, e.ecosystem());
      s.setString(4, e.name());
      s.setString(5, e.version());
      s.setString(6, e.source());
      s.setTimestamp(7, Timestamp.from(e.seen()));
      s.setString(8, e.layer());
      s.setString(9, e.ecosystem());
      s.setString(10, e.name());
      s.setString(11, e.version());
      return s.executeUpdate() == 1;
    } catch (SQLException x) {
      if (x.getSQLState() != null && x.getSQLState().startsWith("23")) {
        return false;
      }
      throw Store.failure("record an event", x);
    }
  }

  void eventBuild(String eventId, String buildId) throws AccretionException {
    run("UPDATE upstream_event SET build_id = ? WHERE id = ?", buildId, eventId);
  }

  /** Events, newest first, of one layer when given. */
  List<Event> events(String layer, int limit) throws AccretionException {
    List<Event> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id, layer, ecosystem, package, version, source, seen_at, build_id FROM"
                    + " upstream_event"
                    + (layer == null ? "" : " WHERE layer = ?")
                    + " ORDER BY seen_at DESC, id LIMIT ?")) {
      int i = 1;
      if (layer != null) {
        s.setString(i++, layer);
      }
      s.setInt(i, limit);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(
              new Event(
                  r.getString(1),
                  r.getString(2),
                  r.getString(3),
                  r.getString(4),
                  r.getString(5),
                  r.getString(6),
                  instant(r.getTimestamp(7)),
                  r.getString(8)));
        }
      }
    } catch (SQLException e) {
      throw Store.failure("read events", e);
    }
    return out;
  }

  Optional<Page> page(String url) throws AccretionException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT url, etag, last_modified, files FROM upstream_page WHERE url = ?")) {
      s.setString(1, url);
      try (ResultSet r = s.executeQuery()) {
        return r.next()
            ? Optional.of(new Page(r.getString(1), r.getString(2), r.getString(3), r.getString(4)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw Store.failure("read a polled page", e);
    }
  }

  void savePage(Page p) throws AccretionException {
    Timestamp now = Timestamp.from(Instant.now());
    try (Connection c = db.getConnection()) {
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE upstream_page SET etag = ?, last_modified = ?, files = ?, checked_at = ?"
                  + " WHERE url = ?")) {
        s.setString(1, p.etag());
        s.setString(2, p.lastModified());
        s.setString(3, p.filesJson());
        s.setTimestamp(4, now);
        s.setString(5, p.url());
        if (s.executeUpdate() == 1) {
          return;
        }
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO upstream_page (url, etag, last_modified, files, checked_at) VALUES (?,"
                  + " ?, ?, ?, ?)")) {
        s.setString(1, p.url());
        s.setString(2, p.etag());
        s.setString(3, p.lastModified());
        s.setString(4, p.filesJson());
        s.setTimestamp(5, now);
        s.executeUpdate();
      }
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
        return; // another instance saved it
      }
      throw Store.failure("save a polled page", e);
    }
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  private void run(String sql, Object... args) throws AccretionException {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    } catch (SQLException e) {
      throw Store.failure("update the build records", e);
    }
  }
}
