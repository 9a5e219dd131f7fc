package dev.chorus.schedule;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;

/**
 * A standard five-field cron expression ({@code minute hour day-of-month month day-of-week}) with
 * {@code *}, lists ({@code 1,15}), ranges ({@code 1-5}), steps ({@code *}{@code /15}, {@code 8-18/2}),
 * month and weekday names ({@code jan}, {@code mon}; Sunday is 0 or 7), and the usual rule that when
 * both day fields are restricted a day matching either one counts. Immutable and thread-safe.
 */
public final class Cron {

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet days;
    private final BitSet months;
    private final BitSet weekdays;
    private final boolean daysRestricted;
    private final boolean weekdaysRestricted;

    private Cron(String text, BitSet[] fields, boolean daysRestricted, boolean weekdaysRestricted) {
        this.text = text;
        this.minutes = fields[0];
        this.hours = fields[1];
        this.days = fields[2];
        this.months = fields[3];
        this.weekdays = fields[4];
        this.daysRestricted = daysRestricted;
        this.weekdaysRestricted = weekdaysRestricted;
    }

    /** @throws IllegalArgumentException naming the field that is wrong and what it allows */
    public static Cron parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("cron: give five fields, minute hour day-of-month month day-of-week, "
                    + "e.g. \"0 22 * * 1-5\" for 22:00 on weekdays");
        }
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("cron '" + text + "' has " + parts.length
                    + " fields; it needs five: minute hour day-of-month month day-of-week");
        }
        BitSet[] fields = {
            field("minute", parts[0], 0, 59, null),
            field("hour", parts[1], 0, 23, null),
            field("day-of-month", parts[2], 1, 31, null),
            field("month", parts[3], 1, 12, new String[] {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                "sep", "oct", "nov", "dec"}),
            field("day-of-week", parts[4], 0, 7, new String[] {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}),
        };
        if (fields[4].get(7)) {
            fields[4].set(0);
        }
        return new Cron(text.trim(), fields, !parts[2].equals("*"), !parts[4].equals("*"));
    }

    private static BitSet field(String name, String spec, int min, int max, String[] names) {
        BitSet out = new BitSet(max + 1);
        for (String item : spec.split(",")) {
            String range = item;
            int step = 1;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = number(name, item.substring(slash + 1), 1, max, null);
            }
            int from;
            int to;
            if (range.equals("*")) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                String[] ends = range.split("-", 2);
                from = number(name, ends[0], min, max, names);
                to = number(name, ends[1], min, max, names);
                if (to < from) {
                    throw new IllegalArgumentException("cron " + name + " range '" + range + "' runs backwards");
                }
            } else {
                from = number(name, range, min, max, names);
                to = slash >= 0 ? max : from;
            }
            for (int v = from; v <= to; v += step) {
                out.set(v);
            }
        }
        return out;
    }

    private static int number(String field, String text, int min, int max, String[] names) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(text)) {
                    return field.equals("month") ? i + 1 : i;
                }
            }
        }
        try {
            int v = Integer.parseInt(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException("cron " + field + " '" + text + "' is not allowed: use " + min + "-" + max
                + (names == null ? "" : " or a name such as " + names[1]) + ", *, lists, ranges and /steps");
    }

    /** The first matching minute strictly after {@code after}, in {@code after}'s time zone. */
    public ZonedDateTime next(ZonedDateTime after) {
        ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = t.plusYears(5);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.withHour(0).withMinute(0).plusDays(1);
            } else if (!hours.get(t.getHour())) {
                t = t.withMinute(0).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return t;
            }
        }
        throw new IllegalArgumentException("cron '" + text + "' never matches (e.g. 31 February)");
    }

    private boolean dayMatches(ZonedDateTime t) {
        boolean day = days.get(t.getDayOfMonth());
        boolean weekday = weekdays.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
        if (daysRestricted && weekdaysRestricted) {
            return day || weekday;
        }
        return day && weekday;
    }

    @Override
    public String toString() {
        return text;
    }
}
