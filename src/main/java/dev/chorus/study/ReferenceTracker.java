package dev.chorus.study;

import dev.chorus.spec.StudySpec;
import dev.chorus.trial.References;
import dev.chorus.trial.Runs;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Each study's tuned single-task references as {@link Configurations#references} chooses them, brought up to
 * date from the trials that changed since they were last chosen rather than from every finished trial: what
 * the reads of a running study (its Pareto front, the dashboard) ask for on every call, at a cost that does
 * not grow with the study.
 *
 * <p>Why following the changes gives the whole choice:
 * <ul>
 *   <li>Every trial that is new or changed since the last read is either numbered above the last trial read
 *       (trials are numbered without gaps in commit order: {@link TrialStore#listAfter}) or was read then
 *       while still waiting or running; a finished trial never changes again.</li>
 *   <li>A configuration's runs change only when one of its trials does. {@link References#choose} takes the
 *       best of a total order, so choosing among the current references and the configurations whose runs
 *       changed gives the choice over all of them, as long as each reference among the changed ranks no lower
 *       than before ({@link References#keeps}): every configuration that lost to it still does. When one
 *       ranks lower (it races again, or more runs lowered its mean), the choice is made again from every
 *       trial of the study, as {@link Configurations#references} makes it.</li>
 * </ul>
 *
 * @implNote Thread-safe. A study's state is immutable and replaced whole: two readers that catch up at once
 *     both compute a valid state and the last one stays. {@link #of} keeps a state only when read outside a
 *     transaction, since inside one the trials read may include writes that roll back; inside one it is
 *     brought up to date for that read alone ({@link #refresh} keeps it where the caller knows its
 *     transaction has written nothing, and builds a first state off the caller's thread). Holds up to
 *     {@value #STUDIES} studies and forgets them all beyond.
 *     One instance serves the whole application, so the dashboard's reads and the completion path keep
 *     one state per study.
 */
@Singleton
public final class ReferenceTracker {

    private static final Logger LOG = Logger.getLogger(ReferenceTracker.class);

    /** Studies whose state is held at once. */
    static final int STUDIES = 64;
    /** Times a study's choice over all of its trials is tried again when its references changed during it. */
    static final int ATTEMPTS = 3;

    private final TrialStore trials;
    private final int chunk;
    private final Map<Long, State> states = new ConcurrentHashMap<>();
    /** Studies whose first read runs in the background, done once it ended either way. */
    private final Map<Long, CompletableFuture<Void>> building = new ConcurrentHashMap<>();
    private final Executor background;

    /**
     * The references over a study's trials numbered up to {@code lastNumber}, with {@code open} the ids of
     * those that were waiting or running when read.
     */
    private record State(References chosen, int lastNumber, Set<Long> open) {
    }

    @Inject
    ReferenceTracker(TrialStore trials) {
        this(trials, Configurations.CHUNK);
    }

    /** @param chunk trials read at a time, 1 or more; first reads in the background on virtual threads */
    public ReferenceTracker(TrialStore trials, int chunk) {
        this(trials, chunk, runnable -> Thread.ofVirtual().name("references").start(runnable));
    }

    /**
     * @param chunk      trials read at a time, 1 or more ({@link Configurations#CHUNK} in the application)
     * @param background runs the first read of a study that {@link #refresh} asks for (a new virtual thread
     *                   each in the application), outside any transaction
     */
    public ReferenceTracker(TrialStore trials, int chunk, Executor background) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be 1 or more, was " + chunk);
        }
        this.trials = trials;
        this.chunk = chunk;
        this.background = background;
    }

    /** The study's references now, as {@link Configurations#references} chooses them. */
    public References of(long studyId, StudySpec spec) {
        return read(studyId, spec, !QuarkusTransaction.isActive(), true);
    }

    /**
     * Brings a study's state up to date and keeps it even inside a transaction: for a caller whose
     * transaction has written nothing yet, so that what it reads is committed, and whose later reads in that
     * transaction then start from here. A study with no state yet is read in the background instead (its
     * first read is the whole study, seconds at a million trials, which the caller, a completion, must not
     * wait for); meanwhile {@link #of} waits for that read rather than make its own.
     */
    public void refresh(long studyId, StudySpec spec) {
        if (states.containsKey(studyId)) {
            read(studyId, spec, true, true);
        } else {
            warm(studyId, spec);
        }
    }

    /**
     * Starts reading a study whose state is not held yet in the background, unless that is under way;
     * returns at once. For callers that will ask soon and must not wait then (the coordinator, for the
     * studies whose completions read the references).
     */
    public void warm(long studyId, StudySpec spec) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        if (!states.containsKey(studyId) && building.putIfAbsent(studyId, mine) == null) {
            background.execute(() -> {
                try {
                    read(studyId, spec, true, false);
                } catch (RuntimeException e) {
                    LOG.warnf("Study %d: could not read its references in the background; read on demand: %s",
                            studyId, e.getMessage());
                } finally {
                    building.remove(studyId, mine);
                    mine.complete(null);
                }
            });
        }
    }

    /** @param join whether to wait for a first read under way in the background rather than read twice */
    private References read(long studyId, StudySpec spec, boolean keep, boolean join) {
        State held = states.get(studyId);
        CompletableFuture<Void> first = held == null && join ? building.get(studyId) : null;
        if (first != null) {
            first.join(); // it started earlier: it ends sooner than a whole read of our own
            held = states.get(studyId);
        }
        State now = held == null ? null : advance(studyId, spec, held);
        for (int attempt = 0; now == null && attempt < ATTEMPTS; attempt++) {
            now = advance(studyId, spec, new State(References.choose(spec.tasks(), List.of(),
                    spec.evaluation().repeats()), -1, Set.of()));
        }
        if (now == null) { // a reference kept changing while the study was read: choose without keeping a state
            return Configurations.references(trials, studyId, spec, chunk);
        }
        if (keep) {
            if (states.size() >= STUDIES && !states.containsKey(studyId)) {
                states.clear();
            }
            states.put(studyId, now);
        }
        return now.chosen();
    }

    /** {@code from} brought up to date, or null when a reference among the changed configurations ranks lower. */
    private State advance(long studyId, StudySpec spec, State from) {
        Set<Long> open = new HashSet<>(from.open());
        List<Trial> ended = trials.listFinished(studyId, from.open());
        ended.forEach(t -> open.remove(t.id()));
        References chosen = choose(studyId, spec, from.chosen(), ended);
        int last = from.lastNumber();
        boolean more = true;
        while (chosen != null && more) {
            List<Trial> page = trials.listAfter(studyId, last, chunk);
            more = page.size() == chunk;
            if (!page.isEmpty()) {
                last = page.getLast().number();
            }
            page.stream().filter(t -> !t.state().isFinished()).forEach(t -> open.add(t.id()));
            // a waiting first run changes nothing yet; a waiting repeat takes its configuration out of the options
            chosen = choose(studyId, spec, chosen, page.stream().filter(t -> t.state().isFinished() || t.isRepeat())
                    .toList());
        }
        return chosen == null ? null : new State(chosen, last, Set.copyOf(open));
    }

    /**
     * The references once the configurations of {@code changed} are judged on their runs now; null when one
     * of them was a reference and no longer {@linkplain References#keeps keeps} its tasks.
     */
    private References choose(long studyId, StudySpec spec, References chosen, List<Trial> changed) {
        if (changed.isEmpty()) {
            return chosen;
        }
        int minRuns = spec.evaluation().repeats();
        Set<Long> configurations = new LinkedHashSet<>();
        Map<Long, Trial> firsts = new HashMap<>();
        for (Trial t : changed) {
            configurations.add(t.isRepeat() ? t.repeatOf() : t.id());
            if (!t.isRepeat()) {
                firsts.put(t.id(), t);
            }
        }
        // a repeat exists only once its first run completed, so the first runs not in hand are finished ones
        Collection<Long> missing = configurations.stream().filter(id -> !firsts.containsKey(id)).toList();
        trials.listFinished(studyId, missing).forEach(t -> firsts.put(t.id(), t));
        Map<Long, List<Trial>> repeats = Runs.byFirstRun(trials.repeats(configurations));
        Map<Long, Runs> now = new HashMap<>();
        for (long id : configurations) {
            Trial first = firsts.get(id);
            now.put(id, first == null ? null : Configurations.option(first, repeats.getOrDefault(id, List.of()), spec));
        }
        List<Runs> options = new ArrayList<>();
        for (var task : spec.tasks()) {
            Runs reference = chosen.of(task.name()).orElse(null);
            if (reference == null) {
                continue;
            }
            long id = reference.first().id();
            if (!now.containsKey(id)) {
                options.add(reference);
            } else if (!chosen.keeps(id, now.get(id), minRuns)) {
                return null;
            }
        }
        now.values().stream().filter(r -> r != null).forEach(options::add);
        return References.choose(spec.tasks(), options, minRuns);
    }
}
