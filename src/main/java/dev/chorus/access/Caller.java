package dev.chorus.access;

/**
 * Who sent a request, once authenticated.
 *
 * @param name the token's name, {@code local} for the loopback convenience, {@code worker} for the
 *     configured or generated worker token, {@code admin} for the configured admin token
 * @param tokenId the stored token's id; null for tokens that come from configuration
 */
public record Caller(String name, Role role, Long tokenId) {
}
