package dev.chorus.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    private static ZonedDateTime at(String local) {
        return java.time.LocalDateTime.parse(local).atZone(UTC);
    }

    @Test
    void nightlyOnWeekdays() {
        Cron cron = Cron.parse("0 22 * * mon-fri");
        assertThat(cron.next(at("2026-11-23T09:00"))).isEqualTo(at("2026-11-23T22:00")); // a Monday
        assertThat(cron.next(at("2026-11-23T22:00"))).as("strictly after").isEqualTo(at("2026-11-24T22:00"));
        assertThat(cron.next(at("2026-11-27T23:00"))).as("Friday night to Monday").isEqualTo(at("2026-11-30T22:00"));
    }

    @Test
    void stepsListsAndNames() {
        assertThat(Cron.parse("*/15 * * * *").next(at("2026-01-01T10:07"))).isEqualTo(at("2026-01-01T10:15"));
        assertThat(Cron.parse("30 8-18/4 * * *").next(at("2026-01-01T13:00"))).isEqualTo(at("2026-01-01T16:30"));
        assertThat(Cron.parse("0 0 1,15 feb *").next(at("2026-01-20T00:00"))).isEqualTo(at("2026-02-01T00:00"));
        assertThat(Cron.parse("0 12 * * 7").next(at("2026-11-23T00:00"))).as("7 is Sunday").isEqualTo(at("2026-11-29T12:00"));
        assertThat(Cron.parse("0 0 13 * fri").next(at("2026-11-23T00:00")))
                .as("either day field matches when both are set").isEqualTo(at("2026-11-27T00:00"));
        assertThat(Cron.parse("0 0 29 2 *").next(at("2026-03-01T00:00"))).as("leap day").isEqualTo(at("2028-02-29T00:00"));
    }

    @Test
    void mistakesNameTheField() {
        assertThatThrownBy(() -> Cron.parse("0 22 * *")).hasMessageContaining("has 4 field(s); it needs five fields");
        assertThatThrownBy(() -> Cron.parse("0 24 * * *")).hasMessageContaining("cron hour '24' is not valid: Value 24 not in range [0, 23]");
        assertThatThrownBy(() -> Cron.parse("0 0 * foo *")).hasMessageContaining("cron month 'foo' is not valid");
        assertThatThrownBy(() -> Cron.parse("0 0 5-1 * *")).hasMessageContaining("cron day-of-month '5-1' is not valid: Invalid range! [5,1]");
        assertThatThrownBy(() -> Cron.parse("0 0 31 2 *").next(at("2026-01-01T00:00"))).hasMessageContaining("never matches");
    }
}
