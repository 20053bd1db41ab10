import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

/** Connects to the PostgreSQL server of the machine (127.0.0.1:5432, user postgres). */
public class Handler {
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
        ResultSet r = c.createStatement().executeQuery("select 40 + 2")) {
      r.next();
      if (r.getInt(1) != 42) throw new AssertionError();
      System.out.println("OK " + c.getMetaData().getDriverName() + " " + c.getMetaData().getDriverVersion());
    }
  }
}
