package dev.chorus.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Chorus's own settings ({@code chorus.*} in application.properties, or {@code CHORUS_*} variables). */
@ConfigMapping(prefix = "chorus")
public interface ChorusConfig {

    Db db();

    Worker worker();

    Coordinator coordinator();

    Data data();

    Auth auth();

    Webhooks webhooks();

    Sessions sessions();

    /**
     * Where models train: {@code auto} (a GPU when PyTorch sees one), {@code cpu} or {@code gpu}. Read by
     * the trainer from the system property or {@code CHORUS_DEVICE}; declared here so it is a known
     * setting.
     */
    @WithDefault("auto")
    String device();

    /**
     * The URL people reach this Chorus at, used in links it sends out (webhook notifications); without
     * it they carry paths only. When it is https the dashboard's cookies are always {@code Secure}, and
     * writes from its origin pass the cross-site check, also when a TLS proxy forwards plain http.
     */
    Optional<String> publicUrl();

    /** The embedded PostgreSQL; ignored when {@code quarkus.datasource.jdbc.url} is set. */
    interface Db {
        /** Start an embedded PostgreSQL when no external one is configured. */
        @WithDefault("true")
        boolean embedded();

        /** Where the embedded PostgreSQL keeps its data; survives restarts. */
        @WithDefault("data/pg")
        String dataDir();
    }

    /** Workers that train trials: worker processes beside the coordinator, or a thread inside it. */
    interface Worker {
        /**
         * Run a worker thread inside the coordinator's process. Off by default: a native crash in
         * training would take the coordinator with it; worker processes ({@link #processes()}) are safer.
         */
        @WithDefault("false")
        boolean enabled();

        /**
         * Worker processes the coordinator starts beside itself and restarts when they die:
         * {@code auto} (one per two cores, at most one per 2 GiB of memory, at least one; with GPUs,
         * {@link #slotsPerGpu()} per GPU) or a number; 0 starts none (workers come from elsewhere).
         */
        @WithDefault("auto")
        String processes();

        /** Worker processes per GPU when GPUs are present: several small trials share one GPU. */
        @WithDefault("1")
        int slotsPerGpu();

        /** GPUs to spread worker processes over: {@code auto} (counted by {@code nvidia-smi -L}) or a number. */
        @WithDefault("auto")
        String gpus();

        /** JVM options of each worker process. */
        @WithDefault("-Xmx1g")
        String jvmOptions();

        /** The coordinator URL worker processes are given; default {@code http://localhost:<http port>}. */
        Optional<String> coordinatorUrl();

        /** How long an idle in-process worker waits between claims; also the long poll's check interval. */
        @WithDefault("500ms")
        Duration poll();

        /** How long a claim holds a trial without a heartbeat before the trial goes back to waiting. */
        @WithDefault("60s")
        Duration lease();

        /** How often workers send heartbeats; well under {@link #lease()}. */
        @WithDefault("10s")
        Duration heartbeat();

        /** Claims of one trial before it is failed for good (a worker that died mid-trial counts). */
        @WithDefault("3")
        int maxAttempts();
    }

    /** Where studies' data files may be read from. */
    interface Data {
        /**
         * Folders a new study's data files (CSV, image table and its images) must lie in, links
         * resolved; relative entries resolve against the working directory. A study naming a file
         * elsewhere, or in Chorus's own files (its database, logs, configuration) whatever the roots
         * say, is refused. The default, {@code datasets}, is created on the first start.
         */
        @WithDefault("datasets")
        List<Path> roots();
    }

    /** Who may do what: API tokens and their roles (see {@code dev.chorus.access}). */
    interface Auth {
        /**
         * Treat a request as an admin's when it comes from this machine's loopback address to a loopback
         * host name (localhost, 127.0.0.1, [::1]) and no proxy forwarded it: the first-run convenience.
         * Turn it off behind a reverse proxy on the same machine, and in containers (kubectl
         * port-forward arrives on loopback).
         */
        @WithDefault("true")
        boolean loopbackAdmin();

        /**
         * A token that signs in as admin, for deployments with no loopback access (a Kubernetes Secret).
         * At least 32 characters; {@code openssl rand -hex 32} makes one.
         */
        Optional<String> adminToken();

        /**
         * A token that signs in with the worker role, given to workers on other machines
         * ({@code CHORUS_WORKER_TOKEN} there). At least 32 characters. Worker processes the coordinator
         * starts itself get a token made at start and never stored.
         */
        Optional<String> workerToken();

        /**
         * Failed authentications (unknown, revoked or malformed credentials) one client address may make
         * in a minute; past that its credentials are refused with 429 until the minute is over. Raise it
         * when many people reach Chorus through one address (a NAT) that Chorus does not see through.
         */
        @WithDefault("20")
        int failedAttemptsPerMinute();
    }

    /** Dashboard sign-in sessions (see {@code dev.chorus.access.SessionService}). */
    interface Sessions {
        /** A session unused this long is over: the next request goes to sign-in. Kept to within a minute. */
        @WithDefault("8h")
        Duration idleTimeout();

        /** A session this old is over however busy it is. */
        @WithDefault("7d")
        Duration maxAge();

        /**
         * How often an open event stream asks whether its credential (session or token) still signs in; it
         * ends within this long of a sign-out, revocation or expiry.
         */
        @WithDefault("15s")
        Duration streamCheck();
    }

    /** The loop that turns running studies' budgets into trials. */
    interface Coordinator {
        /** Run the coordinator loop in this process. */
        @WithDefault("true")
        boolean enabled();

        /**
         * How often running studies are checked for finished generations; at least 1 s, the resolution of
         * Quarkus's scheduler ({@link PeriodicLoops}): a shorter interval acts as 1 s.
         */
        @WithDefault("1s")
        Duration interval();
    }

    /** Where overnight jobs' notifications may be posted, and how long one delivery may take. */
    interface Webhooks {
        /**
         * Hosts a webhook may be posted to although they are loopback, link-local, private (RFC 1918,
         * IPv6 ULA), unspecified or multicast, which are refused otherwise: host names as written in the
         * URL (any address they resolve to is then accepted) or IP addresses (accepted however the URL
         * names them). For a receiver on this machine or the cluster network, e.g. {@code localhost} or
         * {@code 10.0.0.5}.
         */
        Optional<List<String>> allowedHosts();

        /**
         * The longest one delivery may take, from resolving the host to the last byte read (connect,
         * TLS, request, response headers and body); a receiver still sending after it is cut off and
         * the delivery counts as failed.
         */
        @WithDefault("15s")
        Duration timeout();
    }
}
