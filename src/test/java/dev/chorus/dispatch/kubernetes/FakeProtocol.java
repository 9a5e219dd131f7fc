package dev.chorus.dispatch.kubernetes;

import dev.chorus.dispatch.TrialProtocol;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An in-memory coordinator for dispatcher tests: a queue of waiting trials, the claims held on them,
 * and a record of every claim, heartbeat and release. A trial's claim dies when it is released or
 * {@link #finish finished}; later calls with it throw {@link LeaseLostException}, as the real one does.
 */
final class FakeProtocol implements TrialProtocol {

    final Deque<Long> waiting = new ArrayDeque<>();
    final Map<Long, UUID> held = new HashMap<>();
    final Map<Long, String> claimedBy = new LinkedHashMap<>();
    final List<Long> heartbeats = new ArrayList<>();
    final Map<Long, String> released = new LinkedHashMap<>();

    FakeProtocol offer(long... trialIds) {
        for (long id : trialIds) {
            waiting.add(id);
        }
        return this;
    }

    /** The trial's worker finished it: its claim is dead from now on. */
    void finish(long trialId) {
        held.remove(trialId);
    }

    @Override
    public Optional<Assignment> claim(String worker, Duration wait) {
        Long id = waiting.poll();
        if (id == null) {
            return Optional.empty();
        }
        UUID claim = UUID.randomUUID();
        held.put(id, claim);
        claimedBy.put(id, worker);
        return Optional.of(new Assignment(id, claim, Instant.EPOCH, 10, 1, id.intValue(), 42, 0, null, List.of(),
                List.of(), "", "", ""));
    }

    @Override
    public Lease heartbeat(long trialId, UUID claim) {
        check(trialId, claim);
        heartbeats.add(trialId);
        return new Lease(Instant.EPOCH);
    }

    @Override
    public void release(long trialId, UUID claim, String reason) {
        check(trialId, claim);
        held.remove(trialId);
        released.put(trialId, reason);
    }

    private void check(long trialId, UUID claim) {
        if (!claim.equals(held.get(trialId))) {
            throw new LeaseLostException("trial " + trialId + " is not held by claim " + claim);
        }
    }

    @Override
    public Assignment assignment(long trialId, UUID claim) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean report(long trialId, UUID claim, int step, Map<String, Double> values) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Double> baseline(String hash) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SplitRows split(long studyId, int replicate) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void complete(long trialId, UUID claim, Completion completion) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void prune(long trialId, UUID claim) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void fail(long trialId, UUID claim, String error) {
        throw new UnsupportedOperationException();
    }
}
