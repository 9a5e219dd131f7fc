package dev.chorus.report;

import dev.chorus.report.ParetoReport.Finding;
import java.util.Locale;

/**
 * The negative-transfer section in words, the same in every renderer: the rule a pair is listed and
 * judged by, and one sentence per finding that states its means, its trials, the interval of the
 * difference and whether it supports the claim. Plain text (ASCII, so the standard PDF fonts show it);
 * HTML escapes it.
 */
final class FindingText {

    /** The section's introduction: what is listed and when it counts as a finding. */
    static final String RULE = String.format(Locale.ROOT, "For each pair of tasks: the hurt task's mean held-out "
            + "test delta over complete trials where it shares a model with the hurting task, against those where "
            + "it does not. A pair is listed when the hurt task loses together (mean below 0) and does at least "
            + "%.1f points worse than apart. It is reported as a finding only when the 95 %% interval of the "
            + "difference (Welch's t, unequal variances) excludes zero; the others are shown as not significant, "
            + "with the trials they rest on (at least %d on each side are needed for an interval).",
            NegativeTransfer.MIN_GAP, NegativeTransfer.MIN_TRIALS);

    /** What the section says when no pair is listed. */
    static final String NONE = String.format(Locale.ROOT, "No task pair loses when trained together (mean held-out "
            + "test delta below 0 and at least %.1f points below apart).", NegativeTransfer.MIN_GAP);

    private FindingText() {
    }

    /**
     * One finding in words, e.g. "upsell hurts support: -8.40 % together (2 trials), +3.70 % apart
     * (4 trials); difference 12.10 points, 95 % interval [-5.70, 29.90] (Welch, 2.2 degrees of freedom):
     * not significant".
     */
    static String sentence(Finding f) {
        String head = String.format(Locale.ROOT, "%s %s %s: %+.2f %% together (%s), %+.2f %% apart (%s); difference "
                        + "%.2f points", f.source(), f.significant() ? "hurts" : "may hurt", f.victim(), f.withSource(),
                trials(f.trialsWith()), f.withoutSource(), trials(f.trialsWithout()), f.difference());
        if (!f.hasInterval()) {
            return head + (f.trialsWith() < NegativeTransfer.MIN_TRIALS || f.trialsWithout() < NegativeTransfer.MIN_TRIALS
                    ? String.format(Locale.ROOT, "; fewer than %d trials on a side: no interval, not significant",
                            NegativeTransfer.MIN_TRIALS)
                    : "; no spread between trials on either side: no interval, not significant");
        }
        String interval = String.format(Locale.ROOT, ", 95 %% interval [%.2f, %.2f] (Welch, %.1f degrees of freedom)",
                f.low(), f.high(), f.degreesOfFreedom());
        return head + interval + (f.significant()
                ? String.format(Locale.ROOT, ": significant, %s does worse when it shares a model with %s", f.victim(),
                        f.source())
                : ": not significant");
    }

    private static String trials(int n) {
        return n + (n == 1 ? " trial" : " trials");
    }
}
