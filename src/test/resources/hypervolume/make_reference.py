#!/usr/bin/env python3
"""Reference hypervolumes for HypervolumeAgreementTest: Optuna's exact WFG (optuna._hypervolume.WFG).

Fronts of 2..7 maximised objectives, from fixed seeds: uniform points in a box (most dominated), points
on a concave sphere and on a simplex (none dominated, the hard case), integer objectives (ties, as the
number of models), duplicates, points on the reference box's faces, points below the reference, one
point, no point inside. Optuna minimises and wants every point at or better than the reference, so it
gets the negated points that lie above the reference in every objective (the others add nothing in
either implementation); the Java test gets every point.

Re-run (Debian's python3-optuna 3.1.0, python3-numpy), from the repository root:

    /usr/bin/python3 src/test/resources/hypervolume/make_reference.py > src/test/resources/hypervolume/optuna-wfg.json

The output is deterministic (fixed seeds); the Java test reads it, it does not run this script.
"""
import json

import numpy as np
import optuna
from optuna._hypervolume import WFG


def shape(rng, kind, n, d):
    if kind == "uniform":
        return rng.uniform(0, 10, (n, d))
    if kind == "sphere":  # concave: every point non-dominated
        x = np.abs(rng.normal(size=(n, d)))
        return 10 * x / np.linalg.norm(x, axis=1, keepdims=True)
    if kind == "simplex":  # linear: every point non-dominated
        x = rng.exponential(size=(n, d))
        return 10 * x / x.sum(axis=1, keepdims=True)
    if kind == "integers":  # ties in every objective
        return rng.integers(0, 5, (n, d)).astype(float)
    raise ValueError(kind)


def case(name, points, reference):
    points = np.asarray(points, dtype=float)
    reference = np.asarray(reference, dtype=float)
    inside = points[(points > reference).all(axis=1)] if len(points) else points
    value = 0.0 if len(inside) == 0 else float(WFG().compute(-inside, -reference))
    return {"name": name, "reference": reference.tolist(), "points": points.tolist(), "optuna": value}


def main():
    cases = []
    rng = np.random.default_rng(20261205)
    sizes = {2: [1, 10, 100], 3: [1, 5, 30, 100], 4: [5, 20, 60], 5: [5, 20, 40], 6: [5, 15, 30], 7: [5, 12, 24]}
    for d, ns in sizes.items():
        for n in ns:
            for kind in ("uniform", "sphere", "simplex", "integers"):
                ref = np.full(d, -1.0) if kind != "integers" else np.full(d, -0.5)
                cases.append(case(f"{kind} d={d} n={n}", shape(rng, kind, n, d), ref))
    for d in range(3, 8):
        base = shape(rng, "sphere", 8, d)
        cases.append(case(f"duplicates d={d}", np.vstack([base, base[:4], base[:1]]), np.zeros(d)))
        on_box = base.copy()
        on_box[::2, 0] = 0.0  # on the reference box's face: no volume
        cases.append(case(f"on the box d={d}", on_box, np.zeros(d)))
        below = base.copy()
        below[1::2, -1] = -3.0  # below the reference in one objective: no volume
        cases.append(case(f"below the reference d={d}", below, np.zeros(d)))
        cases.append(case(f"one point d={d}", base[:1], np.zeros(d)))
        cases.append(case(f"nothing inside d={d}", -base, np.zeros(d)))
        shifted = base - 50.0  # negative objectives, as percent deltas are
        cases.append(case(f"negative values d={d}", shifted, np.full(d, -60.0)))
    print(json.dumps({"optuna": optuna.__version__, "algorithm": "optuna._hypervolume.WFG", "cases": cases}))


if __name__ == "__main__":
    main()
