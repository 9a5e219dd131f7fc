package dev.chorus.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.access.ApiToken;
import dev.chorus.access.Role;
import dev.chorus.access.Session;
import dev.chorus.mtl.Candidate;
import dev.chorus.mtl.Metric;
import dev.chorus.mtl.Task;
import dev.chorus.mtl.TaskType;
import dev.chorus.mtl.TrainSettings;
import dev.chorus.mtl.data.Split;
import dev.chorus.schedule.OvernightJob;
import dev.chorus.schedule.OvernightJobStore;
import dev.chorus.study.Study;
import dev.chorus.study.StudyState;
import dev.chorus.study.StudyStore;
import dev.chorus.trial.Baseline;
import dev.chorus.trial.ClaimStore;
import dev.chorus.trial.Score;
import dev.chorus.trial.TaskResult;
import dev.chorus.trial.Trial;
import dev.chorus.trial.TrialState;
import dev.chorus.trial.FrontStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** The one place where rows become domain records and records become column values. */
final class RowMapping {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private RowMapping() {
    }

    static Study study(ResultSet rs, List<Task> tasks) throws SQLException {
        return new Study(rs.getLong("id"), rs.getString("name"), StudyState.fromId(rs.getString("state")),
                rs.getLong("seed"), rs.getString("sampler"), rs.getInt("max_trials"), rs.getLong("max_wall_clock_s"),
                rs.getString("spec_yaml"), rs.getString("base_dir"), tasks, rs.getString("error"), instant(rs, "created_at"),
                instant(rs, "started_at"), instant(rs, "finished_at"));
    }

    static Task task(ResultSet rs) throws SQLException {
        TaskType type = TaskType.parse(rs.getString("type"));
        return new Task(rs.getString("name"), type, Metric.parse(rs.getString("metric"), type));
    }

    /**
     * A trial row without its results; {@link Trial#withResults} adds them. A completed trial stored with
     * a Δm that is not a finite number (before results were range-checked, 1e308 against -1e308 gave NaN)
     * reads as failed, with that as its error: it is no result, and nothing downstream sees NaN.
     */
    static Trial trial(ResultSet rs) throws SQLException {
        long repeatOf = rs.getLong("repeat_of");
        Long repeated = rs.wasNull() ? null : repeatOf;
        long variantOf = rs.getLong("variant_of");
        Long varied = rs.wasNull() ? null : variantOf;
        TrialState state = TrialState.fromId(rs.getString("state"));
        Double deltaM = nullableDouble(rs, "delta_m");
        Double testDeltaM = nullableDouble(rs, "test_delta_m");
        String error = rs.getString("error");
        if (state == TrialState.COMPLETE && (deltaM == null || testDeltaM == null)) {
            state = TrialState.FAILED;
            error = "its results give a gain that is not a finite number: not a result";
        }
        return new Trial(rs.getLong("id"), rs.getLong("study_id"), rs.getInt("number"), rs.getInt("generation"),
                rs.getInt("replicate"), repeated, varied, candidate(rs.getString("candidate")), state,
                rs.getInt("attempts"), rs.getString("worker"), deltaM, testDeltaM, error,
                instant(rs, "created_at"), instant(rs, "started_at"), instant(rs, "finished_at"), List.of());
    }

    static ClaimStore.Claim claim(ResultSet rs) throws SQLException {
        return new ClaimStore.Claim(rs.getObject("claim_id", UUID.class), rs.getLong("id"),
                TrialState.fromId(rs.getString("state")), rs.getString("worker"), instant(rs, "lease_until"),
                rs.getInt("attempts"));
    }

    static OvernightJob job(ResultSet rs) throws SQLException {
        String stopBy = rs.getString("stop_by");
        long runFor = rs.getLong("run_for_s");
        boolean noRunFor = rs.wasNull();
        return new OvernightJob(rs.getLong("id"), rs.getString("name"), rs.getString("spec_yaml"),
                rs.getString("base_dir"), rs.getString("cron"), rs.getString("time_zone"), instant(rs, "start_at"),
                stopBy == null ? null : LocalTime.parse(stopBy),
                noRunFor ? null : Duration.ofSeconds(runFor), rs.getString("webhook_url"),
                rs.getBoolean("enabled"), instant(rs, "next_run_at"), instant(rs, "created_at"));
    }

