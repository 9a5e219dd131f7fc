package dev.chorus.dispatch;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jboss.logging.Logger;

/**
 * {@code chorus worker}: a worker process that speaks the trial protocol to a coordinator. Runs without
 * the coordinator's server or database: it needs only the coordinator's URL and the study's files.
 *
 * <pre>
 * worker [--coordinator URL] [--name NAME] [--device cpu|gpu|gpu:N] [--idle-exit DURATION]
 *        [--assignments ID:CLAIM,...] [--retry-for DURATION] [--parent-pid PID]
 * </pre>
 * Every option also reads from an environment variable ({@code CHORUS_COORDINATOR_URL},
 * {@code CHORUS_WORKER_NAME}, {@code CHORUS_DEVICE}, {@code CHORUS_WORKER_IDLE_EXIT},
 * {@code CHORUS_ASSIGNMENTS}, {@code CHORUS_WORKER_RETRY_FOR}); the worker token comes only from
 * {@code CHORUS_WORKER_TOKEN}. With {@code --assignments} the worker
 * runs the trials claimed for it (by the Kubernetes dispatcher), each in a process of its own when
 * there are several (they share the device), and exits; otherwise it claims trials until stopped, or
 * until it was idle for {@code --idle-exit}.
 */
public final class WorkerCommand {

    private static final Logger LOG = Logger.getLogger(WorkerCommand.class);

    static final String USAGE = """
            usage: java -jar quarkus-run.jar worker [options]
              --coordinator URL     the coordinator's base URL (CHORUS_COORDINATOR_URL; default http://localhost:8080)
              --name NAME           this worker's name on the trials it holds (CHORUS_WORKER_NAME; default worker-<pid>@<host>)
              --device DEVICE       auto | cpu | gpu | gpu:N (CHORUS_DEVICE; default auto)
              --idle-exit DURATION  exit after no trial came for this long, e.g. 5m (CHORUS_WORKER_IDLE_EXIT; default never)
              --assignments LIST    run these claimed trials, ID:CLAIM[,ID:CLAIM...], then exit (CHORUS_ASSIGNMENTS)
              --retry-for DURATION  keep retrying an unreachable coordinator this long (CHORUS_WORKER_RETRY_FOR; default 10m)
              --parent-pid PID      exit when this process exits (set by the coordinator for its own workers)""";

    private WorkerCommand() {
    }

