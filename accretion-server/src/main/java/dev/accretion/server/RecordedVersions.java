package dev.accretion.server;

import dev.accretion.app.Environment;
import dev.accretion.app.Json;
import dev.accretion.app.publish.AwsAccess;
import dev.accretion.app.service.ImportVersions;
import dev.accretion.core.AccretionException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The published versions the service has recorded, per layer and region ({@code layer_version}):
 * written when a build finishes and by import ({@link ImportVersions}, which asks AWS), read by
 * {@code /versions} and {@code /arn} without asking AWS. Thread-safe.
 */
final class RecordedVersions {
  private final DataSource db;
  private final Environment environment;
  private final AwsAccess aws;
  private final Snapshots<List<String>, Listing> listings = new Snapshots<>(10_000);

  RecordedVersions(DataSource db, Environment environment, AwsAccess aws) {
    this.db = db;
    this.environment = environment;
    this.aws = aws;
  }

  /** One recorded version. */
  record Row(
      String lambdaLayer,
      long version,
      String arn,
      String digest,
      List<String> runtimes,
      List<String> architectures,
      Long codeSize,
      Integer packages,
      String created) {
    Map<String, Object> tree() {
      Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("lambdaLayer", lambdaLayer);
      m.put("version", version);
      m.put("layerVersionArn", arn);
      m.put("created", created);
      m.put("digest", digest);
      m.put("runtimes", runtimes);
      m.put("architectures", architectures);
      m.put("size", codeSize);
      m.put("packages", packages);
      return m;
    }
  }

  /** A region's recorded listing and when it was read from AWS. */
  record Listing(Instant refreshed, List<Row> rows) {}

  /**
   * The recorded listing, or empty when this layer's region was never read; possibly up to {@link
   * Snapshots#TTL_NANOS} old when another instance recorded versions since.
   */
  Optional<Listing> listing(String layer, String region) throws AccretionException {
    return listings.get(List.of(layer, region), () -> read(layer, region));
  }

  private Optional<Listing> read(String layer, String region) throws AccretionException {
    try (Connection c = db.getConnection()) {
      Instant refreshed;
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT refreshed_at FROM layer_version_listing WHERE layer = ? AND region = ?")) {
        s.setString(1, layer);
        s.setString(2, region);
        try (ResultSet r = s.executeQuery()) {
          if (!r.next()) {
            return Optional.empty();
          }
          refreshed = r.getTimestamp(1).toInstant();
        }
      }
      return Optional.of(new Listing(refreshed, List.copyOf(rows(c, layer, region))));
    } catch (SQLException e) {
      throw Store.failure("read the recorded versions", e);
    }
  }

  private static List<Row> rows(Connection c, String layer, String region) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT lambda_layer, version, arn, digest, runtimes, architectures, code_size,"
                + " packages, created FROM layer_version WHERE layer = ? AND region = ? ORDER BY"
                + " lambda_layer, version DESC")) {
      s.setString(1, layer);
      s.setString(2, region);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          long size = r.getLong(7);
          Long codeSize = r.wasNull() ? null : size;
          int n = r.getInt(8);
          Integer packages = r.wasNull() ? null : n;
          out.add(
              new Row(
                  r.getString(1),
                  r.getLong(2),
                  r.getString(3),
                  r.getString(4),
                  strings(r.getString(5)),
                  strings(r.getString(6)),
                  codeSize,
                  packages,
                  r.getString(9)));
        }
      }
    }
    return out;
  }

  private static List<String> strings(String json) {
    List<String> out = new ArrayList<>();
    Json.tree(json).forEach(n -> out.add(n.asText()));
    return out;
  }

  /**
   * Reads the layer's versions in a region from AWS and records them, replacing the region's
   * recorded listing (a version gone from AWS goes from the record too). Versions recorded already
   * keep their size without being described again.
   *
   * @return the import's result (what AWS holds now)
   */
  ImportVersions.Result refresh(String layer, String region) throws AccretionException {
    try {
      return record(layer, region);
    } finally {
      listings.clear();
    }
  }

  private ImportVersions.Result record(String layer, String region) throws AccretionException {
    Map<String, Row> known = new HashMap<>();
    Optional<Listing> before = read(layer, region);
    before.ifPresent(l -> l.rows().forEach(r -> known.put(r.arn(), r)));
    ImportVersions.Result found =
        new ImportVersions(environment)
            .find(new ImportVersions.Request(layer, region, known.keySet(), aws));
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement s =
            c.prepareStatement("DELETE FROM layer_version WHERE layer = ? AND region = ?")) {
          s.setString(1, layer);
          s.setString(2, region);
          s.executeUpdate();
        }
        try (PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO layer_version (layer, region, lambda_layer, version, arn, digest,"
                    + " runtimes, architectures, code_size, packages, created) VALUES (?, ?, ?, ?,"
                    + " ?, ?, ?, ?, ?, ?, ?)")) {
          for (ImportVersions.Version v : found.versions()) {
            Row old = known.get(v.layerVersionArn());
            Long size = v.codeSize() != null ? v.codeSize() : old == null ? null : old.codeSize();
            Integer packages =
                v.packages() != null ? v.packages() : old == null ? null : old.packages();
            s.setString(1, layer);
            s.setString(2, region);
            s.setString(3, v.lambdaLayer());
            s.setLong(4, v.version());
            s.setString(5, v.layerVersionArn());
            s.setString(6, v.digest());
            s.setString(7, Json.write(v.runtimes()));
            s.setString(8, Json.write(v.architectures()));
            s.setObject(9, size, java.sql.Types.BIGINT);
            s.setObject(10, packages, java.sql.Types.INTEGER);
            s.setString(11, v.created());
            s.addBatch();
          }
          s.executeBatch();
        }
        try (PreparedStatement s =
            c.prepareStatement(
                "DELETE FROM layer_version_listing WHERE layer = ? AND region = ?")) {
          s.setString(1, layer);
          s.setString(2, region);
          s.executeUpdate();
        }
        try (PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO layer_version_listing (layer, region, refreshed_at) VALUES (?, ?,"
                    + " ?)")) {
          s.setString(1, layer);
          s.setString(2, region);
          s.setTimestamp(3, Timestamp.from(Instant.now()));
          s.executeUpdate();
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
          return found; // another instance recorded the same listing at the same moment
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw Store.failure("record the versions", e);
    }
    return found;
  }

  /** The recorded listing, read from AWS first when there is none yet. */
  Listing listingOrRefresh(String layer, String region) throws AccretionException {
    Optional<Listing> l = listing(layer, region);
    if (l.isPresent()) {
      return l.get();
    }
    refresh(layer, region);
    return listing(layer, region).orElseThrow();
  }
}
