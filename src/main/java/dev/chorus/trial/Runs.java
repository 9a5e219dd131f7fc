package dev.chorus.trial;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration's complete runs: its first run and the repeats of it that completed, each a paired
 * comparison with baselines trained on the same seed and rows. Every number a configuration is judged
 * or reported by is the mean over these runs, with its interval.
 *
 * @param first the configuration's first run (replicate 0), whatever its state
 * @param runs  the complete runs, the first included when it completed, in replicate order
 */
public record Runs(Trial first, List<Trial> runs) {

    public Runs {
        Objects.requireNonNull(first, "first");
        if (first.isRepeat()) {
            throw new IllegalArgumentException("trial " + first.id() + " is a repeat, not a first run");
        }
        runs = List.copyOf(runs);
    }

    /**
     * The complete runs among {@code first} and {@code repeats}.
     *
     * @throws IllegalArgumentException when a repeat belongs to another configuration
     */
    public static Runs of(Trial first, List<Trial> repeats) {
        List<Trial> complete = new ArrayList<>();
        if (counts(first)) {
            complete.add(first);
        }
        for (Trial r : repeats) {
            if (!Objects.equals(r.repeatOf(), first.id())) {
                throw new IllegalArgumentException("trial " + r.id() + " does not repeat trial " + first.id());
            }
            if (counts(r)) {
                complete.add(r);
            }
        }
        complete.sort(Comparator.comparingInt(Trial::replicate));
        return new Runs(first, complete);
    }

    /**
     * The runs of each first run in {@code firsts}, in that order, from {@code repeats} (which may hold
     * repeats of other configurations too: they are ignored).
     */
    public static List<Runs> ofEach(List<Trial> firsts, List<Trial> repeats) {
        Map<Long, List<Trial>> byFirst = byFirstRun(repeats);
        return firsts.stream().map(f -> of(f, byFirst.getOrDefault(f.id(), List.of()))).toList();
    }

    /** Repeats grouped by the id of the first run they repeat. */
    public static Map<Long, List<Trial>> byFirstRun(List<Trial> repeats) {
        Map<Long, List<Trial>> out = new HashMap<>();
        repeats.forEach(r -> out.computeIfAbsent(r.repeatOf(), k -> new ArrayList<>()).add(r));
        return out;
    }

    /** A run counts once it completed with its results. */
    private static boolean counts(Trial t) {
        return t.state() == TrialState.COMPLETE && !t.results().isEmpty();
    }

    /** How many complete runs the numbers rest on. */
    public int count() {
        return runs.size();
    }

    /**
     * The first run carrying the means over the complete runs: per task the mean value, baseline and
     * paired delta on each split, and the mean Δm on each split; the first run itself while none is
     * complete.
     */
    public Trial mean() {
        if (runs.isEmpty()) {
            return first;
        }
        List<TaskResult> results = new ArrayList<>();
        for (TaskResult r : runs.getFirst().results()) {
            List<TaskResult> perRun = runs.stream().map(t -> result(t, r.task())).toList();
            results.add(new TaskResult(r.task(), mean(perRun, TaskResult::validation), mean(perRun, TaskResult::test),
                    r.baselineHash()));
        }
        return new Trial(first.id(), first.studyId(), first.number(), first.generation(), first.replicate(), null, first.variantOf(),
                first.candidate(), TrialState.COMPLETE, first.attempts(), first.worker(), deltaM().mean(),
                testDeltaM().mean(), first.error(), first.createdAt(), first.startedAt(), first.finishedAt(), results);
    }

    /** Δm on the validation split over the runs. */
    public Interval deltaM() {
        return Interval.of(runs.stream().mapToDouble(t -> DeltaM.of(t.results())).toArray());
    }

    /** Δm on the held-out test split over the runs. */
    public Interval testDeltaM() {
        return Interval.of(runs.stream().mapToDouble(t -> DeltaM.ofTest(t.results())).toArray());
    }

    /** Each task's paired delta over the runs, on the validation split and on the test split. */
    public Map<String, TaskDeltas> deltas() {
        Map<String, TaskDeltas> out = new LinkedHashMap<>();
        if (runs.isEmpty()) {
            return out;
        }
        for (TaskResult r : runs.getFirst().results()) {
            List<TaskResult> perRun = runs.stream().map(t -> result(t, r.task())).toList();
            out.put(r.task(), new TaskDeltas(Interval.of(perRun.stream().mapToDouble(x -> x.validation().delta()).toArray()),
                    Interval.of(perRun.stream().mapToDouble(x -> x.test().delta()).toArray())));
        }
        return out;
    }

    /** One task's paired deltas (percent) over a configuration's runs. */
    public record TaskDeltas(Interval validation, Interval test) {
    }

    private static TaskResult result(Trial t, String task) {
        return t.results().stream().filter(x -> x.task().equals(task)).findFirst().orElseThrow(
                () -> new IllegalStateException("trial " + t.number() + " has no result for task " + task));
    }

    private static Score mean(List<TaskResult> perRun, Function<TaskResult, Score> split) {
        return new Score(perRun.stream().mapToDouble(r -> split.apply(r).value()).average().orElseThrow(),
                perRun.stream().mapToDouble(r -> split.apply(r).baseline()).average().orElseThrow(),
                perRun.stream().mapToDouble(r -> split.apply(r).delta()).average().orElseThrow());
    }
}