    /** Runs the worker; returns the process exit code. */
    public static int run(List<String> args, Map<String, String> env, AssignmentRunner runner) {
        if (args.contains("--help") || args.contains("-h")) {
            System.out.println(USAGE);
            return 0;
        }
        Options o;
        try {
            o = Options.parse(args, env);
        } catch (IllegalArgumentException e) {
            System.err.println("worker: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        consoleLogging();
        if (o.device() != null) {
            System.setProperty("chorus.device", o.device());
        }
        if (o.parentPid() != null) {
            ProcessHandle.of(o.parentPid()).ifPresentOrElse(
                    p -> p.onExit().thenRun(() -> {
                        LOG.warnf("Worker %s: coordinator process %d exited; stopping", o.name(), o.parentPid());
                        Runtime.getRuntime().halt(3);
                    }),
                    () -> Runtime.getRuntime().halt(3));
        }
        HttpTrialProtocol coordinator = new HttpTrialProtocol(o.coordinator(), o.retryFor(), o.token());
        if (!o.assignments().isEmpty()) {
            return runAssigned(o, coordinator, runner);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> running.set(false)));
        Worker worker = new Worker(coordinator, runner, o.name());
        LOG.infof("Worker %s: claiming trials from %s", o.name(), o.coordinator());
        worker.run(running::get, Duration.ofSeconds(30), o.idleExit());
        worker.close();
        return 0;
    }

    /** Runs trials claimed on this worker's behalf: here when one, in child processes when several. */
    private static int runAssigned(Options o, TrialProtocol coordinator, AssignmentRunner runner) {
        if (o.assignments().size() == 1) {
            JobAssignments.Claimed a = o.assignments().getFirst();
            Worker worker = new Worker(coordinator, runner, o.name());
            worker.runOne(coordinator.assignment(a.trialId(), a.claim()));
            worker.close();
            return 0;
        }
        List<Process> children = new ArrayList<>();
        try {
            for (int i = 0; i < o.assignments().size(); i++) {
                JobAssignments.Claimed a = o.assignments().get(i);
                WorkerProcess child = new WorkerProcess(o.coordinator().toString(), o.name() + "/" + i, o.device(), 0,
                        System.getenv().getOrDefault("CHORUS_WORKER_JVM_OPTIONS", ""),
                        List.of("--assignments", a.trialId() + ":" + a.claim()));
                children.add(new ProcessBuilder(child.command()).inheritIO().start());
            }
            int worst = 0;
            for (Process p : children) {
                worst = Math.max(worst, p.waitFor());
            }
            return worst;
        } catch (IOException e) {
            LOG.errorf(e, "Worker %s could not start a process per trial", o.name());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            children.forEach(Process::destroy);
            return 1;
        }
    }

    /** Without Quarkus nothing configures logging: one console line per record, DJL's chatter muted. */
    private static void consoleLogging() {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        if (root.getHandlers().length > 0) {
            return;
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                String thrown = r.getThrown() == null ? "" : " " + r.getThrown();
                return String.format("%tT %-7s [%s] %s%s%n", r.getMillis(), r.getLevel(),
                        r.getLoggerName().substring(r.getLoggerName().lastIndexOf('.') + 1), formatMessage(r), thrown);
            }
        });
        root.addHandler(console);
        root.setLevel(Level.INFO);
        java.util.logging.Logger.getLogger("ai.djl").setLevel(Level.WARNING);
    }

    /**
     * @param token the worker token from {@code CHORUS_WORKER_TOKEN} (or {@code CHORUS_AUTH_WORKER_TOKEN},
     *     so one Secret serves coordinator and workers); never an option, which {@code ps} would show
     */
    record Options(URI coordinator, String name, String device, Duration idleExit, Duration retryFor,
                   List<JobAssignments.Claimed> assignments, Long parentPid, String token) {

        static Options parse(List<String> args, Map<String, String> env) {
            String coordinator = env.getOrDefault("CHORUS_COORDINATOR_URL", "http://localhost:8080");
            String name = env.get("CHORUS_WORKER_NAME");
            String device = env.get("CHORUS_DEVICE");
            String idle = env.get("CHORUS_WORKER_IDLE_EXIT");
            String retry = env.getOrDefault("CHORUS_WORKER_RETRY_FOR", "10m");
            String assignments = env.get("CHORUS_ASSIGNMENTS");
            String parent = null;
            for (int i = 0; i < args.size(); i++) {
                String flag = args.get(i);
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args.get(++i);
                switch (flag) {
                    case "--coordinator" -> coordinator = value;
                    case "--name" -> name = value;
                    case "--device" -> device = value;
                    case "--idle-exit" -> idle = value;
                    case "--retry-for" -> retry = value;
                    case "--assignments" -> assignments = value;
                    case "--parent-pid" -> parent = value;
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            URI url;
            try {
                url = URI.create(coordinator);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--coordinator: not a URL: " + coordinator);
            }
            if (url.getScheme() == null || !url.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("--coordinator must be an http(s) URL, was " + coordinator);
            }
            return new Options(url, name == null || name.isBlank() ? Workers.defaultName("worker") : name,
                    device == null || device.isBlank() ? null : device,
                    idle == null || idle.isBlank() ? null : duration("--idle-exit", idle), duration("--retry-for", retry),
                    assigned(assignments), parent == null ? null : pid(parent),
                    env.getOrDefault("CHORUS_WORKER_TOKEN", env.get("CHORUS_AUTH_WORKER_TOKEN")));
        }

        static Duration duration(String flag, String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.matches("\\d+(ms|s|m|h)")) {
                    long n = Long.parseLong(v.replaceAll("\\D", ""));
                    return v.endsWith("ms") ? Duration.ofMillis(n) : v.endsWith("s") ? Duration.ofSeconds(n)
                            : v.endsWith("m") ? Duration.ofMinutes(n) : Duration.ofHours(n);
                }
                return Duration.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(flag + ": '" + value + "' is not a duration such as 30s, 5m or PT1H");
            }
        }

        static List<JobAssignments.Claimed> assigned(String list) {
            if (list == null || list.isBlank()) {
                return List.of();
            }
            try {
                return JobAssignments.parse(list).claims();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--assignments: " + e.getMessage());
            }
        }

        static long pid(String value) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--parent-pid must be a process id, was " + value);
            }
        }
    }
}
