package dev.chorus.dispatch;

/**
 * The credential this coordinator's own worker processes present to its trial protocol. Access control
 * implements it; dispatch only hands the value to the processes it starts (in their environment, never
 * on the command line).
 *
 * <p>Implementations are thread-safe and return the same value for the life of the process.
 */
public interface WorkerCredentials {

    /** The worker token of this coordinator's local worker processes; valid until the coordinator stops. */
    String localWorkerToken();
}