    static OvernightJob.Run jobRun(ResultSet rs) throws SQLException {
        long study = rs.getLong("study_id");
        Long studyId = rs.wasNull() ? null : study;
        return new OvernightJob.Run(rs.getLong("id"), rs.getLong("job_id"), instant(rs, "scheduled_for"),
                studyId, instant(rs, "started_at"), instant(rs, "stop_at"), instant(rs, "finished_at"),
                rs.getString("outcome"), rs.getString("error"));
    }

    static OvernightJobStore.Webhook webhook(ResultSet rs) throws SQLException {
        return new OvernightJobStore.Webhook(rs.getLong("id"), rs.getLong("job_run_id"), rs.getString("url"),
                rs.getString("body"), rs.getInt("attempts"), instant(rs, "next_attempt_at"),
                instant(rs, "delivered_at"), rs.getString("last_error"));
    }

    /**
     * A task's result; null, so left out, when one of its numbers is not finite: results are checked
     * before they are stored, and one stored before that check is no result (issue 16, item 5).
     */
    static TaskResult result(ResultSet rs) throws SQLException {
        Score validation = new Score(rs.getDouble("value"), rs.getDouble("baseline"), rs.getDouble("delta"));
        Score test = new Score(rs.getDouble("test_value"), rs.getDouble("test_baseline"), rs.getDouble("test_delta"));
        if (!finite(validation) || !finite(test)) {
            return null;
        }
        return new TaskResult(rs.getString("task"), validation, test, rs.getString("baseline_hash"));
    }

    private static boolean finite(Score s) {
        return Double.isFinite(s.value()) && Double.isFinite(s.baseline()) && Double.isFinite(s.delta());
    }

    static Baseline baseline(ResultSet rs) throws SQLException {
        TrainSettings settings = fromJson(rs.getString("settings"), TrainSettings.class);
        return new Baseline(rs.getString("hash"), rs.getString("task"), Metric.valueOf(rs.getString("metric")),
                rs.getDouble("value"), rs.getDouble("test_value"), settings, rs.getDouble("train_seconds"), instant(rs, "created_at"));
    }

    /** A nullable number; one that is not finite reads as missing (see {@link #result}). */
    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() || !Double.isFinite(value) ? null : value;
    }

    static StudyStore.StoredSplit split(ResultSet rs) throws SQLException {
        return new StudyStore.StoredSplit(rs.getString("data_hash"), new Split(ints(rs, "train"),
                ints(rs, "validation"), ints(rs, "test")));
    }

    static FrontStore.HypervolumePoint hypervolume(ResultSet rs) throws SQLException {
        return new FrontStore.HypervolumePoint(rs.getInt("trials"), rs.getLong("trial_id"), rs.getDouble("value"),
                rs.getDouble("error95"), rs.getBoolean("exact"), rs.getLong("front_version"), instant(rs, "created_at"));
    }

    static Integer[] boxed(int[] values) {
        return Arrays.stream(values).boxed().toArray(Integer[]::new);
    }

    private static int[] ints(ResultSet rs, String column) throws SQLException {
        Object[] values = (Object[]) rs.getArray(column).getArray();
        int[] out = new int[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values[i]).intValue();
        }
        return out;
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** A matrix written by {@link #json} (non-finite entries are not allowed in JSON; they are stored as 0). */
    static double[][] matrix(String json) {
        return fromJson(json, double[][].class);
    }

    static Candidate candidate(String json) {
        return fromJson(json, Candidate.class);
    }

    private static <T> T fromJson(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not readable: " + json, e);
        }
    }

    static ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getLong("id"), rs.getString("name"),
                Role.parse(rs.getString("role")), rs.getString("prefix"), rs.getString("created_by"),
                instant(rs, "created_at"), instant(rs, "last_used_at"), instant(rs, "revoked_at"));
    }

    static Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getLong("id"), rs.getObject("token_id", Long.class), rs.getBytes("token_hash"),
                instant(rs, "created_at"), instant(rs, "last_seen_at"));
    }

    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
