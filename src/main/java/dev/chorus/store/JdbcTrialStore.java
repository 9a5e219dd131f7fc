package dev.chorus.store;

import dev.chorus.mtl.Candidate;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.TrialStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link TrialStore} on PostgreSQL. */
@ApplicationScoped
class JdbcTrialStore implements TrialStore {

    /** Trials with their per-task results. */
    static final ParentsAndChildren<Trial, TaskResult> WITH_RESULTS = new ParentsAndChildren<>("SELECT * FROM trial",
            RowMapping::trial, Trial::id, "SELECT * FROM trial_result WHERE trial_id = ANY (?) ORDER BY trial_id, task",
            "trial_id", RowMapping::result, Trial::withResults);

    private final AgroalDataSource db;

    JdbcTrialStore(AgroalDataSource db) {
        this.db = db;
    }

    @Override
    public List<Trial> insert(long studyId, int generation, List<Candidate> candidates, Instant now) {
        return insertRows(studyId, generation, candidates, null, Integer.MAX_VALUE, now);
    }

    @Override
    public List<Trial> insert(long studyId, int generation, List<Candidate> candidates, int maxTrials, Instant now) {
        return insertRows(studyId, generation, candidates, null, maxTrials, now);
    }

    @Override
    public List<Trial> insertRepeats(Trial first, int count, int maxTrials, Instant now) {
        if (first.isRepeat()) {
            throw new IllegalArgumentException("trial " + first.id() + " is itself a repeat of " + first.repeatOf());
        }
        return insertRows(first.studyId(), first.generation(), Collections.nCopies(count, first.candidate()),
                first.id(), maxTrials, now);
    }

    /**
     * Inserts waiting trials, no more than keep the study at {@code maxTrials}; repeats of {@code repeatOf}
     * (when not null) get replicates after its last one. One connection: the study's lock holds until the
     * caller's transaction ends.
     */
    private List<Trial> insertRows(long studyId, int generation, List<Candidate> candidates, Long repeatOf,
                                   int maxTrials, Instant now) {
        return Statements.onConnection(db, "add trials to study " + studyId, c -> {
            lockStudy(c, studyId); // serialise inserts per study so numbers stay dense and unique
            int next = firstInt(c, "SELECT COALESCE(MAX(number), -1) + 1 FROM trial WHERE study_id = ?", studyId);
            int room = maxTrials - firstInt(c, "SELECT COALESCE(SUM(n), 0) FROM trial_count WHERE study_id = ?", studyId);
            List<Candidate> kept = candidates.subList(0, Math.max(0, Math.min(room, candidates.size())));
            if (kept.isEmpty()) {
                return List.of();
            }
            int replicate = repeatOf == null ? 0
                    : firstInt(c, "SELECT COALESCE(MAX(replicate), 0) + 1 FROM trial WHERE repeat_of = ?", repeatOf);
            List<Long> ids = new ArrayList<>();
            for (Candidate candidate : kept) {
                ids.add(c.one(rs -> rs.getLong(1), """
                        INSERT INTO trial (study_id, number, generation, candidate, models, state, created_at, replicate,
                            repeat_of)
                        VALUES (?, ?, ?, ?::jsonb, ?, 'waiting', ?, ?, ?) RETURNING id""",
                        studyId, next++, generation, RowMapping.json(candidate), candidate.groupCount(),
                        RowMapping.timestamp(now), repeatOf == null ? 0 : replicate++, repeatOf).orElseThrow());
            }
            return WITH_RESULTS.load(c, "WHERE id = ANY (?) ORDER BY number", Statements.array("bigint", ids));
        });
    }

    @Override
    public List<Trial> insertVariants(Trial recommended, List<Candidate> variants, List<Integer> replicates, Instant now) {
        if (recommended.isRepeat() || recommended.variantOf() != null) {
            throw new IllegalArgumentException("trial " + recommended.id() + " is not a first run of the search");
        }
        if (replicates.isEmpty() || replicates.getFirst() != 0) {
            throw new IllegalArgumentException("a variant's runs start with replicate 0, were " + replicates);
        }
        return Statements.onConnection(db, "add the stability variants of trial " + recommended.id(), c -> {
            lockStudy(c, recommended.studyId());
            int next = firstInt(c, "SELECT COALESCE(MAX(number), -1) + 1 FROM trial WHERE study_id = ?",
                    recommended.studyId());
            List<Long> ids = new ArrayList<>();
            for (Candidate variant : variants) {
                Long first = null;
                for (int replicate : replicates) {
                    long id = c.one(rs -> rs.getLong(1), """
                            INSERT INTO trial (study_id, number, generation, candidate, models, state, created_at,
                                replicate, repeat_of, variant_of)
                            VALUES (?, ?, ?, ?::jsonb, ?, 'waiting', ?, ?, ?, ?) RETURNING id""",
                            recommended.studyId(), next++, recommended.generation(), RowMapping.json(variant),
                            variant.groupCount(), RowMapping.timestamp(now), replicate, first, recommended.id())
                            .orElseThrow();
                    ids.add(id);
                    first = first == null ? id : first;
                }
            }
            return WITH_RESULTS.load(c, "WHERE id = ANY (?) ORDER BY number", Statements.array("bigint", ids));
        });
    }

