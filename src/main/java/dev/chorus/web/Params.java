package dev.chorus.web;

import jakarta.ws.rs.BadRequestException;
import java.util.Locale;
import java.util.UUID;

/**
 * Checks of request values that JAX-RS cannot make with a useful answer: a query parameter it fails to
 * convert becomes a bare 404, and text with control characters would reach the database (PostgreSQL
 * refuses NUL) or the logs (line breaks). Each check throws {@link BadRequestException} naming the
 * parameter or field and what to send.
 */
final class Params {

    private Params() {
    }

    /** A whole-number query parameter in {@code [min, max]}; {@code otherwise} when absent or empty. */
    static int whole(String name, String text, int otherwise, int min, int max) {
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestException(name + " must be " + (max == Integer.MAX_VALUE ? min + " or more"
                : "between " + min + " and " + max) + " (a whole number), was '" + shown(text) + "'");
    }

    /** A {@code true}/{@code false} query parameter; {@code otherwise} when absent or empty. */
    static boolean bool(String name, String text, boolean otherwise) {
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadRequestException(name + " must be true or false, was '" + shown(text) + "'");
        };
    }

    /** A UUID, as the claim call returned it. */
    static UUID uuid(String name, String text) {
        if (text == null || text.isBlank()) {
            throw new BadRequestException(name + " is missing: name the claim id the claim call returned");
        }
        try {
            UUID value = UUID.fromString(text.strip());
            if (value.toString().equalsIgnoreCase(text.strip())) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new BadRequestException(name + " must be a UUID such as 123e4567-e89b-12d3-a456-426614174000 (the claim "
                + "id the claim call returned), was '" + shown(text) + "'");
    }

    /**
     * A name: not blank, at most {@code max} characters, no control characters.
     *
     * @return the name
     */
    static String name(String field, String value, int max) {
        if (value == null || value.isBlank() || value.length() > max || hasControl(value)) {
            throw new BadRequestException(field + ": give a name of 1 to " + max + " characters without control "
                    + "characters (line breaks, tabs, NUL)");
        }
        return value;
    }

    static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    private static String shown(String text) {
        String plain = text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return plain.length() <= 40 ? plain : plain.substring(0, 40) + "...";
    }
}
