package dev.chorus.study;

import org.jboss.logging.MDC;

/**
 * The study and trial a log line is about, as {@code study=3 trial=12} after the logger's name
 * ({@code %X{chorus}} in the log format), so lines can be filtered by id. Use with try-with-resources on
 * the thread that logs.
 */
public final class LogContext implements AutoCloseable {

    static final String KEY = "chorus";

    private final Object previous;

    private LogContext(String value) {
        this.previous = MDC.get(KEY);
        MDC.put(KEY, value);
    }

    public static LogContext study(long studyId) {
        return new LogContext(" study=" + studyId);
    }

    public static LogContext trial(long studyId, int trialNumber) {
        return new LogContext(" study=" + studyId + " trial=" + trialNumber);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, previous);
        }
    }
}
