package dev.chorus.spec;

import dev.chorus.spec.SpecException.Problem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads typed values out of a composed YAML document and records a {@link Problem} for each value that
 * is missing, of the wrong type or out of range, instead of stopping at the first. Every reader returns
 * {@code null} for a value that is absent or wrong, so callers apply defaults with a null check and the
 * collected problems decide, at the end, whether the file is usable.
 *
 * @implNote not thread-safe: one reader per parse.
 */
final class SpecReader {

    /** The path of problems about the file as a whole. */
    static final String DOCUMENT = "(document)";

    private final List<Problem> problems = new ArrayList<>();

    List<Problem> problems() {
        return problems;
    }

    void problem(int line, String path, String message) {
        problems.add(new Problem(path, line, message));
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /**
     * Opens a mapping whose keys must be among {@code keys}; {@code null} keys allows any. A node that is
     * absent or not a mapping (the latter reported) gives an empty section.
     *
     * @param line the line to cite when a required key is missing: the line of the key owning the mapping
     */
    Section section(Node node, String path, int line, Set<String> keys) {
        if (node != null && !(node instanceof MappingNode)) {
            problem(line(node), path.isEmpty() ? DOCUMENT : path, "expected a mapping, got " + describe(node)
                    + (keys == null ? "" : "; allowed: keys " + String.join(", ", keys)));
            node = null;
        }
        return new Section((MappingNode) node, path, line, keys);
    }

    /** The items of a list, or {@code null} (reported when present but not a list). */
    List<Node> list(Node node, String path, String allowed) {
        if (node == null) {
            return null;
        }
        if (node instanceof SequenceNode seq) {
            return seq.getValue();
        }
        problem(line(node), path, "expected a list, got " + describe(node) + "; allowed: " + allowed);
        return null;
    }

    /** A scalar's text, whatever its YAML type. */
    String text(Node node, String path, String allowed) {
        if (node == null) {
            return null;
        }
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        problem(line(node), path, "expected a single value, got " + describe(node) + "; allowed: " + allowed);
        return null;
    }

    /** A whole number in {@code [min, max]}. */
    Long whole(Node node, String path, long min, long max) {
        if (node == null) {
            return null;
        }
        String allowed = range(min, max);
        Long value = null;
        if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.INT)) {
            try {
                value = Long.parseLong(scalar.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                // hex, octal, sexagesimal or too large: rejected below
            }
        }
        if (value == null) {
            problem(line(node), path, "expected a whole number, got " + describe(node) + "; allowed: " + allowed);
        } else if (value < min || value > max) {
            problem(line(node), path, value + " is out of range; allowed: " + allowed);
            value = null;
        }
        return value;
    }

    Integer integer(Node node, String path, int min, int max) {
        Long value = whole(node, path, min, max);
        return value == null ? null : value.intValue();
    }

    /** A finite number within {@code bounds}; whole numbers are accepted too. */
    Double real(Node node, String path, Bounds bounds) {
        if (node == null) {
            return null;
        }
        Double value = null;
        if (node instanceof ScalarNode scalar
                && (scalar.getTag().equals(Tag.INT) || scalar.getTag().equals(Tag.FLOAT))) {
            try {
                double d = Double.parseDouble(scalar.getValue().replace("_", ""));
                value = Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e) {
                // .inf, .nan or an unusual integer form: rejected below
            }
        }
        if (value == null) {
            problem(line(node), path, "expected a number, got " + describe(node) + "; allowed: " + bounds);
        } else if (!bounds.contains(value)) {
            problem(line(node), path, number(value) + " is out of range; allowed: " + bounds);
            value = null;
        }
        return value;
    }

