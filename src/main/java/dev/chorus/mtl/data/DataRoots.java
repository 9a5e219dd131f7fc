package dev.chorus.mtl.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The folders a new study's data files (a CSV, an image table and the images it lists) must lie in
 * ({@code chorus.data.roots}), so that a study definition cannot make the server read files elsewhere:
 * {@code ../../etc/passwd}, an absolute path outside, or a link that leads out.
 *
 * <p>A path is inside when its normalized absolute path lies under a root, and, when the file exists, its
 * real path (every link resolved) lies under a root's real path too. The first test is lexical, so a
 * refused path says nothing about whether the file exists.
 *
 * @implNote Immutable and thread-safe. Roots are resolved against the working directory when made.
 */
public final class DataRoots {

    /** No confinement: for data of studies accepted before (stored studies, workers). */
    public static final DataRoots ANY = new DataRoots(null);

    /** Each root as given (absolute, normalized) and as its real path when it exists. */
    private final Set<Path> roots;

    private DataRoots(Set<Path> roots) {
        this.roots = roots;
    }

    /**
     * @param roots folders; relative ones resolve against the working directory
     * @throws IllegalArgumentException when {@code roots} is empty
     */
    public static DataRoots of(Collection<Path> roots) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("chorus.data.roots names no folder; give at least one");
        }
        Set<Path> all = new LinkedHashSet<>();
        for (Path root : roots) {
            Path absolute = root.toAbsolutePath().normalize();
            all.add(absolute);
            try {
                all.add(absolute.toRealPath());
            } catch (IOException e) {
                // a root that does not exist holds no file; its lexical form is enough
            }
        }
        return new DataRoots(all);
    }

    /** Whether {@code file} lies inside a root, as the class comment says. */
    public boolean contains(Path file) {
        if (roots == null) {
            return true;
        }
        Path absolute = file.toAbsolutePath().normalize();
        if (!under(absolute)) {
            return false;
        }
        if (!Files.exists(absolute)) {
            return true;
        }
        try {
            return under(absolute.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private boolean under(Path path) {
        return roots.stream().anyMatch(path::startsWith);
    }

    /** The roots, for messages: {@code /srv/data, /tmp}; "anywhere" without confinement. */
    @Override
    public String toString() {
        if (roots == null) {
            return "anywhere";
        }
        return roots.stream().map(Path::toString).collect(Collectors.joining(", "));
    }
}
