package dev.chorus.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A standard five-field Unix cron expression ({@code minute hour day-of-month month day-of-week}), parsed
 * and evaluated by cron-utils with its Unix definition: {@code *}, lists ({@code 1,15}), ranges
 * ({@code 1-5}), steps ({@code *}{@code /15}, {@code 8-18/2}), month and weekday names ({@code jan},
 * {@code mon}; Sunday is 0 or 7), and the rule that when both day fields are restricted a day matching
 * either one counts. This class only words cron-utils' errors for a person and checks that an expression
 * can fire. Immutable and thread-safe.
 */
public final class Cron {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final String FORMAT = "five fields, minute hour day-of-month month day-of-week, "
            + "e.g. '0 22 * * mon-fri' for 22:00 on weekdays";

    private final String text;
    private final ExecutionTime execution;

    private Cron(String text, ExecutionTime execution) {
        this.text = text;
        this.execution = execution;
    }

    /** @throws IllegalArgumentException saying what is wrong and what a cron expression looks like */
    public static Cron parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("cron: give " + FORMAT);
        }
        String trimmed = text.trim().replaceAll("\\s+", " ");
        int fields = trimmed.split(" ").length;
        if (fields != 5) {
            throw new IllegalArgumentException("cron '" + trimmed + "' has " + fields + " field(s); it needs " + FORMAT);
        }
        try {
            return new Cron(trimmed, ExecutionTime.forCron(PARSER.parse(trimmed)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(fault(trimmed.split(" ")).orElse("cron '" + trimmed + "' is not valid: "
                    + reason(e)) + "; it needs " + FORMAT);
        }
    }

    private static final String[] FIELDS = {"minute", "hour", "day-of-month", "month", "day-of-week"};

    /** Which field cron-utils refuses, found by parsing each field alone with the others {@code *}. */
    private static Optional<String> fault(String[] parts) {
        for (int i = 0; i < parts.length; i++) {
            String[] alone = {"*", "*", "*", "*", "*"};
            alone[i] = parts[i];
            try {
                PARSER.parse(String.join(" ", alone));
            } catch (IllegalArgumentException e) {
                return Optional.of("cron " + FIELDS[i] + " '" + parts[i] + "' is not valid: " + reason(e));
            }
        }
        return Optional.empty();
    }

    private static String reason(IllegalArgumentException e) {
        return String.valueOf(e.getMessage()).replace("Failed to parse cron expression. ", "");
    }

    /**
     * The first time strictly after {@code after} that the expression matches, in {@code after}'s zone.
     *
     * @throws IllegalArgumentException when the expression never matches (e.g. 31 February)
     */
    public ZonedDateTime next(ZonedDateTime after) {
        Optional<ZonedDateTime> next = execution.nextExecution(after);
        if (next.isEmpty()) {
            throw new IllegalArgumentException("cron '" + text + "' never matches (e.g. 31 February)");
        }
        return next.get();
    }

    @Override
    public String toString() {
        return text;
    }
}