    Boolean bool(Node node, String path) {
        if (node == null) {
            return null;
        }
        if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.BOOL)) {
            return switch (scalar.getValue().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                default -> false;
            };
        }
        problem(line(node), path, "expected true or false, got " + describe(node) + "; allowed: true, false");
        return null;
    }

    /**
     * A value parsed by {@code parse}, whose {@link IllegalArgumentException} message (which names the
     * allowed values) becomes the problem.
     */
    <T> T choice(Node node, String path, String allowed, Function<String, T> parse) {
        String text = text(node, path, allowed);
        if (text == null) {
            return null;
        }
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            problem(line(node), path, e.getMessage());
            return null;
        }
    }

    /** The keys a mapping allows, in the order error messages list them. */
    static Set<String> keys(String... keys) {
        return Collections.unmodifiableSequencedSet(new LinkedHashSet<>(List.of(keys)));
    }

    static String range(long min, long max) {
        return max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max;
    }

    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String describe(Node node) {
        return switch (node) {
            case MappingNode m -> "a mapping";
            case SequenceNode s -> "a list";
            case ScalarNode s when s.getTag().equals(Tag.NULL) -> "nothing";
            case ScalarNode s -> "'" + (s.getValue().length() <= 60 ? s.getValue() : s.getValue().substring(0, 60) + "...")
                    + "'";
            default -> node.getNodeId().toString();
        };
    }

    /**
     * The bounds of a real value, each end open or closed; {@code max} may be infinite.
     */
    record Bounds(double min, boolean minOpen, double max, boolean maxOpen) {
        static Bounds atLeast(double min) {
            return new Bounds(min, false, Double.POSITIVE_INFINITY, true);
        }

        static Bounds above(double min) {
            return new Bounds(min, true, Double.POSITIVE_INFINITY, true);
        }

        boolean contains(double v) {
            return (minOpen ? v > min : v >= min) && (maxOpen ? v < max : v <= max);
        }

        @Override
        public String toString() {
            if (Double.isInfinite(max)) {
                return (minOpen ? "> " : ">= ") + number(min);
            }
            return (minOpen ? "(" : "[") + number(min) + ", " + number(max) + (maxOpen ? ")" : "]");
        }
    }

    /**
     * One YAML mapping being read: its unknown and duplicated keys are reported when it is opened, and
     * its values are read by key. An absent mapping reads as empty and reports no missing keys.
     */
    final class Section {
        private final String path;
        private final int line;
        private final boolean present;
        private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

        private Section(MappingNode node, String path, int line, Set<String> keys) {
            this.path = path;
            this.line = line;
            this.present = node != null;
            if (node == null) {
                return;
            }
            Map<String, Integer> firstLine = new HashMap<>();
            for (NodeTuple entry : node.getValue()) {
                Node keyNode = entry.getKeyNode();
                if (!(keyNode instanceof ScalarNode scalar)) {
                    SpecReader.this.problem(SpecReader.line(keyNode), path, "a key must be a plain name, got " + describe(keyNode)
                            + (keys == null ? "" : "; allowed: " + String.join(", ", keys)));
                    continue;
                }
                String key = scalar.getValue();
                Integer first = firstLine.putIfAbsent(key, SpecReader.line(keyNode));
                if (first != null) {
                    SpecReader.this.problem(SpecReader.line(keyNode), path(key), "duplicate key '" + key + "' (first at line " + first + ")");
                } else if (keys != null && !keys.contains(key)) {
                    SpecReader.this.problem(SpecReader.line(keyNode), path(key), "unknown key '" + key + "'; allowed: " + String.join(", ", keys));
                } else {
                    entries.put(key, entry);
                }
            }
        }

        /** The dotted path of one of this mapping's keys. */
        String path(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        /** The line of a key, or this mapping's line when the key is absent. */
        int line(String key) {
            NodeTuple entry = entries.get(key);
            return entry == null ? line : SpecReader.line(entry.getKeyNode());
        }

        /** Whether the mapping is in the file (and is a mapping). */
        boolean present() {
            return present;
        }

        /** The keys present, in file order. */
        Set<String> keys() {
            return entries.keySet();
        }

        /** A key's value; {@code null} when the key is absent or its value is YAML null. */
        Node node(String key) {
            NodeTuple entry = entries.get(key);
            if (entry == null) {
                return null;
            }
            Node value = entry.getValueNode();
            return value instanceof ScalarNode s && s.getTag().equals(Tag.NULL) ? null : value;
        }

        boolean has(String key) {
            return node(key) != null;
        }

        /** Reports a key that is missing (or empty) from a mapping that is present. */
        void required(String key, String allowed) {
            if (present && !has(key)) {
                SpecReader.this.problem(line(key), path(key), "required but missing; allowed: " + allowed);
            }
        }

        Section section(String key, Set<String> keys) {
            return SpecReader.this.section(node(key), path(key), line(key), keys);
        }

        List<Node> list(String key, String allowed) {
            return SpecReader.this.list(node(key), path(key), allowed);
        }

        String text(String key, String allowed) {
            return SpecReader.this.text(node(key), path(key), allowed);
        }

        Long whole(String key, long min, long max) {
            return SpecReader.this.whole(node(key), path(key), min, max);
        }

        Integer integer(String key, int min, int max) {
            return SpecReader.this.integer(node(key), path(key), min, max);
        }

        Double real(String key, Bounds bounds) {
            return SpecReader.this.real(node(key), path(key), bounds);
        }

        Boolean bool(String key) {
            return SpecReader.this.bool(node(key), path(key));
        }

        <T> T choice(String key, String allowed, Function<String, T> parse) {
            return SpecReader.this.choice(node(key), path(key), allowed, parse);
        }

        /** Reports a problem about this mapping as a whole. */
        void problem(String message) {
            SpecReader.this.problem(line, path.isEmpty() ? DOCUMENT : path, message);
        }
    }
}