    /**
     * Locks a study's row until the transaction of {@code c} ends: what serialises the inserts of a study's
     * trials and the updates of its front.
     */
    static void lockStudy(Statements.Connected c, long studyId) throws SQLException {
        c.one(rs -> rs.getLong(1), "SELECT id FROM study WHERE id = ? FOR UPDATE", studyId);
    }

    private static int firstInt(Statements.Connected c, String sql, long arg) throws SQLException {
        return c.one(rs -> rs.getInt(1), sql, arg).orElseThrow();
    }

    @Override
    public List<Trial> variants(long studyId) {
        return query("stability variants of study " + studyId,
                "WHERE study_id = ? AND variant_of IS NOT NULL ORDER BY number", studyId);
    }

    @Override
    public List<Trial> racing(long studyId) {
        return query("configurations of study " + studyId + " still racing", """
                WHERE id IN (SELECT repeat_of FROM trial WHERE study_id = ? AND repeat_of IS NOT NULL
                             AND variant_of IS NULL AND state IN ('waiting', 'running')) ORDER BY number""", studyId);
    }

    @Override
    public List<Trial> repeats(Collection<Long> firstRuns) {
        if (firstRuns.isEmpty()) {
            return List.of();
        }
        return query("the repeats of trials " + firstRuns, "WHERE repeat_of = ANY (?) ORDER BY repeat_of, replicate",
                Statements.array("bigint", firstRuns));
    }

