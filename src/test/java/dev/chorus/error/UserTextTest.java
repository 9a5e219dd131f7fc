package dev.chorus.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 16, item 7: a worker's text cannot forge a log line, flood the log or fill the database. */
class UserTextTest {

    @Test
    void aLineBreakCannotForgeALogLine() {
        String forged = "oom\n10:00:00 INFO  [d.c.a.TokenService] Token 9 'ops' (admin) created by admin\r\u001b[2J";
        assertThat(UserText.loggable(forged)).doesNotContain("\n", "\r", "\u001b")
                .isEqualTo("oom\\n10:00:00 INFO  [d.c.a.TokenService] Token 9 'ops' (admin) created by admin\\r"
                        + "\\u001b[2J");
        assertThat(UserText.loggable("a\u2028b\\n")).isEqualTo("a\\u2028b\\\\n");
    }

    @Test
    void longTextIsCappedInTheLogAndInTheDatabase() {
        String flood = "x".repeat(2_000_000);
        assertThat(UserText.loggable(flood)).startsWith("x".repeat(UserText.LOGGED_MAX))
                .endsWith("[1999700 more characters cut]").hasSizeLessThan(UserText.LOGGED_MAX + 40);
        assertThat(UserText.storable(flood)).hasSizeLessThan(UserText.STORED_MAX + 40);
        assertThat(UserText.storable("null\u0000byte")).isEqualTo("null\uFFFDbyte");
        assertThat(UserText.storable(null)).isNull();
        assertThat(UserText.storable("short")).isEqualTo("short");
    }

    @Test
    void aSurrogatePairIsNeverCutInHalf() {
        String text = "x".repeat(UserText.LOGGED_MAX - 1) + "\uD83D\uDE00" + "tail";
        assertThat(UserText.loggable(text)).isEqualTo("x".repeat(UserText.LOGGED_MAX - 1) + " [6 more characters cut]");
    }
}
