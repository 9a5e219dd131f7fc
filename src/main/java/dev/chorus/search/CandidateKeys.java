package dev.chorus.search;

import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.TrainSettings;

/**
 * The set of candidates (or trials) a sampler has seen, held as 64-bit keys in an open-addressing table: about
 * 16 bytes per candidate, where a {@code HashSet<Candidate>} costs several hundred (each candidate with
 * its lists and boxed values), so a million-trial study's set fits in 16 MiB plus slack.
 *
 * <p>A key is a hash of every field that makes candidates {@linkplain Candidate#equals equal}, so equal
 * candidates have equal keys. Two different candidates share a key with probability about
 * {@code n² / 2⁶⁵} among {@code n} (3·10⁻⁸ at a million): the second is then taken for known and never
 * proposed, which costs the search one point of its space and nothing else.
 *
 * @implNote Not thread-safe: its sampler guards it. Keys live in memory only and are never stored, so
 *     the hash may change between versions.
 */
final class CandidateKeys {

    private static final long GOLDEN = 0x9e3779b97f4a7c15L;
    /** The empty slot; a key equal to it is stored in {@link #hasEmptyKey} instead. */
    private static final long EMPTY = 0;

    private long[] table = new long[64];
    private int size;
    private boolean hasEmptyKey;

    /** Adds the candidate; false when it (or one with its key) was already there. */
    boolean add(Candidate c) {
        return add(key(c));
    }

    /** Adds the trial (its candidate, generation, feasibility and objectives); false when it was there. */
    boolean add(Evaluated trial) {
        long h = step(key(trial.candidate()), trial.generation());
        h = step(h, trial.feasible() ? 1 : 0);
        for (int i = 0; i < trial.objectiveCount(); i++) {
            h = step(h, Double.doubleToLongBits(trial.objective(i)));
        }
        return add(Draws.mix(h));
    }

    private boolean add(long key) {
        if (key == EMPTY) {
            boolean added = !hasEmptyKey;
            hasEmptyKey = true;
            size += added ? 1 : 0;
            return added;
        }
        if (2 * (size + 1) > table.length) {
            grow();
        }
        return insert(table, key);
    }

    boolean contains(Candidate c) {
        long key = key(c);
        if (key == EMPTY) {
            return hasEmptyKey;
        }
        int mask = table.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            if (table[i] == key) {
                return true;
            }
            if (table[i] == EMPTY) {
                return false;
            }
        }
    }

    int size() {
        return size;
    }

    private boolean insert(long[] into, long key) {
        int mask = into.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            if (into[i] == key) {
                return false;
            }
            if (into[i] == EMPTY) {
                into[i] = key;
                size++;
                return true;
            }
        }
    }

    private void grow() {
        long[] bigger = new long[table.length * 2];
        int kept = size;
        for (long key : table) {
            if (key != EMPTY) {
                insert(bigger, key);
            }
        }
        size = kept;
        table = bigger;
    }

    private static int slot(long key, int mask) {
        return (int) (Draws.mix(key) & mask);
    }

    /** The 64-bit key of a candidate: a hash of every field that {@link Candidate#equals} compares. */
    static long key(Candidate c) {
        long h = c.groups().size();
        for (int g : c.groups()) {
            h = step(h, g);
        }
        for (double w : c.weights()) {
            h = step(h, Double.doubleToLongBits(w));
        }
        TrainSettings s = c.settings();
        for (long v : new long[] {c.weighting().ordinal(), s.trunkWidth(), s.trunkDepth(),
                Double.doubleToLongBits(s.learningRate()), s.epochs(), s.batchSize(), c.architecture().ordinal(),
                c.headDepth(), c.experts()}) {
            h = step(h, v);
        }
        return Draws.mix(h);
    }

    private static long step(long h, long v) {
        return Draws.mix(h + GOLDEN) ^ v;
    }
}
