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
 * Where the trial protocol's claims run. A claim's first try runs on the request's worker thread, and only
 * a claim that finds no trial and may wait goes on on a virtual thread: a waiting long poll then holds no
 * platform thread (a thousand idle workers cost none), while the claims that find a trial at once keep the
 * operating system's share of the CPU that the worker pool's threads get. Run wholly on virtual threads,
 * whose carriers are as many as the cores, the protocol's calls measured two to three times slower at
 * the median under 200 workers on 2 cores (BENCHMARKS.md, "Trial protocol ... under load").
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
     * Claims for {@code worker}: one try on the caller's thread, then, when none was found and
     * {@code wait} is not zero, the long poll on a virtual thread.
     *
     * @param study the one study to claim from, or null for any
     * @throws StoreException (busy) at once only when {@code wait} is zero; a long poll waits through a full
     *     connection pool as {@link TrialProtocol#claim} does
     */
    CompletionStage<Optional<Assignment>> claim(String worker, Duration wait, Long study) {
        Optional<Assignment> first;
        try {
            first = claimNow(worker, Duration.ZERO, study);
        } catch (StoreException e) {
            if (!e.busy() || wait.isZero()) {
                throw e;
            }
            first = Optional.empty(); // every connection in use: the long poll waits and tries again
        }
        return thenWait(first, worker, wait, study, false);
    }

    /**
     * After a first try made elsewhere (a completion's hand-over), the long poll for what it did not find.
     *
     * @param busyIsEmpty whether a poll that ends with every connection in use answers empty rather than
     *                    fail (when the call has already stored something, as a completion has)
     */
    CompletionStage<Optional<Assignment>> thenWait(Optional<Assignment> first, String worker, Duration wait, Long study,
                                                   boolean busyIsEmpty) {
        if (first.isPresent() || wait.isZero()) {
            return CompletableFuture.completedFuture(first);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return claimNow(worker, wait, study);
            } catch (StoreException e) {
                if (busyIsEmpty && e.busy()) {
                    return Optional.empty();
                }
                throw e;
            }
        }, virtualThreads);
    }

    private Optional<Assignment> claimNow(String worker, Duration wait, Long study) {
        return study == null ? protocol.claim(worker, wait) : protocol.claim(worker, wait, study);
    }
}
