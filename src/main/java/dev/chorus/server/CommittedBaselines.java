package dev.chorus.server;

import dev.chorus.trial.Baseline;
import dev.chorus.trial.BaselineStore;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baselines a completion compares with, read once per process: a stored baseline is never replaced
 * ({@link BaselineStore}), so a row once committed can be kept. Only rows known to be committed are
 * kept ({@link #committed}, called after the transaction that stored or read them); a row read inside a
 * transaction may be that transaction's own and vanish with its rollback.
 *
 * @implNote Thread-safe. Holds at most {@value #MAX} rows and forgets them all when full (they are read
 *     again as needed): a study has one baseline per task and replicate.
 */
final class CommittedBaselines {

    static final int MAX = 10_000;

    private final BaselineStore store;
    private final Map<String, Baseline> rows = new ConcurrentHashMap<>();

    CommittedBaselines(BaselineStore store) {
        this.store = store;
    }

    /** The baseline under {@code hash}: kept, or read from the store (in the caller's transaction, if any). */
    Optional<Baseline> find(String hash) {
        Baseline kept = rows.get(hash);
        return kept != null ? Optional.of(kept) : store.find(hash);
    }

    /** Keeps rows that are committed now. */
    void committed(Collection<Baseline> baselines) {
        if (rows.size() + baselines.size() > MAX) {
            rows.clear();
        }
        baselines.forEach(b -> rows.put(b.hash(), b));
    }
}
