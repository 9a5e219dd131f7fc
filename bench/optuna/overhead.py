#!/usr/bin/python3
"""The Optuna side of OverheadVersusOptunaBench: ask-and-tell throughput of Optuna's RDB storage on
PostgreSQL with studies that already hold 1,000, 10,000 and 100,000 finished trials.

For each size a study is created through Optuna (so its schema and rows are Optuna's own), filled with
`size` complete trials by SQL (Optuna would take hours to write 100,000 trials one by one), loaded
afresh, and then `--window` trials go through ask (sampling the same kind of candidate Chorus's search
space has: 3 group labels, a weighting, a learning rate, epochs) and tell (4 objective values). The
sampler is RandomSampler, whose own cost does not grow with the study, so what is timed is Optuna's
bookkeeping. Prints one JSON object: for each size, trials per second and milliseconds per trial
(median and 90th percentile).
"""
import argparse
import json
import statistics
import time

import optuna
import psycopg2
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

optuna.logging.set_verbosity(optuna.logging.WARNING)

DISTRIBUTIONS = {
    "g1": CategoricalDistribution([0, 1]),
    "g2": CategoricalDistribution([0, 1, 2]),
    "weighting": CategoricalDistribution(["equal", "uncertainty", "dwa", "gradnorm"]),
    "lr": FloatDistribution(1e-4, 1e-2, log=True),
    "epochs": IntDistribution(2, 3),
}
DIRECTIONS = ["maximize", "maximize", "maximize", "minimize"]


def suggest(trial):
    trial.suggest_categorical("g1", [0, 1])
    trial.suggest_categorical("g2", [0, 1, 2])
    trial.suggest_categorical("weighting", ["equal", "uncertainty", "dwa", "gradnorm"])
    trial.suggest_float("lr", 1e-4, 1e-2, log=True)
    trial.suggest_int("epochs", 2, 3)


def fill(dsn, study_name, size):
    """size complete trials with params and values, in Optuna's tables, by SQL."""
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT study_id FROM studies WHERE study_name = %s", (study_name,))
        study_id = cur.fetchone()[0]
        cur.execute("""INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete)
                       SELECT k, %s, 'COMPLETE', now(), now() FROM generate_series(0, %s - 1) k""", (study_id, size))
        for name, dist in DISTRIBUTIONS.items():
            if isinstance(dist, CategoricalDistribution):
                value = f"(t.number %% {len(dist.choices)})::float"
            elif isinstance(dist, FloatDistribution):
                value = "exp(ln(1e-4) + random() * (ln(1e-2) - ln(1e-4)))"
            else:
                value = "(2 + t.number %% 2)::float"
            cur.execute(f"""INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json)
                            SELECT t.trial_id, %s, {value}, %s FROM trials t WHERE t.study_id = %s""",
                        (name, optuna.distributions.distribution_to_json(dist), study_id))
        cur.execute("""INSERT INTO trial_values (trial_id, objective, value, value_type)
                       SELECT t.trial_id, o, random(), 'FINITE' FROM trials t CROSS JOIN generate_series(0, 3) o
                       WHERE t.study_id = %s""", (study_id,))
        cur.execute("ANALYZE")


def measure(url, dsn, size, window, seed):
    name = f"overhead-{size}-{int(time.time())}"
    optuna.create_study(study_name=name, storage=url, directions=DIRECTIONS)
    fill(dsn, name, size)
    study = optuna.load_study(study_name=name, storage=url, sampler=optuna.samplers.RandomSampler(seed=seed))
    assert len(study.trials) == size, len(study.trials)
    times = []
    start = time.perf_counter()
    for i in range(window):
        t0 = time.perf_counter()
        trial = study.ask()
        suggest(trial)
        study.tell(trial, [0.5, 0.5, 0.5, 2])
        times.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - start
    times.sort()
    return {"trialsPerSecond": window / elapsed, "msMedian": statistics.median(times),
            "msP90": times[int(0.9 * (len(times) - 1))]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of the database")
    parser.add_argument("--dsn", required=True, help="the same database as a psycopg2 DSN")
    parser.add_argument("--sizes", required=True)
    parser.add_argument("--window", type=int, required=True)
    args = parser.parse_args()
    out = {"optuna": optuna.__version__, "sizes": {}}
    for size in (int(s) for s in args.sizes.split(",")):
        out["sizes"][size] = measure(args.url, args.dsn, size, args.window, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
