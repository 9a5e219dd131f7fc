package dev.chorus.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a token may do. Roles nest: an admin may do what an operator may, an operator what a viewer
 * may. The worker role stands apart: it speaks the trial protocol and reads what a trial needs, nothing
 * else, so a token handed to a fleet of GPU machines cannot steer or read studies.
 */
public enum Role {
    /** Reads studies, trials, fronts, reports and jobs. */
    VIEWER,
    /** A viewer who also creates, starts, pauses and cancels studies, submits trials and schedules jobs. */
    OPERATOR,
    /** An operator who also creates, lists and revokes tokens; also speaks the trial protocol. */
    ADMIN,
    /** Claims trials, reports on them and reads their assignments, baselines and splits. */
    WORKER;

    /** The names used in {@code @RolesAllowed}. */
    public static final String VIEWER_NAME = "viewer";
    public static final String OPERATOR_NAME = "operator";
    public static final String ADMIN_NAME = "admin";
    public static final String WORKER_NAME = "worker";

    /** The role's name in tokens, the API and the database. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role names this role passes: its own and those nested inside it. */
    public Set<String> grants() {
        return switch (this) {
            case VIEWER -> Set.of(VIEWER_NAME);
            case OPERATOR -> Set.of(VIEWER_NAME, OPERATOR_NAME);
            case ADMIN -> Set.of(VIEWER_NAME, OPERATOR_NAME, ADMIN_NAME, WORKER_NAME);
            case WORKER -> Set.of(WORKER_NAME);
        };
    }

    /**
     * @throws IllegalArgumentException naming the allowed values when {@code id} is none of them
     */
    public static Role parse(String id) {
        if (id != null) {
            for (Role role : values()) {
                if (role.id().equalsIgnoreCase(id.strip())) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException("role must be one of " + allowed() + ", not '" + id + "'");
    }

    static String allowed() {
        return Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", "));
    }
}
