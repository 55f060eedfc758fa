import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The primary of the execution {@code primary} and the two streaming replicas of the execution
 * {@code replicas}: a row written on the primary can be read on each replica.
 */
class PostgresReplicasIT {
  private static final Duration REPLICATION = Duration.ofSeconds(30);

  @Test
  void aRowWrittenOnThePrimaryIsReadOnBothReplicas() throws SQLException {
    String primary = System.getProperty("primary.hosts");
    String[] replicas = System.getProperty("replicas.hosts").split(",");
    assertEquals(2, replicas.length, "replicas.hosts: " + String.join(",", replicas));
    try (Connection db = connect(primary); Statement sql = db.createStatement()) {
      assertEquals("f", one(sql, "select pg_is_in_recovery()"), "the primary is in recovery");
      assertEquals("2", await(sql, "select count(*) from pg_stat_replication where state = 'streaming'", "2"));
      sql.execute("create table greeting (text varchar(40))");
      sql.execute("insert into greeting values ('written on the primary')");
    }
    for (String replica : replicas) {
      try (Connection db = connect(replica); Statement sql = db.createStatement()) {
        assertEquals("t", one(sql, "select pg_is_in_recovery()"), replica + " is a standby");
        assertEquals("written on the primary", await(sql, "select max(text) from greeting", "written on the primary"));
      }
    }
  }

  /**
   * The query's value once it is {@code expected} (replication takes its time), or the last one
   * after a bounded wait: one query every 50 ms. A table that has not arrived yet counts as no value.
   */
  private static String await(Statement sql, String query, String expected) throws SQLException {
    Instant deadline = Instant.now().plus(REPLICATION);
    while (true) {
      String value = null;
      try {
        value = one(sql, query);
      } catch (SQLException notYet) {
        if (!"42P01".equals(notYet.getSQLState())) { // 42P01: undefined table
          throw notYet;
        }
      }
      if (expected.equals(value) || Instant.now().isAfter(deadline)) {
        return value;
      }
      try (ResultSet pause = sql.executeQuery("select pg_sleep(0.05)")) {
        pause.next();
      }
    }
  }

  private static Connection connect(String host) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + host + "/postgres?user=postgres");
  }

  private static String one(Statement sql, String query) throws SQLException {
    try (ResultSet rows = sql.executeQuery(query)) {
      assertTrue(rows.next(), query);
      return rows.getString(1);
    }
  }
}
