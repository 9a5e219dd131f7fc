#!/usr/bin/python3
"""The Optuna side of SearchVersusOptunaBench: Optuna's NSGA-II and random samplers search the same
tabular grouping problem Chorus's samplers search, and print which grouping each trial proposed.

The table (`--table`, CSV: `grouping,v0..v5`) holds every partition of 6 tasks as a restricted growth
string ("0,0,0,1,1,2" written as "000112") and each task's test AUC under that grouping, measured once
by Chorus's trainer. A trial's parameters are each task's group label (task 0 is in group 0; task i
picks one of 0..5); the labels are made canonical by first appearance, so every partition is reachable
and equal partitions are the same grouping. The objectives, as Chorus's study has them: the six AUCs
(maximised) and the number of models (minimised). Optuna 3.1 from Debian, in-memory storage.

Prints one JSON object: {"NSGA-II": {seed: [grouping, ...]}, "random": {...}}.
"""
import argparse
import csv
import json

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def canonical(labels):
    seen, out = {}, []
    for label in labels:
        seen.setdefault(label, len(seen))
        out.append(seen[label])
    return "".join(str(v) for v in out)


def run(sampler, table, trials):
    proposed = []

    def objective(trial):
        labels = [0] + [trial.suggest_categorical(f"g{t}", [0, 1, 2, 3, 4, 5]) for t in range(1, 6)]
        grouping = canonical(labels)
        proposed.append(grouping)
        return (*table[grouping], len(set(grouping)))

    study = optuna.create_study(directions=["maximize"] * 6 + ["minimize"], sampler=sampler)
    study.optimize(objective, n_trials=trials)
    return proposed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--table", required=True)
    parser.add_argument("--seeds", type=int, required=True)
    parser.add_argument("--trials", type=int, required=True)
    parser.add_argument("--population", type=int, required=True)
    args = parser.parse_args()
    with open(args.table) as f:
        table = {row[0]: tuple(float(v) for v in row[1:7]) for row in csv.reader(f)}
    out = {"NSGA-II": {}, "random": {}, "optuna": optuna.__version__}
    for seed in range(1, args.seeds + 1):
        out["NSGA-II"][seed] = run(optuna.samplers.NSGAIISampler(population_size=args.population, seed=seed),
                                   table, args.trials)
        out["random"][seed] = run(optuna.samplers.RandomSampler(seed=seed), table, args.trials)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
