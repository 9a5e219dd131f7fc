package dev.chorus.trial;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Each task's tuned single-task reference, and what a configuration gains over them by sharing.
 *
 * <p>A configuration in which a task has a model of its own (a singleton group) trains that task alone
 * with the configuration's searched settings: a single-task model from the same search space as the
 * candidates. A task's reference is, among the settled configurations that train it alone, the one with
 * the best mean validation delta for that task against the fixed {@code baseline}; the fixed baseline
 * itself is one more option, with delta 0, and stays the reference while no singleton beats it on
 * validation. As in racing, a challenger must rest on as many runs as the incumbent it displaces: the
 * fixed baseline is paired with every run of every replicate, so only a configuration with the study's
 * full count of runs may replace it (one lucky run may not), and among the options only those with the
 * most runs compete (after the confirmation, a reference on its {@code confirm} runs is not displaced
 * by a configuration on the search's {@code repeats}). Nothing here is chosen by a test metric.
 *
 * <p>Every run, first or repeat, of every configuration is compared with baselines trained on its own
 * replicate's seed and rows, and two configurations' runs of one replicate share those draws. So the
 * gain from sharing is paired by replicate: run {@code r} of a configuration against run {@code r} of
 * each reference (Δm as LibMTL defines it, with the reference's metric as the denominator), over the
 * replicates both have. The gain from tuning is the reference's own paired delta against the fixed
 * baseline. Immutable; pure functions.
 */
public final class References {

    private final List<Task> tasks;
    private final Map<String, Runs> chosen;

    private References(List<Task> tasks, Map<String, Runs> chosen) {
        this.tasks = List.copyOf(tasks);
        this.chosen = chosen;
    }

    /**
     * The references among {@code settled}: configurations whose runs are all finished (an unsettled
     * one may still be racing, and its mean is not yet what it will be judged by).
     *
     * @param tasks   the study's tasks in study order (the order a candidate's groups index)
     * @param minRuns complete runs a configuration needs to become a reference ({@code evaluation.repeats})
     */
    public static References choose(List<Task> tasks, List<Runs> settled, int minRuns) {
        Map<String, Runs> chosen = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            String name = tasks.get(i).name();
            int index = i;
            settled.stream().filter(r -> option(r, index, name, minRuns)).max(rank(name))
                    .ifPresent(r -> chosen.put(name, r));
        }
        return new References(tasks, chosen);
    }

    /**
     * Whether new runs of a configuration keep every task it is the reference of: for each such task they are
     * still an option and rank at least as high as the runs it was chosen on, so no option that lost to it
     * then beats it now. Choosing again among the references and the configurations whose runs changed then
     * gives the choice over every configuration; when this is false, only a choice over all of them does.
     *
     * @param firstRunId the configuration's first run
     * @param runs       its runs now, or null when it is no option any more (racing again, say)
     */
    public boolean keeps(long firstRunId, Runs runs, int minRuns) {
        for (int i = 0; i < tasks.size(); i++) {
            String name = tasks.get(i).name();
            Runs was = chosen.get(name);
            if (was != null && was.first().id() == firstRunId
                    && (runs == null || !option(runs, i, name, minRuns) || rank(name).compare(runs, was) < 0)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a configuration competes for task {@code index}'s reference at all. */
    private static boolean option(Runs runs, int index, String task, int minRuns) {
        return runs.count() >= Math.max(1, minRuns) && alone(runs.first().candidate(), index)
                && validation(runs, task) > 0; // the fixed baseline scores 0: beat it or it stays
    }

    /**
     * The order options for a task's reference compete in, the best last: most runs first (as in racing, an
     * option on fewer runs than another, a confirmed one, may not displace it), then the mean validation delta,
     * then the earlier trial. A total order over configurations, so choices over parts of them compose.
     */
    private static Comparator<Runs> rank(String task) {
        return Comparator.comparingInt(Runs::count)
                .thenComparingDouble((Runs r) -> validation(r, task))
                .thenComparing(r -> -r.first().number());
    }

    /** Whether task {@code index} (study order) has a model of its own in {@code candidate}. */
    public static boolean alone(Candidate candidate, int index) {
        int group = candidate.groups().get(index);
        return candidate.groups().stream().filter(g -> g == group).count() == 1;
    }

    /**
     * The tasks for which a first run, on its one run, would replace the reference: it trains the task
     * alone and its validation delta beats both the fixed baseline and the current reference's mean.
     * Such a configuration races before it is trusted, as a challenger to the front does.
     */
    public List<String> challenged(Trial first) {
        List<String> out = new ArrayList<>();
        if (first.state() != TrialState.COMPLETE || first.results().isEmpty()) {
            return out;
        }
        for (int i = 0; i < tasks.size(); i++) {
            String name = tasks.get(i).name();
            double delta = result(first, name).validation().delta();
            Runs current = chosen.get(name);
            if (alone(first.candidate(), i) && delta > 0 && (current == null || delta > validation(current, name))) {
                out.add(name);
            }
        }
        return out;
    }

    /** The configuration whose singleton model is the task's reference; empty while it is the fixed baseline. */
    public Optional<Runs> of(String task) {
        return Optional.ofNullable(chosen.get(task));
    }

    /** Each task's reference as people read it, in study order. */
    public List<Reference> describe() {
        return tasks.stream().map(t -> {
            Runs r = chosen.get(t.name());
            return r == null ? new Reference(t.name(), null, null, 0, null)
                    : new Reference(t.name(), r.first().id(), r.first().number(), r.count(), r.deltas().get(t.name()));
        }).toList();
    }

    /**
     * What the references gain together over the fixed baseline settings: on each replicate of which every
     * reference has a complete run, each task's paired delta against its fixed baseline (0 where the fixed
     * baseline is the reference), Δm their mean over tasks. It is what training every task alone with its
     * reference's settings buys, which is the answer when no grouping beats the references.
     *
     * @return empty while every task's reference is the fixed baseline (nothing tuned beat it)
     */
    public Optional<Tuning> tuning() {
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        Set<Integer> common = new TreeSet<>();
        chosen.values().iterator().next().runs().forEach(t -> common.add(t.replicate()));
        chosen.values().forEach(r -> common.removeIf(replicate -> runOf(r, replicate).isEmpty()));
        List<double[]> deltaM = new ArrayList<>();
        for (int replicate : common) {
            double validation = 0;
            double test = 0;
            for (Task t : tasks) {
                Runs reference = chosen.get(t.name());
                if (reference != null) {
                    TaskResult own = result(runOf(reference, replicate).orElseThrow(), t.name());
                    validation += own.validation().delta();
                    test += own.test().delta();
                }
            }
            deltaM.add(new double[]{validation / tasks.size(), test / tasks.size()});
        }
        if (deltaM.isEmpty()) {
            throw new IllegalStateException("the references share no replicate"); // every one has replicate 0
        }
        Runs.TaskDeltas m = deltas(deltaM);
        return Optional.of(new Tuning(deltaM.size(), m.validation(), m.test()));
    }

    /**
     * What {@code member} gains over the references, paired by replicate over the replicates it shares
     * with every reference it needs; its own runs of other replicates are left out. Each task's delta
     * is {@link DeltaM#relative} of the member's metric against the reference's on the same replicate (the
     * paired fixed baseline where that is the reference), Δm their mean over tasks.
     *
     * @throws IllegalArgumentException when {@code member} has no complete run
     */
    public Sharing sharing(Runs member) {
        if (member.count() == 0) {
            throw new IllegalArgumentException("trial " + member.first().number() + " has no complete run");
        }
        Map<String, List<double[]>> perTask = new LinkedHashMap<>();
        tasks.forEach(t -> perTask.put(t.name(), new ArrayList<>()));
        List<double[]> deltaM = new ArrayList<>();
        for (Trial run : member.runs()) {
            Map<String, double[]> deltas = paired(run);
            if (deltas == null) {
                continue;
            }
            deltas.forEach((task, d) -> perTask.get(task).add(d));
            deltaM.add(new double[]{mean(deltas, 0), mean(deltas, 1)});
        }
        if (deltaM.isEmpty()) {
            throw new IllegalStateException("trial " + member.first().number() + " shares no replicate with its "
                    + "references"); // cannot happen: every settled reference has its first run, replicate 0
        }
        Map<String, Runs.TaskDeltas> tasksOut = new LinkedHashMap<>();
        perTask.forEach((task, d) -> tasksOut.put(task, deltas(d)));
        Runs.TaskDeltas m = deltas(deltaM);
        return new Sharing(deltaM.size(), m.validation(), m.test(), tasksOut);
    }

    /**
     * Δm against the references of each of {@code member}'s runs that every reference it needs shares:
     * replicate to {validation Δm, test Δm}, by replicate. Two configurations' values of one replicate are
     * paired (same seeds, same rows, same references), so their differences are what a paired comparison
     * reads.
     */
    public SortedMap<Integer, double[]> byReplicate(Runs member) {
        SortedMap<Integer, double[]> out = new TreeMap<>();
        for (Trial run : member.runs()) {
            Map<String, double[]> deltas = paired(run);
            if (deltas != null) {
                out.put(run.replicate(), new double[]{mean(deltas, 0), mean(deltas, 1)});
            }
        }
        return out;
    }

    /** Per task, {validation, test} delta of one run against the references' runs of its replicate; null if one lacks it. */
    private Map<String, double[]> paired(Trial run) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Task t : tasks) {
            TaskResult mine = result(run, t.name());
            Runs reference = chosen.get(t.name());
            double validation;
            double test;
            if (reference == null) {
                validation = mine.validation().baseline();
                test = mine.test().baseline();
            } else {
                Trial same = runOf(reference, run.replicate()).orElse(null);
                if (same == null) {
                    return null;
                }
                TaskResult theirs = result(same, t.name());
                validation = theirs.validation().value();
                test = theirs.test().value();
            }
            out.put(t.name(), new double[]{
                    DeltaM.relative(mine.validation().value(), validation, t.direction()),
                    DeltaM.relative(mine.test().value(), test, t.direction())});
        }
        return out;
    }

    /** {@code runs}' complete run of {@code replicate}, if it has one. */
    private static Optional<Trial> runOf(Runs runs, int replicate) {
        return runs.runs().stream().filter(x -> x.replicate() == replicate).findFirst();
    }

    private static double mean(Map<String, double[]> deltas, int split) {
        return deltas.values().stream().mapToDouble(d -> d[split]).average().orElseThrow();
    }

    private static Runs.TaskDeltas deltas(List<double[]> runs) {
        return new Runs.TaskDeltas(Interval.of(runs.stream().mapToDouble(d -> d[0]).toArray()),
                Interval.of(runs.stream().mapToDouble(d -> d[1]).toArray()));
    }

    private static double validation(Runs runs, String task) {
        return runs.deltas().get(task).validation().mean();
    }

    private static TaskResult result(Trial t, String task) {
        return t.results().stream().filter(x -> x.task().equals(task)).findFirst().orElseThrow(
                () -> new IllegalStateException("trial " + t.number() + " has no result for task " + task));
    }

    /**
     * A task's reference.
     *
     * @param trialId     the configuration (its first run) whose singleton model is the reference, or null
     *                    when it is the fixed {@code baseline}
     * @param trialNumber that configuration's trial number, or null
     * @param runs        its complete runs, 0 for the fixed baseline
     * @param tuning      the gain from tuning: the reference's paired delta against the fixed baseline over
     *                    its runs, on both splits; null for the fixed baseline (no gain by definition)
     */
    public record Reference(String task, Long trialId, Integer trialNumber, int runs, Runs.TaskDeltas tuning) {

        /** Whether the fixed {@code baseline} settings are the reference. */
        public boolean fixedBaseline() {
            return trialId == null;
        }
    }

    /**
     * The gain from tuning of all the references together (see {@link #tuning()}).
     *
     * @param runs       the replicates every reference has a complete run of
     * @param deltaM     Δm against the fixed baselines on the validation split, by which the references were
     *                   chosen (so it is optimistic)
     * @param testDeltaM Δm against the fixed baselines on the held-out test split: what may be claimed
     */
    public record Tuning(int runs, Interval deltaM, Interval testDeltaM) {
    }

    /**
     * The gain from sharing: a configuration against the tuned references, paired by replicate.
     *
     * @param runs       how many of its runs were paired with a run of every reference
     * @param deltaM     Δm against the references on the validation split: what choices may read
     * @param testDeltaM Δm against the references on the held-out test split: what may be claimed
     * @param tasks      per task, its paired delta against its reference on both splits
     */
    public record Sharing(int runs, Interval deltaM, Interval testDeltaM, Map<String, Runs.TaskDeltas> tasks) {

        public Sharing {
            tasks = Collections.unmodifiableMap(new LinkedHashMap<>(tasks));
        }
    }
}
