package dev.accretion.server;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The database as the API and the job runner see it while the service starts: every connection
 * asked for before the database is open and migrated fails with a transient error (the API answers
 * 503 then), after that it comes from the real pool.
 */
final class DeferredDataSource implements DataSource {
  private volatile DataSource target;

  void open(DataSource ds) {
    target = ds;
  }

  boolean isOpen() {
    return target != null;
  }

  private DataSource target() throws SQLException {
    DataSource t = target;
    if (t == null) {
      throw new SQLTransientConnectionException(
          "the database is not open yet (the service is starting)");
    }
    return t;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return target().getConnection();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return target().getConnection(username, password);
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return target().unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || (target != null && target.isWrapperFor(iface));
  }
}
