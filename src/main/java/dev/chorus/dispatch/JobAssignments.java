package dev.chorus.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The trials a worker Job was started for, each with the claim the dispatcher made on the Job's
 * behalf. Written as {@code <trialId>:<claim>,<trialId>:<claim>} into the Job's annotation
 * {@value #ANNOTATION} (where the dispatcher reads it back after a restart) and into the worker's
 * environment variable {@value #ENV} (where the {@code worker} command reads it, then asks the
 * coordinator for each assignment and heartbeats it).
 *
 * @param claims the claims in the order they were made; never empty
 */
public record JobAssignments(List<Claimed> claims) {

    /** The Job annotation holding the assignments. */
    public static final String ANNOTATION = "chorus.dev/assignments";
    /** The worker container's environment variable holding the assignments. */
    public static final String ENV = "CHORUS_ASSIGNMENTS";

    public JobAssignments {
        claims = List.copyOf(claims);
        if (claims.isEmpty()) {
            throw new IllegalArgumentException("a worker Job needs at least one claimed trial");
        }
    }

    /** One trial claimed for the Job: the pair a worker passes to {@code TrialProtocol.assignment}. */
    public record Claimed(long trialId, UUID claim) {
        @Override
        public String toString() {
            return trialId + ":" + claim;
        }
    }

    /**
     * Reads {@code <trialId>:<claim>,...} as written by {@link #toString()}.
     *
     * @throws IllegalArgumentException naming the entry that is not {@code <trialId>:<uuid>}
     */
    public static JobAssignments parse(String text) {
        List<Claimed> claims = new ArrayList<>();
        for (String entry : text.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            try {
                claims.add(new Claimed(Long.parseLong(e.substring(0, Math.max(colon, 0))),
                        UUID.fromString(e.substring(colon + 1))));
            } catch (IllegalArgumentException | IndexOutOfBoundsException bad) {
                throw new IllegalArgumentException(
                        "assignment '" + e + "' is not <trialId>:<claim uuid> (in '" + text + "')", bad);
            }
        }
        return new JobAssignments(claims);
    }

    /** The trial ids, in claim order, for messages. */
    public List<Long> trialIds() {
        return claims.stream().map(Claimed::trialId).toList();
    }

    @Override
    public String toString() {
        return String.join(",", claims.stream().map(Claimed::toString).toList());
    }
}
