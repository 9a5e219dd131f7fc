package dev.chorus.store;

import dev.chorus.trial.ClaimStore;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link ClaimStore} on PostgreSQL. Workers claim with {@code FOR UPDATE SKIP LOCKED}; every change a
 * worker makes is conditional on {@code claim_id} and the running state in the same statement, so a
 * claim that lost its trial changes nothing.
 */
@ApplicationScoped
class JdbcClaimStore implements ClaimStore {

    /** Moves a running trial on from its claim: waiting again, or failed once out of attempts. */
    private static final String RELEASE = """
            UPDATE trial SET
                state = CASE WHEN attempts >= ? THEN 'failed' ELSE 'waiting' END,
                error = CASE WHEN attempts >= ? THEN 'gave up after ' || attempts || ' attempt(s); the last: ' || %s::text
                             ELSE %s::text END,
                finished_at = CASE WHEN attempts >= ? THEN ?::timestamptz ELSE NULL END,
                started_at = CASE WHEN attempts >= ? THEN started_at ELSE NULL END,
                lease_until = NULL
            WHERE state = 'running' AND %s""";

    private final AgroalDataSource db;

    JdbcClaimStore(AgroalDataSource db) {
        this.db = db;
    }

    @Override
    public Optional<Trial> claimNext(String worker, UUID claim, Instant leaseUntil, Instant now, Long study) {
        return Statements.onConnection(db, "claim a trial for " + worker, c -> {
            Optional<Trial> trial = c.one(RowMapping::trial, """
                    UPDATE trial SET state = 'running', worker = ?, started_at = ?, attempts = attempts + 1,
                                     claim_id = ?, lease_until = ?
                    WHERE id = (SELECT t.id FROM trial t JOIN study s ON s.id = t.study_id
                                WHERE t.state = 'waiting' AND s.state = 'running'
                                  AND (CAST(? AS bigint) IS NULL OR t.study_id = CAST(? AS bigint))
                                ORDER BY t.id LIMIT 1 FOR UPDATE OF t SKIP LOCKED)
                    RETURNING *""", worker, RowMapping.timestamp(now), claim, RowMapping.timestamp(leaseUntil), study,
                    study);
            if (trial.isPresent() && trial.get().attempts() > 1) { // an earlier attempt's values are not this one's
                c.update("DELETE FROM trial_intermediate WHERE trial_id = ?", trial.get().id());
            }
            return trial;
        });
    }

    @Override
    public int claimable(int atMost) {
        return Statements.one(db, "count the claimable trials", rs -> rs.getInt(1), """
                SELECT count(*) FROM (SELECT 1 FROM trial t JOIN study s ON s.id = t.study_id
                                      WHERE t.state = 'waiting' AND s.state = 'running' LIMIT ?) c""",
                Math.max(0, atMost)).orElse(0);
    }

    @Override
    public Optional<Claim> claim(long trialId) {
        return Statements.one(db, "read the claim of trial " + trialId, RowMapping::claim,
                "SELECT id, claim_id, state, worker, lease_until, attempts FROM trial WHERE id = ? AND claim_id IS NOT NULL",
                trialId);
    }

    @Override
    public Optional<Held> held(long trialId) {
        return Statements.one(db, "read trial " + trialId + " and its claim", rs -> new Held(RowMapping.trial(rs),
                rs.getObject("claim_id") == null ? null : RowMapping.claim(rs)), "SELECT * FROM trial WHERE id = ?", trialId);
    }

    @Override
    public boolean lockHeld(long trialId, UUID claim) {
        return Statements.one(db, "lock trial " + trialId, rs -> rs.getLong(1),
                "SELECT id FROM trial WHERE id = ? AND claim_id = ? AND state = 'running' FOR UPDATE", trialId, claim)
                .isPresent();
    }

    @Override
    public boolean renew(long trialId, UUID claim, Instant leaseUntil) {
        return update("renew the lease of trial " + trialId,
                "UPDATE trial SET lease_until = ? WHERE id = ? AND claim_id = ? AND state = 'running'",
                RowMapping.timestamp(leaseUntil), trialId, claim) == 1;
    }

    @Override
    public boolean report(long trialId, UUID claim, int step, Map<String, Double> values) {
        return Statements.onConnection(db, "store intermediate values of trial " + trialId, c -> {
            if (c.one(rs -> rs.getInt(1), "SELECT 1 FROM trial WHERE id = ? AND claim_id = ? AND state = 'running' FOR SHARE",
                    trialId, claim).isEmpty()) {
                return false;
            }
            c.batch("""
                    INSERT INTO trial_intermediate (trial_id, step, task, value) VALUES (?, ?, ?, ?)
                    ON CONFLICT (trial_id, step, task) DO UPDATE SET value = EXCLUDED.value""",
                    values.entrySet().stream().map(e -> new Object[] {trialId, step, e.getKey(), e.getValue()}).toList());
            return true;
        });
    }

    @Override
    public boolean complete(long trialId, UUID claim, List<TaskResult> results, double deltaM, double testDeltaM,
                            Instant now) {
        return Statements.onConnection(db, "store the results of trial " + trialId, c -> {
            if (c.update("""
                    UPDATE trial SET state = 'complete', delta_m = ?, test_delta_m = ?, finished_at = ?, error = NULL,
                        lease_until = NULL, front_owed = variant_of IS NULL
                    WHERE id = ? AND claim_id = ? AND state = 'running'""",
                    deltaM, testDeltaM, RowMapping.timestamp(now), trialId, claim) != 1) {
                return false;
            }
            c.batch("""
                    INSERT INTO trial_result (trial_id, task, value, baseline, delta, test_value, test_baseline, test_delta,
                        baseline_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", results.stream().map(r -> new Object[] {
                        trialId, r.task(), r.validation().value(), r.validation().baseline(), r.validation().delta(),
                        r.test().value(), r.test().baseline(), r.test().delta(), r.baselineHash()}).toList());
            return true;
        });
    }

    @Override
    public boolean prune(long trialId, UUID claim, Instant now) {
        return update("prune trial " + trialId, """
                UPDATE trial SET state = 'pruned', finished_at = ?, lease_until = NULL
                WHERE id = ? AND claim_id = ? AND state = 'running'""", RowMapping.timestamp(now), trialId, claim) == 1;
    }

    @Override
    public boolean fail(long trialId, UUID claim, String error, Instant now) {
        return update("fail trial " + trialId, """
                UPDATE trial SET state = 'failed', error = ?, finished_at = ?, lease_until = NULL
                WHERE id = ? AND claim_id = ? AND state = 'running'""",
                error, RowMapping.timestamp(now), trialId, claim) == 1;
    }

    @Override
    public boolean release(long trialId, UUID claim, String reason, int maxAttempts, Instant now) {
        return update("release trial " + trialId, RELEASE.formatted("?", "?", "id = ? AND claim_id = ?"),
                maxAttempts, maxAttempts, reason, reason, maxAttempts, RowMapping.timestamp(now), maxAttempts,
                trialId, claim) == 1;
    }

    @Override
    public List<Trial> expire(int maxAttempts, Instant now) {
        String reason = "'the lease of worker ' || COALESCE(worker, '?') || ' ran out: it stopped sending heartbeats'";
        return Statements.many(db, "expire leases", RowMapping::trial,
                RELEASE.formatted(reason, reason, "lease_until < ?") + " RETURNING *",
                maxAttempts, maxAttempts, maxAttempts, RowMapping.timestamp(now), maxAttempts, RowMapping.timestamp(now));
    }

    private int update(String what, String sql, Object... args) {
        return Statements.update(db, what, sql, args);
    }
}
