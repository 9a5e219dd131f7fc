package dev.chorus.error;

import java.sql.SQLException;

/** A database operation failed; the message says which. */
public final class StoreException extends RuntimeException {
    public StoreException(String what, Throwable cause) {
        super(what + ": " + cause.getMessage(), cause);
    }

    /**
     * True when the database could not be reached or dropped the connection (SQL state class 08, or
     * 57P: it is shutting down or restarting): trying again later can succeed.
     */
    public boolean unavailable() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when no pooled connection came free within the pool's acquisition timeout: more requests than
     * connections for that long, so trying again shortly can succeed. Agroal says so only in its message.
     */
    public boolean busy() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getMessage() != null
                    && sql.getMessage().contains("acquisition timeout")) {
                return true;
            }
        }
        return false;
    }
}
