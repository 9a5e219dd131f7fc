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
 * <p>Chorus's own files ({@link #reserved}: its database, logs and configuration) are never inside,
 * whatever the roots say: a path that lies in one of them, lexically or once its links are resolved, is
 * refused before anything of it is read, so no message can quote them.
 *
 * @implNote Immutable and thread-safe. Roots are resolved against the working directory when made.
 */
public final class DataRoots {

    /** No confinement: for data of studies accepted before (stored studies, workers). */
    public static final DataRoots ANY = new DataRoots(null, Set.of());

    /** Each root as given (absolute, normalized) and as its real path when it exists. */
    private final Set<Path> roots;
    /** Chorus's own files and folders, in the same two forms. */
    private final Set<Path> reserved;

    private DataRoots(Set<Path> roots, Set<Path> reserved) {
        this.roots = roots;
        this.reserved = reserved;
    }

    /**
     * Roots without reserved files.
     *
     * @param roots folders; relative ones resolve against the working directory
     * @throws IllegalArgumentException when {@code roots} is empty
     */
    public static DataRoots of(Collection<Path> roots) {
        return of(roots, Set.of());
    }

    /**
     * @param roots    folders; relative ones resolve against the working directory
     * @param reserved Chorus's own files and folders (its database's data directory, its logs, its
     *                 configuration), never inside whatever the roots say; relative ones likewise
     * @throws IllegalArgumentException when {@code roots} is empty
     */
    public static DataRoots of(Collection<Path> roots, Collection<Path> reserved) {
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("chorus.data.roots names no folder; give at least one");
        }
        return new DataRoots(bothForms(roots), bothForms(reserved));
    }

    private static Set<Path> bothForms(Collection<Path> paths) {
        Set<Path> all = new LinkedHashSet<>();
        for (Path path : paths) {
            Path absolute = path.toAbsolutePath().normalize();
            all.add(absolute);
            try {
                all.add(absolute.toRealPath());
            } catch (IOException e) {
                // a path that does not exist holds no file; its lexical form is enough
            }
        }
        return all;
    }

    /** Whether {@code file} lies inside a root and in none of Chorus's own files, as the class comment says. */
    public boolean contains(Path file) {
        if (roots == null) {
            return true;
        }
        Path absolute = file.toAbsolutePath().normalize();
        if (!under(roots, absolute) || under(reserved, absolute)) {
            return false;
        }
        if (!Files.exists(absolute)) {
            return true;
        }
        try {
            Path real = absolute.toRealPath();
            return under(roots, real) && !under(reserved, real);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Whether {@code file} lies in one of Chorus's own files or folders, lexically or once its links are
     * resolved: for a message that says why a path under a root is refused.
     */
    public boolean reserved(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (under(reserved, absolute)) {
            return true;
        }
        try {
            return Files.exists(absolute) && under(reserved, absolute.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean under(Set<Path> folders, Path path) {
        return folders.stream().anyMatch(path::startsWith);
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
