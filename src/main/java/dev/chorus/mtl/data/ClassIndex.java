package dev.chorus.mtl.data;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The classes of a binary or multiclass label column: its distinct labelled cells in sorted order
 * (numeric order when every one is a number, so "1" and "1.0" are one class), numbered 0, 1, ...
 *
 * @param distinct the classes, first spelling kept
 * @param missing  which cells hold no label
 */
record ClassIndex(TreeSet<String> distinct, Predicate<String> missing) {

    /** @param isNumber whether a labelled cell is a number */
    static ClassIndex of(List<String> cells, Predicate<String> missing, Predicate<String> isNumber) {
        boolean numeric = cells.stream().filter(missing.negate()).allMatch(isNumber);
        Comparator<String> order = numeric ? Comparator.comparingDouble(Double::parseDouble)
                : Comparator.naturalOrder();
        TreeSet<String> distinct = new TreeSet<>(order);
        cells.stream().filter(missing.negate()).forEach(distinct::add);
        return new ClassIndex(distinct, missing);
    }

    /** Each cell's class number, NaN for a cell without a label. */
    float[] encode(List<String> cells) {
        Map<String, Integer> index = new HashMap<>();
        for (String value : distinct) {
            index.put(value, index.size());
        }
        float[] out = new float[cells.size()];
        for (int i = 0; i < out.length; i++) {
            String cell = cells.get(i);
            out[i] = missing.test(cell) ? Float.NaN : index.get(distinct.floor(cell));
        }
        return out;
    }
}
