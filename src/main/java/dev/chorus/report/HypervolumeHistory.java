package dev.chorus.report;

import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * How a study's Pareto front grew: its hypervolume after each completed trial, as a share of the
 * study's reference box.
 *
 * <p>The box runs from {@code reference} to {@code ideal}, the best value of each objective over the
 * current front's members (see {@link ReferenceBox}). Every point's {@code share} is its hypervolume
 * divided by the volume of this same current box, so the shares rise with the front, as the values
 * do, and lie in [0, 1]. A share is relative to the study's own front: shares of two studies compare
 * only as far as their ideal points do.
 *
 * @param objectives the objectives of the hypervolume, in order
 * @param reference  the reference point; a trial adds nothing where it is not above it
 * @param ideal      the best value of each objective over the current front; null before a trial completes
 * @param boxVolume  the volume of the box from {@code reference} to {@code ideal} (an objective where no
 *                   member beats the reference adds no factor); null before a trial completes
 * @param method     how the hypervolume and its share were computed, or why they were not
 * @param history    one point per completed trial, oldest first
 */
public record HypervolumeHistory(long studyId, List<String> objectives, double[] reference, double[] ideal,
                                 Double boxVolume, String method, List<Point> history) {

    /**
     * What a person reads: the last share in percent and the first one, or why there is none. Shared by
     * the HTML and the PDF report.
     */
    String summary() {
        if (history.isEmpty()) {
            return method.startsWith("not computed") ? "Hypervolume " + method + "." : "No complete trial yet.";
        }
        Point last = history.getLast();
        return "After " + last.trials() + " complete trial" + (last.trials() == 1 ? "" : "s") + " the front covers "
                + percent(last.share()) + " of its reference box (" + last.accuracy() + "; after the first: "
                + percent(history.getFirst().share()) + ").";
    }

    /** A share in percent with one decimal, or "—" when there is none. */
    static String percent(Double share) {
        return share == null ? "—" : String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    /** A bound in percentage points with two decimals ("± 0.27 %"), or "exact". */
    static String accuracy(boolean exact, Double errorShare) {
        return exact ? "exact" : errorShare == null ? "estimated" : String.format(Locale.ROOT, "± %.2f %%",
                errorShare * 100);
    }

    /**
     * The hypervolume once {@code trials} trials were complete, the last being {@code trialId}.
     *
     * @param value      the raw hypervolume, a product of the objectives' units (percent per task, models):
     *                   for tools; what a person reads is {@code share}
     * @param share      {@code value / boxVolume} in [0, 1]; null when there is no box
     * @param exact      whether {@code value} is exact; else it is a Monte-Carlo estimate
     * @param error95    half-width of the raw value's 95 % interval; 0 when exact
     * @param errorShare {@code error95 / boxVolume}, the bound on {@code share}; null when there is no box
     */
    public record Point(int trials, long trialId,
                        @Schema(description = "Raw hypervolume, a product of the objectives' units (for tools; "
                                + "people read share)") double value,
                        @Schema(description = "Hypervolume as a share of the reference box, 0 to 1; null when "
                                + "there is no box") Double share,
                        @Schema(description = "Whether value is exact; false: a Monte-Carlo estimate within "
                                + "error95") boolean exact,
                        @Schema(description = "Half-width of value's 95 % interval; 0 when exact") double error95,
                        @Schema(description = "error95 as a share of the reference box: share is within "
                                + "± errorShare (95 %); null when there is no box") Double errorShare) {

        /** "exact", or the bound on the share in percentage points ("± 0.27 %"). */
        public String accuracy() {
            return HypervolumeHistory.accuracy(exact, errorShare);
        }
    }
}
