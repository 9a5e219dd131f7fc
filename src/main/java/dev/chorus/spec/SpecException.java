package dev.chorus.spec;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A search-space file that cannot be used, with every problem found in it. {@link #getMessage()} lists
 * them one per line, in file order, as {@code line N: field.path: what is wrong; allowed: ...}.
 */
public class SpecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<Problem> problems;

    /**
     * Makes the exception for a file's problems.
     *
     * @param problems at least one problem; kept in file order (stable for problems on one line)
     */
    public SpecException(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a SpecException needs at least one problem");
        }
        this.problems = problems.stream().sorted(Comparator.comparingInt(Problem::line)).toList();
    }

    /** Every problem, one per line, in file order. */
    @Override
    public String getMessage() {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    }

    /** @return the problems, in file order */
    public List<Problem> problems() {
        return problems;
    }

    /**
     * One thing wrong in a search-space file.
     *
     * @param path    the field, dotted, with list indices: {@code search.epochs.max}, {@code tasks[2].metric};
     *                {@code (document)} for the file as a whole
     * @param line    1-based line the problem was found on
     * @param message what is wrong and, where it helps, {@code ; allowed: ...}
     */
    public record Problem(String path, int line, String message) implements Serializable {
        public Problem {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return "line " + line + ": " + path + ": " + message;
        }
    }
}
