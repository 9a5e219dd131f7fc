package dev.chorus.mtl;

/** Whether a larger or a smaller metric value is better. */
public enum Direction {
    MAXIMIZE,
    MINIMIZE;

    /** +1 for {@link #MAXIMIZE}, -1 for {@link #MINIMIZE}: multiply a value by it to make larger better. */
    public double sign() {
        return this == MAXIMIZE ? 1.0 : -1.0;
    }
}
