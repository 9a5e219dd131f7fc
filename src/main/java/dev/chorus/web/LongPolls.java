package dev.chorus.web;

import dev.chorus.dispatch.TrialProtocol;
import dev.chorus.dispatch.TrialProtocol.Assignment;
import dev.chorus.error.StoreException;
import io.quarkus.virtual.threads.VirtualThreads;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;

/**
 * Where a completion's hand-over claim waits ({@code /complete-and-claim}). The completion and the claim's
 * first try run on the request's worker thread, as {@code /complete} does; only a claim that finds no trial
 * and may wait goes on on a virtual thread, so that a waiting long poll holds no platform thread. Run wholly
 * on a virtual thread, the call measured about a fifth slower under 200 workers on 2 cores (BENCHMARKS.md,
 * "Trial protocol ... under load"). A plain claim ({@code /api/workers/claim}) runs on a virtual thread
 * from the start: its first try on a worker thread measured no faster, and a thousand claims arriving at
 * once then grew the worker pool by 180 threads.
 *
 * @implNote Thread-safe; stateless but for the injected protocol and executor.
 */
@ApplicationScoped
class LongPolls {

    private final TrialProtocol protocol;
    private final ExecutorService virtualThreads;

    LongPolls(TrialProtocol protocol, @VirtualThreads ExecutorService virtualThreads) {
        this.protocol = protocol;
        this.virtualThreads = virtualThreads;
    }

    /**
     * After a first try made on the caller's thread (a completion's hand-over), the long poll for what it
     * did not find: on a virtual thread, and only when {@code wait} is not zero. A poll that ends with every
     * pooled connection in use answers empty rather than fail: the call has stored its completion.
     */
    CompletionStage<Optional<Assignment>> thenWait(Optional<Assignment> first, String worker, Duration wait, Long study) {
        if (first.isPresent() || wait.isZero()) {
            return CompletableFuture.completedFuture(first);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return protocol.claimFrom(worker, wait, study);
            } catch (StoreException e) {
                if (e.busy()) {
                    return Optional.empty();
                }
                throw e;
            }
        }, virtualThreads);
    }
}
