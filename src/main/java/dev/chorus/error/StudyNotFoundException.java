package dev.chorus.error;

/** No study or trial has the id a caller gave. */
public final class StudyNotFoundException extends RuntimeException {
    public StudyNotFoundException(String what) {
        super(what);
    }
}
