package dev.chorus.study;

import dev.chorus.error.ValidationException;
import dev.chorus.mtl.Architecture;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.Weighting;
import dev.chorus.search.SearchSpace.IntRange;
import dev.chorus.search.SearchSpace.RealRange;
import dev.chorus.search.SearchSpace;
import dev.chorus.spec.StudySpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Checks a {@link UserCandidate} against a study and turns it into a {@link Candidate}: every value
 * must lie in the study's search space, so the candidate can join the search's population.
 */
final class CandidateRequests {

    private CandidateRequests() {
    }

    /** @throws ValidationException listing every problem, each naming the field and what is allowed */
    static Candidate toCandidate(UserCandidate u, StudySpec spec) {
        List<String> problems = new ArrayList<>();
        SearchSpace space = spec.space();
        List<Task> tasks = spec.tasks();
        List<String> names = tasks.stream().map(Task::name).toList();
        Map<String, Integer> groupOf = new HashMap<>();
        if (u.groups() == null || u.groups().isEmpty()) {
            problems.add("groups: required; allowed: a list of models, each a list of task names from " + names);
        } else {
            for (int g = 0; g < u.groups().size(); g++) {
                for (String name : u.groups().get(g) == null ? List.<String>of() : u.groups().get(g)) {
                    if (!names.contains(name)) {
                        problems.add("groups[" + g + "]: unknown task '" + name + "'; allowed: " + names);
                    } else if (groupOf.putIfAbsent(name, g) != null) {
                        problems.add("groups[" + g + "]: task '" + name + "' is already in groups[" + groupOf.get(name)
                                + "]; allowed: each task in exactly one model");
                    }
                }
            }
            List<String> missing = names.stream().filter(n -> !groupOf.containsKey(n)).toList();
            if (!missing.isEmpty()) {
                problems.add("groups: tasks " + missing + " are in no model; allowed: every task in exactly one model");
            }
            long models = u.groups().stream().filter(g -> g != null && !g.isEmpty()).count();
            if (models > space.maxGroups()) {
                problems.add("groups: " + models + " models; allowed: at most " + space.maxGroups() + " (max-groups)");
            }
        }
        Weighting weighting = choice(problems, "weighting", u.weighting(), space.weightings(), Weighting::parse);
        List<Double> weights = new ArrayList<>();
        for (String name : names) {
            Double w = u.weights() == null ? null : u.weights().get(name);
            weights.add(w == null ? 1.0 : inRange(problems, "weights." + name, w, space.weight()));
        }
        if (u.weights() != null) {
            u.weights().keySet().stream().filter(k -> !names.contains(k))
                    .forEach(k -> problems.add("weights." + k + ": unknown task; allowed: " + names));
        }
        int width = member(problems, "trunkWidth", u.trunkWidth(), space.trunkWidths());
        int depth = whole(problems, "trunkDepth", u.trunkDepth(), space.trunkDepth(), space.trunkDepth().max());
        double lr = u.learningRate() == null ? Math.sqrt(space.learningRate().min() * space.learningRate().max())
                : inRange(problems, "learningRate", u.learningRate(), space.learningRate());
        int epochs = whole(problems, "epochs", u.epochs(), space.epochs(), space.epochs().max());
        int batch = member(problems, "batchSize", u.batchSize(), space.batchSizes());
        Architecture arch = choice(problems, "architecture", u.architecture(), space.architectures(),
                Architecture::parse);
        int headDepth = whole(problems, "headDepth", u.headDepth(), space.headDepth(), space.headDepth().min());
        int experts = arch == Architecture.MMOE
                ? whole(problems, "experts", u.experts(), space.experts(), space.experts().min()) : 0;
        if (!problems.isEmpty()) {
            throw new ValidationException("the candidate is not valid for study '" + spec.name() + "'", problems);
        }
        List<Integer> groups = names.stream().map(groupOf::get).toList();
        return new Candidate(groups, weights, weighting, new TrainSettings(width, depth, lr, epochs, batch), arch,
                headDepth, experts);
    }

    private static <T> T choice(List<String> problems, String field, String text, List<T> allowed,
                                Function<String, T> parse) {
        if (text == null) {
            return allowed.getFirst();
        }
        try {
            T value = parse.apply(text);
            if (allowed.contains(value)) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // reported below with the values this study allows
        }
        problems.add(field + ": '" + text + "' is not in this study's search space; allowed: " + allowed.stream()
                .map(v -> v instanceof Weighting w ? w.id() : v instanceof Architecture a ? a.id() : v.toString())
                .toList());
        return allowed.getFirst();
    }

    private static int member(List<String> problems, String field, Integer value, List<Integer> allowed) {
        if (value == null) {
            return allowed.getFirst();
        }
        if (!allowed.contains(value)) {
            problems.add(field + ": " + value + " is not in this study's search space; allowed: " + allowed);
        }
        return value;
    }

    private static int whole(List<String> problems, String field, Integer value, IntRange range, int otherwise) {
        if (value == null) {
            return otherwise;
        }
        if (value < range.min() || value > range.max()) {
            problems.add(field + ": " + value + " is outside this study's search space; allowed: " + range.min()
                    + ".." + range.max());
        }
        return value;
    }

    private static double inRange(List<String> problems, String field, double value, RealRange range) {
        if (!(value >= range.min() && value <= range.max())) {
            problems.add(field + ": " + value + " is outside this study's search space; allowed: " + range.min()
                    + ".." + range.max());
        }
        return value;
    }
}