    @Override
    public Map<Long, List<Map<String, Double>>> intermediateCurves(long studyId) {
        Map<Long, List<Map<String, Double>>> out = new LinkedHashMap<>();
        Statements.each(db, "read the intermediate values of study " + studyId,
                rs -> put(out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()), rs.getInt(2), rs.getString(3),
                        rs.getDouble(4)), """
                SELECT i.trial_id, i.step, i.task, i.value FROM trial_intermediate i JOIN trial t ON t.id = i.trial_id
                WHERE t.study_id = ? AND t.state IN ('complete', 'pruned') AND t.repeat_of IS NULL
                  AND t.variant_of IS NULL
                ORDER BY i.trial_id, i.step""", studyId);
        return out;
    }

    /** Adds one value to a curve whose element {@code step} maps task to value. */
    private static void put(List<Map<String, Double>> curve, int step, String task, double value) {
        while (curve.size() <= step) {
            curve.add(new LinkedHashMap<>());
        }
        curve.get(step).put(task, value);
    }

    @Override
    public boolean fail(long trialId, String error, Instant now) {
        return Statements.update(db, "fail trial " + trialId, """
                UPDATE trial SET state = 'failed', error = ?, finished_at = ?, lease_until = NULL
                WHERE id = ? AND state IN ('waiting', 'running')""", error, RowMapping.timestamp(now), trialId) == 1;
    }

    @Override
    public int failRunningSince(long studyId, Instant startedBefore, String error, Instant now) {
        return Statements.update(db, "time out the trials of study " + studyId, """
                UPDATE trial SET state = 'failed', error = ?, finished_at = ?, lease_until = NULL
                WHERE study_id = ? AND state = 'running' AND started_at < ?""",
                error, RowMapping.timestamp(now), studyId, RowMapping.timestamp(startedBefore));
    }

    @Override
    public int failWaiting(long studyId, String error, Instant now) {
        return Statements.update(db, "fail the waiting trials of study " + studyId, """
                UPDATE trial SET state = 'failed', error = ?, finished_at = ?, lease_until = NULL
                WHERE study_id = ? AND state = 'waiting'""", error, RowMapping.timestamp(now), studyId);
    }

    @Override
    public Optional<Trial> firstRun(long studyId, Candidate candidate) {
        // JSONB equality compares values, not text: the same candidate matches however it was written
        return query("a candidate in study " + studyId, "WHERE study_id = ? AND candidate = ?::jsonb AND repeat_of IS NULL"
                + " AND variant_of IS NULL ORDER BY number LIMIT 1", studyId, RowMapping.json(candidate))
                .stream().findFirst();
    }

    @Override
    public Optional<Trial> find(long trialId) {
        return query("trial " + trialId, "WHERE id = ?", trialId).stream().findFirst();
    }

    @Override
    public List<Trial> list(long studyId, int offset, int limit) {
        return query("trials of study " + studyId, "WHERE study_id = ? AND variant_of IS NULL ORDER BY number OFFSET ? LIMIT ?",
                studyId, offset, limit);
    }

    @Override
    public List<Trial> listAfter(long studyId, int afterNumber, int limit) {
        return query("trials of study " + studyId + " after number " + afterNumber,
                "WHERE study_id = ? AND variant_of IS NULL AND number > ? ORDER BY number LIMIT ?", studyId, afterNumber, limit);
    }

    @Override
    public List<Trial> page(long studyId, TrialQuery q) {
        return TrialPages.page(db, studyId, q);
    }

    /** A study's finished trials of the search (stability variants left out): what the sampler learns from. */
    private static final String FINISHED =
            "WHERE study_id = ? AND variant_of IS NULL AND state IN ('complete', 'pruned', 'failed')";

    @Override
    public List<Trial> listFinished(long studyId) {
        return query("finished trials of study " + studyId, FINISHED + " ORDER BY number", studyId);
    }

    @Override
    public List<Trial> listFinishedAfter(long studyId, int afterNumber, int limit) {
        return query("finished trials of study " + studyId + " after number " + afterNumber,
                FINISHED + " AND number > ? ORDER BY number LIMIT ?", studyId, afterNumber, limit);
    }

    @Override
    public List<Trial> listFinishedSince(long studyId, Instant since) {
        return query("trials of study " + studyId + " finished since " + since,
                FINISHED + " AND finished_at >= ? ORDER BY number", studyId, RowMapping.timestamp(since));
    }

    @Override
    public List<Trial> listFinished(long studyId, Collection<Long> ids) {
        return ids.isEmpty() ? List.of() : query(ids.size() + " finished trials of study " + studyId,
                FINISHED + " AND id = ANY (?) ORDER BY number", studyId, Statements.array("bigint", ids));
    }

    @Override
    public Optional<Trial> best(long studyId) {
        return query("best trial of study " + studyId, """
                WHERE study_id = ? AND state = 'complete' AND delta_m IS NOT NULL AND delta_m NOT IN ('NaN', 'Infinity', '-Infinity')
                    AND repeat_of IS NULL AND variant_of IS NULL
                ORDER BY delta_m DESC, number LIMIT 1""", studyId).stream().findFirst();
    }

    @Override
    public Counts counts(long studyId) {
        Map<TrialState, Integer> byState = new EnumMap<>(TrialState.class);
        int[] maxGeneration = {-1};
        Statements.each(db, "count the trials of study " + studyId, rs -> {
            byState.put(TrialState.fromId(rs.getString(1)), rs.getInt(2));
            maxGeneration[0] = rs.getInt(3);
        }, """
                SELECT state, SUM(n), (SELECT COALESCE(MAX(generation), -1) FROM trial
                                       WHERE study_id = ? AND variant_of IS NULL)
                FROM trial_count WHERE study_id = ? GROUP BY state HAVING SUM(n) <> 0""", studyId, studyId);
        return new Counts(byState, maxGeneration[0]);
    }

    @Override
    public int compactCounts() {
        return Statements.update(db, "fold the trial counts' deltas", """
                WITH folded AS (
                    DELETE FROM trial_count WHERE study_id IN (
                        SELECT study_id FROM trial_count GROUP BY study_id
                        HAVING COUNT(*) > COUNT(DISTINCT state) OR bool_or(n = 0))
                    RETURNING study_id, state, n)
                INSERT INTO trial_count (study_id, state, n)
                SELECT study_id, state, SUM(n) FROM folded GROUP BY study_id, state HAVING SUM(n) <> 0""");
    }

    @Override
    public Queue queue() {
        return Statements.one(db, "count the queue", rs -> new Queue(rs.getInt(1), rs.getInt(2)), """
                SELECT COUNT(*) FILTER (WHERE t.state = 'waiting' AND s.state = 'running'),
                       COUNT(*) FILTER (WHERE t.state = 'running')
                FROM trial t JOIN study s ON s.id = t.study_id WHERE t.state IN ('waiting', 'running')""").orElseThrow();
    }

    @Override
    public Duration workerTime(long studyId, Instant now) {
        return Statements.one(db, "sum the worker time of study " + studyId,
                rs -> Duration.ofMillis(Math.round(rs.getDouble(1) * 1000)), """
                SELECT COALESCE(SUM(EXTRACT(EPOCH FROM (COALESCE(finished_at, ?) - started_at))), 0)
                FROM trial WHERE study_id = ? AND started_at IS NOT NULL""", RowMapping.timestamp(now), studyId)
                .orElseThrow();
    }

    @Override
    public List<Map<String, Double>> intermediate(long trialId) {
        List<Map<String, Double>> out = new ArrayList<>();
        Statements.each(db, "read the intermediate values of trial " + trialId,
                rs -> put(out, rs.getInt(1), rs.getString(2), rs.getDouble(3)),
                "SELECT step, task, value FROM trial_intermediate WHERE trial_id = ? ORDER BY step, task", trialId);
        return out;
    }

    private List<Trial> query(String what, String where, Object... args) {
        return Statements.onConnection(db, "read " + what, c -> WITH_RESULTS.load(c, where, args));
    }
}
