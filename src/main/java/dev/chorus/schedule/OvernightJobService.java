package dev.chorus.schedule;

import dev.chorus.error.StudyNotFoundException;
import dev.chorus.error.ValidationException;
import dev.chorus.spec.SpecParser;
import dev.chorus.study.StudyService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Creates, lists and steers scheduled jobs; validates a job at the door so that its runs can start. */
@ApplicationScoped
public class OvernightJobService {

    private final OvernightJobStore jobs;
    private final InstantSource clock;
    private final StudyService studies;
    private final Webhooks webhooks;

    OvernightJobService(OvernightJobStore jobs, InstantSource clock, StudyService studies, Webhooks webhooks) {
        this.jobs = jobs;
        this.clock = clock;
        this.studies = studies;
        this.webhooks = webhooks;
    }

    /**
     * What a person asks for: a study definition and when to run it.
     *
     * @param cron     five-field cron, e.g. {@code 0 22 * * mon-fri}; or {@code startAt} for one run
     * @param stopBy   local time of day (HH:MM) to stop a run at; or {@code runFor} (ISO-8601, e.g. PT8H)
     * @param timeZone zone of the cron and of stopBy (default UTC)
     * @param webhook  http(s) URL that receives a JSON notification when a run ends; its host must not
     *                 resolve to a loopback, link-local, private, unspecified or multicast address unless
     *                 {@code chorus.webhooks.allowed-hosts} lists it
     */
    public record JobRequest(String name, String spec, String cron, Instant startAt, String stopBy, String runFor,
                             String timeZone, String webhook) {
    }

    /**
     * @param baseDir what relative paths in the study definition resolve against
     * @throws ValidationException listing every problem of the request, by field
     * @throws dev.chorus.spec.SpecException listing the problems of the study definition, by line
     */
    @Transactional
    public OvernightJob create(JobRequest r, Path baseDir) {
        List<String> problems = new ArrayList<>();
        if (r.name() == null || r.name().isBlank()) {
            problems.add("name: give the job a name");
        }
        if (r.spec() == null || r.spec().isBlank()) {
            problems.add("spec: the study definition (search-space YAML) each run starts");
        }
        if ((r.cron() == null) == (r.startAt() == null)) {
            problems.add("cron or startAt: give exactly one, a cron schedule such as \"0 22 * * mon-fri\" or one "
                    + "start time such as \"2026-11-24T22:00:00Z\"");
        }
        Cron cron = null;
        if (r.cron() != null) {
            try {
                cron = Cron.parse(r.cron());
            } catch (IllegalArgumentException e) {
                problems.add("cron: " + e.getMessage());
            }
        }
        ZoneId zone = ZoneId.of("UTC");
        try {
            zone = r.timeZone() == null ? zone : ZoneId.of(r.timeZone());
        } catch (DateTimeException e) {
            problems.add("timeZone: '" + r.timeZone() + "' is not a time zone; use a region such as Europe/Berlin or UTC");
        }
        LocalTime stopBy = null;
        Duration runFor = null;
        if (r.stopBy() != null && r.runFor() != null) {
            problems.add("stopBy or runFor: give at most one");
        }
        try {
            stopBy = r.stopBy() == null ? null : LocalTime.parse(r.stopBy());
        } catch (DateTimeParseException e) {
            problems.add("stopBy: '" + r.stopBy() + "' is not a time of day such as 06:00");
        }
        try {
            runFor = r.runFor() == null ? null : Duration.parse(r.runFor());
            if (runFor != null && (runFor.isNegative() || runFor.isZero())) {
                problems.add("runFor: must be positive, e.g. PT8H");
            }
        } catch (DateTimeParseException e) {
            problems.add("runFor: '" + r.runFor() + "' is not an ISO-8601 duration such as PT8H or PT30M");
        }
        if (r.webhook() != null && !validUrl(r.webhook())) {
            problems.add("webhook: '" + r.webhook() + "' is not an http(s) URL");
        } else if (r.webhook() != null) {
            webhooks.problem(r.webhook()).ifPresent(p -> problems.add("webhook: '" + r.webhook() + "': " + p));
        }
        if (!problems.isEmpty()) {
            throw new ValidationException("the job is not valid", problems);
        }
        // a definition that cannot start is refused now, not at night
        SpecParser.parseNew(r.spec(), baseDir, studies.dataRoots());
        Instant now = clock.instant();
        Instant next = cron != null ? cron.next(now.atZone(zone)).toInstant() : r.startAt();
        return jobs.create(new OvernightJobStore.NewJob(r.name().trim(), r.spec(), baseDir.toAbsolutePath().toString(),
                cron == null ? null : cron.toString(), zone.getId(), r.startAt(), stopBy, runFor, r.webhook(), next), now);
    }

    public OvernightJob get(long id) {
        return jobs.find(id).orElseThrow(() -> new StudyNotFoundException("no job with id " + id));
    }

    public List<OvernightJob> list() {
        return jobs.list();
    }

    public List<OvernightJob.Run> runs(long id, int limit) {
        get(id);
        return jobs.runs(id, limit);
    }

    /** Stops scheduling new runs; a run in progress goes on. */
    @Transactional
    public OvernightJob pause(long id) {
        OvernightJob job = get(id);
        jobs.update(id, false, job.nextRunAt());
        return get(id);
    }

    /** Schedules again: a cron job from now on; a one-off job keeps its time (or runs at once if it passed). */
    @Transactional
    public OvernightJob resume(long id) {
        OvernightJob job = get(id);
        Instant next = job.cron() == null ? job.nextRunAt()
                : Cron.parse(job.cron()).next(clock.instant().atZone(ZoneId.of(job.timeZone()))).toInstant();
        jobs.update(id, true, next);
        return get(id);
    }

    private static boolean validUrl(String url) {
        try {
            URI u = URI.create(url);
            return u.getHost() != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
