package dev.chorus.error;

/**
 * Text that someone outside Chorus wrote (a worker's error or release reason, a receiver's answer), made
 * safe to store and to log. Stored text is capped at {@value #STORED_MAX} characters and has NUL (which
 * PostgreSQL cannot store) replaced; logged text has every control character escaped, so a line break
 * in it cannot forge a log line, and is capped at {@value #LOGGED_MAX} characters, so it cannot flood the
 * log. Pure functions; {@code null} stays {@code null}.
 */
public final class UserText {

    /** Characters of a stored error or reason: enough for a stack trace's head, not for a flood. */
    public static final int STORED_MAX = 4_096;
    /** Characters of user text in one log line. */
    public static final int LOGGED_MAX = 300;

    private UserText() {
    }

    /** {@code text} as it may be stored: at most {@link #STORED_MAX} characters, no NUL. */
    public static String storable(String text) {
        return text == null ? null : cap(text.replace('\u0000', '\uFFFD'), STORED_MAX);
    }

    /** {@code text} as it may appear inside a log line: one line, control characters escaped, capped. */
    public static String loggable(String text) {
        if (text == null) {
            return null;
        }
        String capped = cap(text, LOGGED_MAX);
        StringBuilder out = new StringBuilder(capped.length() + 16);
        capped.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }

    private static String cap(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + " [" + (text.length() - end) + " more characters cut]";
    }
}
