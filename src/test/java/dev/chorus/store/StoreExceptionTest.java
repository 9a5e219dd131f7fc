package dev.chorus.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.error.StoreException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class StoreExceptionTest {

    @Test
    void aLostConnectionOrAShuttingDownServerIsUnavailableNotABug() {
        assertThat(new StoreException("read", new SQLException("I/O error", "08006")).unavailable()).isTrue();
        assertThat(new StoreException("read", new SQLException("terminating connection", "57P01")).unavailable()).isTrue();
        assertThat(new StoreException("read", new RuntimeException(new SQLException("x", "08001"))).unavailable()).isTrue();
        assertThat(new StoreException("write", new SQLException("duplicate key", "23505")).unavailable()).isFalse();
    }

    @Test
    void aPoolWithNoConnectionFreeInTimeIsBusy() {
        assertThat(new StoreException("claim", new SQLException("Sorry, acquisition timeout!")).busy()).isTrue();
        assertThat(new StoreException("claim", new SQLException("Sorry, acquisition timeout!")).unavailable()).isFalse();
        assertThat(new StoreException("read", new SQLException("I/O error", "08006")).busy()).isFalse();
        assertThat(new StoreException("write", new SQLException("duplicate key", "23505")).busy()).isFalse();
    }
}
