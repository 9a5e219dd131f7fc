package dev.chorus.schedule;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Delivers due webhook notifications on a small pool of its own, so that no receiver can hold up the
 * scheduler: {@link #submit} only queues, and each attempt's outcome is recorded when it ends, retried
 * after 30 s, 1 min, 2 min, … (at most 1 h apart) until {@link #MAX_ATTEMPTS}.
 *
 * <p>A notification is never delivered twice at once: one that is queued or being delivered is not
 * queued again, and an attempt that finds the notification already attempted since it was read (a tick
 * that read it before the previous attempt was recorded) does nothing. When the queue is full, a
 * notification waits for a later tick; it is not counted as an attempt.
 *
 * @implNote Thread-safe. Assumes one scheduler per database, as {@link OvernightJobScheduler} does.
 */
@ApplicationScoped
class WebhookDeliveries {

    private static final Logger LOG = Logger.getLogger(WebhookDeliveries.class);
    /** Delivery attempts of one notification before it is given up. */
    static final int MAX_ATTEMPTS = 8;
    /** Deliveries at once, and notifications waiting for a thread. */
    static final int THREADS = 4;
    static final int QUEUE = 64;

    private final OvernightJobStore jobs;
    private final Webhooks webhooks;
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor pool;

    WebhookDeliveries(OvernightJobStore jobs, Webhooks webhooks) {
        this.jobs = jobs;
        this.webhooks = webhooks;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "chorus-webhooks-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }

    /**
     * Queues one attempt to deliver {@code hook}, recorded as made at {@code now}; returns at once.
     *
     * @return false when it is already queued or being delivered, or the queue is full
     */
    boolean submit(OvernightJobStore.Webhook hook, Instant now) {
        if (!pending.add(hook.id())) {
            return false;
        }
        try {
            pool.execute(() -> {
                try {
                    deliver(hook, now);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Could not deliver webhook %d; trying again at the next tick", hook.id());
                } finally {
                    done(hook.id());
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            done(hook.id());
            LOG.debugf("Webhook %d waits for the next tick: %d deliveries are queued", hook.id(), QUEUE);
            return false;
        }
    }

    /** Waits until nothing is queued or being delivered. @return false when {@code max} passed first */
    synchronized boolean awaitIdle(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!pending.isEmpty()) {
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    private synchronized void done(long id) {
        pending.remove(id);
        notifyAll();
    }

    private void deliver(OvernightJobStore.Webhook hook, Instant now) {
        Optional<OvernightJobStore.Webhook> current = jobs.webhookOf(hook.runId());
        if (current.isEmpty() || current.get().deliveredAt() != null || current.get().attempts() != hook.attempts()) {
            return; // attempted since the tick read it
        }
        Optional<String> failure = webhooks.post(hook.url(), hook.body());
        int attempt = hook.attempts() + 1;
        Instant retry = failure.isEmpty() || attempt >= MAX_ATTEMPTS ? null
                : now.plus(Duration.ofSeconds(Math.min(3600, 30L << Math.min(attempt - 1, 10))));
        jobs.webhookAttempted(hook.id(), failure.isEmpty(), failure.orElse(null), retry, now);
        if (failure.isPresent()) {
            LOG.warnf("Webhook to %s (run %d), attempt %d: %s; %s", WebhookTargets.where(hook.url()), hook.runId(),
                    attempt, failure.get(), retry == null ? "giving up" : "retrying at " + retry);
        }
    }
}
