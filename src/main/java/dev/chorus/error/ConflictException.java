package dev.chorus.error;

/**
 * A request that is valid in itself but conflicts with the state of what it acts on (a study that is
 * not in a state that allows it, a budget already used, a candidate already tried): the web layer
 * answers 409 with the message, which says what state it is in and what would be allowed.
 */
public final class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
