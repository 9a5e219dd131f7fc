package dev.chorus.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Token secrets: how they are made and how they are compared. Thread-safe. */
public final class Secrets {

    /** Every Chorus token starts with this, so secret scanners and people can tell what it is. */
    public static final String PREFIX = "chorus_";
    static final String SESSION_PREFIX = "chorus-session_";
    static final int SHOWN_PREFIX = PREFIX.length() + 6;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A new token: {@value #PREFIX} and 256 random bits in URL-safe base64. */
    public static String newToken() {
        return PREFIX + random256();
    }

    /**
     * A new session id: {@value #SESSION_PREFIX} and 256 random bits in URL-safe base64. Its own prefix, so
     * nobody takes it for an API token (and no API token is a session id).
     */
    static String newSessionId() {
        return SESSION_PREFIX + random256();
    }

    private static String random256() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** Compares in time independent of where the two differ. */
    static boolean sameHash(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /** What a list of tokens shows of one. */
    static String shownPrefix(String token) {
        return token.substring(0, Math.min(SHOWN_PREFIX, token.length()));
    }
}
