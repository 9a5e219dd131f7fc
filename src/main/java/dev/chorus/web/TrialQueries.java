package dev.chorus.web;

import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import jakarta.ws.rs.BadRequestException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads the {@code sort} and {@code state} query parameters of a trials listing. */
final class TrialQueries {

    private static final Map<String, TrialStore.TrialOrder> KEYS = Map.of(
            "number", TrialStore.TrialOrder.NUMBER,
            "deltam", TrialStore.TrialOrder.DELTA_M,
            "models", TrialStore.TrialOrder.MODELS,
            "finished", TrialStore.TrialOrder.FINISHED);

    private TrialQueries() {
    }

    /**
     * The store query for a page.
     *
     * @param sort  {@code number}, {@code deltaM}, {@code models} or {@code finished}, with a leading
     *              {@code -} for descending order
     * @param state comma-separated trial states, or null or blank for all
     * @param after a trial number to start after (keyset), or null
     * @param before a trial number to end before (keyset), or null
     * @throws BadRequestException naming the allowed values when either is not one of them, or when a
     *     keyset is combined with a page or the other keyset
     */
    static TrialStore.TrialQuery parse(String sort, String state, int page, int size, Integer after, Integer before) {
        boolean descending = sort.startsWith("-");
        String key = (descending ? sort.substring(1) : sort).toLowerCase(Locale.ROOT);
        TrialStore.TrialOrder order = KEYS.get(key);
        if (order == null) {
            throw new BadRequestException("sort must be one of number, deltaM, models, finished (with a leading '-' "
                    + "for descending), was '" + sort + "'");
        }
        if ((long) page * size > Integer.MAX_VALUE) {
            throw new BadRequestException("page " + page + " of size " + size + " is past any study's trials");
        }
        if (after != null && before != null) {
            throw new BadRequestException("give after or before, not both");
        }
        if ((after != null || before != null) && page != 0) {
            throw new BadRequestException("give page or " + (after != null ? "after" : "before") + ", not both: "
                    + "a page by keyset starts from a trial, not from an offset");
        }
        return new TrialStore.TrialQuery(states(state), order, descending, page * size, size, after, before);
    }

    private static Set<TrialState> states(String state) {
        if (state == null || state.isBlank()) {
            return Set.of();
        }
        Set<TrialState> out = EnumSet.noneOf(TrialState.class);
        for (String s : state.split(",")) {
            String id = s.strip().toLowerCase(Locale.ROOT);
            out.add(Arrays.stream(TrialState.values()).filter(t -> t.id().equals(id)).findFirst()
                    .orElseThrow(() -> new BadRequestException("state must be a comma-separated list of "
                            + Arrays.stream(TrialState.values()).map(TrialState::id).collect(Collectors.joining(", "))
                            + "; '" + s.strip() + "' is none of them")));
        }
        return out;
    }
}
