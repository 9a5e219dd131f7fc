package dev.chorus.store;

/** A database operation failed; the message says which. */
public final class StoreException extends RuntimeException {
    StoreException(String what, Throwable cause) {
        super(what + ": " + cause.getMessage(), cause);
    }
}
