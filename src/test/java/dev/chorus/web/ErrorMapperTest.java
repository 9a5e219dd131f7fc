package dev.chorus.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.error.StoreException;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** What a request gets when the database cannot serve it: a 503 to retry, with what happened in words. */
class ErrorMapperTest {

    private final ErrorMapper mapper = new ErrorMapper(null, null);

    @Test
    void noConnectionFreeInTimeIsBusyNotABug() {
        Response r = mapper.store(new StoreException("could not claim a trial for w",
                new SQLException("Sorry, acquisition timeout!")));
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(((ErrorMapper.ApiError) r.getEntity()).error()).contains("busy").doesNotContain("acquisition", "Sorry");
    }

    @Test
    void anUnreachableDatabaseIsUnavailable() {
        Response r = mapper.store(new StoreException("read", new SQLException("I/O error", "08006")));
        assertThat(r.getStatus()).isEqualTo(503);
        assertThat(r.getHeaderString("Retry-After")).isEqualTo("5");
    }
}
