package dev.accretion.server;

import dev.accretion.core.AccretionException;
import dev.accretion.core.FailureKind;
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
 * The service's records: managed layer definitions (as their API JSON) and builds. Every statement
 * is parameterized. Thread-safe.
 */
final class Store {
  private final DataSource db;
  private final Snapshots<String, Layer> layers = new Snapshots<>(10_000);

  Store(DataSource db) {
    this.db = db;
  }

  /** A stored definition. */
  record Layer(String name, String definitionJson, Instant created, Instant updated) {}

  /** A build as stored. */
  record Build(
      String id,
      String layer,
      String definitionJson,
      String status,
      String stage,
      String progress,
      String log,
      String resultJson,
      String errorJson,
      int attempts,
      String runner,
      Instant created,
      Instant started,
      Instant finished) {}

  static AccretionException failure(String what, SQLException e) {
    return new AccretionException(
        FailureKind.FAILED, "the database could not " + what + ": " + e.getMessage(), e);
  }

  /** Inserts a layer; false when one of that name exists. */
  boolean insertLayer(String name, String json) throws AccretionException {
    try {
      return insertLayer0(name, json);
    } finally {
      layers.clear();
    }
  }

  private boolean insertLayer0(String name, String json) throws AccretionException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO managed_layer (name, definition, created_at, updated_at) SELECT ?, ?,"
                    + " ?, ? WHERE NOT EXISTS (SELECT 1 FROM managed_layer WHERE name = ?)")) {
      Timestamp now = Timestamp.from(Instant.now());
      s.setString(1, name);
      s.setString(2, json);
      s.setTimestamp(3, now);
      s.setTimestamp(4, now);
      s.setString(5, name);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
        return false; // a concurrent insert of the same name won
      }
      throw failure("store a layer", e);
    }
  }

  /** Replaces a layer's definition; false when there is none. */
  boolean updateLayer(String name, String json) throws AccretionException {
    try {
      return updateLayer0(name, json);
    } finally {
      layers.clear();
    }
  }

  private boolean updateLayer0(String name, String json) throws AccretionException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE managed_layer SET definition = ?, updated_at = ? WHERE name = ?")) {
      s.setString(1, json);
      s.setTimestamp(2, Timestamp.from(Instant.now()));
      s.setString(3, name);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw failure("update a layer", e);
    }
  }

  boolean deleteLayer(String name) throws AccretionException {
    try {
      return deleteLayer0(name);
    } finally {
      layers.clear();
    }
  }

  private boolean deleteLayer0(String name) throws AccretionException {
    try (Connection c = db.getConnection();
        PreparedStatement s = c.prepareStatement("DELETE FROM managed_layer WHERE name = ?")) {
      s.setString(1, name);
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw failure("delete a layer", e);
    }
  }

  /**
   * {@link #layer}, possibly up to {@link Snapshots#TTL_NANOS} old when another instance changed
   * it: for the read-only routes, not for anything that builds or writes.
   */
  Optional<Layer> layerForRead(String name) throws AccretionException {
    return layers.get(name, () -> layer(name));
  }

  Optional<Layer> layer(String name) throws AccretionException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT name, definition, created_at, updated_at FROM managed_layer WHERE name ="
                    + " ?")) {
      s.setString(1, name);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(layerOf(r)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read a layer", e);
    }
  }

  List<Layer> layers() throws AccretionException {
    List<Layer> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT name, definition, created_at, updated_at FROM managed_layer ORDER BY"
                    + " name");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.add(layerOf(r));
      }
    } catch (SQLException e) {
      throw failure("list the layers", e);
    }
    return out;
  }

  private static Layer layerOf(ResultSet r) throws SQLException {
    return new Layer(
        r.getString(1),
        r.getString(2),
        r.getTimestamp(3).toInstant(),
        r.getTimestamp(4).toInstant());
  }

  void insertBuild(String id, String layer, String definitionJson) throws AccretionException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO build (id, layer, definition, status, log, attempts, created_at)"
                    + " VALUES (?, ?, ?, 'queued', '', 0, ?)")) {
      s.setString(1, id);
      s.setString(2, layer);
      s.setString(3, definitionJson);
      s.setTimestamp(4, Timestamp.from(Instant.now()));
      s.executeUpdate();
    } catch (SQLException e) {
      throw failure("queue a build", e);
    }
  }

  void started(String id, String runner) throws AccretionException {
    run(
        "UPDATE build SET status = 'running', started_at = ?, attempts = attempts + 1, stage ="
            + " 'starting', progress = NULL, result = NULL, error = NULL, runner = ? WHERE id = ?",
        Timestamp.from(Instant.now()),
        runner,
        id);
  }

  void stage(String id, String stage, String logLine) throws AccretionException {
    String s = stage.length() > 1000 ? stage.substring(0, 1000) : stage;
    if (logLine == null) {
      run("UPDATE build SET stage = ? WHERE id = ?", s, id);
    } else {
      // the log is bounded: lines past the column's size are dropped
      run(
          "UPDATE build SET stage = ?, log = CASE WHEN LENGTH(log) + LENGTH(?) < 999000 THEN log"
              + " || ? ELSE log END WHERE id = ?",
          s,
          logLine,
          logLine,
          id);
    }
  }

  /** What a running build is doing right now (null: nothing in particular). */
  void progress(String id, String activity) throws AccretionException {
    String a =
        activity != null && activity.length() > 1000 ? activity.substring(0, 1000) : activity;
    run("UPDATE build SET progress = ? WHERE id = ? AND status = 'running'", a, id);
  }

  void finished(String id, boolean ok, String resultJson, String errorJson)
      throws AccretionException {
    run(
        "UPDATE build SET status = ?, stage = ?, progress = NULL, result = ?, error = ?,"
            + " finished_at = ? WHERE id = ?",
        ok ? "succeeded" : "failed",
        ok ? "done" : "failed",
        resultJson,
        errorJson,
        Timestamp.from(Instant.now()),
        id);
  }

  Optional<Build> build(String id) throws AccretionException {
    List<Build> b = builds("WHERE id = ?", List.of(id), 1, 0);
    return b.isEmpty() ? Optional.empty() : Optional.of(b.get(0));
  }

  /** Builds, newest first, filtered by layer and status when given. */
  List<Build> builds(String layer, String status, int limit, int offset) throws AccretionException {
    List<String> where = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    if (layer != null) {
      where.add("layer = ?");
      args.add(layer);
    }
    if (status != null) {
      where.add("status = ?");
      args.add(status);
    }
    return builds(
        where.isEmpty() ? "" : "WHERE " + String.join(" AND ", where), args, limit, offset);
  }

  private List<Build> builds(String where, List<?> args, int limit, int offset)
      throws AccretionException {
    List<Build> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id, layer, definition, status, stage, progress, log, result, error,"
                    + " attempts, runner, created_at, started_at, finished_at FROM build "
                    + where
                    + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?")) {
      int i = 1;
      for (Object a : args) {
        s.setObject(i++, a);
      }
      s.setInt(i++, limit);
      s.setInt(i, offset);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(
              new Build(
                  r.getString(1),
                  r.getString(2),
                  r.getString(3),
                  r.getString(4),
                  r.getString(5),
                  r.getString(6),
                  r.getString(7),
                  r.getString(8),
                  r.getString(9),
                  r.getInt(10),
                  r.getString(11),
                  instant(r.getTimestamp(12)),
                  instant(r.getTimestamp(13)),
                  instant(r.getTimestamp(14))));
        }
      }
    } catch (SQLException e) {
      throw failure("read builds", e);
    }
    return out;
  }

  /** Builds by status, for the metrics. */
  java.util.Map<String, Long> buildCounts() throws AccretionException {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT status, COUNT(*) FROM build GROUP BY status");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.put(r.getString(1), r.getLong(2));
      }
    } catch (SQLException e) {
      throw failure("count builds", e);
    }
    return out;
  }

  /**
   * Takes the layer's lock for {@code holder}, or renews it when {@code holder} has it; a lock
   * whose heartbeat is older than {@code stale} is taken over. False when another holds it.
   */
  boolean lockLayer(String layer, String holder, java.time.Duration stale)
      throws AccretionException {
    Timestamp now = Timestamp.from(Instant.now());
    try (Connection c = db.getConnection()) {
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE layer_lock SET holder = ?, heartbeat = ? WHERE layer = ? AND (holder = ? OR"
                  + " heartbeat < ?)")) {
        s.setString(1, holder);
        s.setTimestamp(2, now);
        s.setString(3, layer);
        s.setString(4, holder);
        s.setTimestamp(5, Timestamp.from(Instant.now().minus(stale)));
        if (s.executeUpdate() == 1) {
          return true;
        }
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO layer_lock (layer, holder, heartbeat) SELECT ?, ?, ? WHERE NOT EXISTS"
                  + " (SELECT 1 FROM layer_lock WHERE layer = ?)")) {
        s.setString(1, layer);
        s.setString(2, holder);
        s.setTimestamp(3, now);
        s.setString(4, layer);
        return s.executeUpdate() == 1;
      } catch (SQLException e) {
        if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
          return false; // another instance inserted it first
        }
        throw e;
      }
    } catch (SQLException e) {
      throw failure("lock a layer", e);
    }
  }

  void unlockLayer(String layer, String holder) throws AccretionException {
    run("DELETE FROM layer_lock WHERE layer = ? AND holder = ?", layer, holder);
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
      throw failure("update a build", e);
    }
  }
}
