package dev.chorus.error;

import java.util.List;

/** A request a user made is not valid; {@link #problems()} says each thing to fix. */
public final class ValidationException extends RuntimeException {

    private final String what;
    private final List<String> problems;

    public ValidationException(String what, List<String> problems) {
        super(what + ": " + String.join("; ", problems));
        this.what = what;
        this.problems = List.copyOf(problems);
    }

    /** What was not valid, without the problems. */
    public String what() {
        return what;
    }

    /** Each problem as "field: what is wrong; allowed: ...". */
    public List<String> problems() {
        return problems;
    }
}
