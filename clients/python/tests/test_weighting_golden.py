"""Golden tests: chorus.torch gives the Java weightings' results on the same inputs, to 1e-6.

The Java test ``PythonWeightingGoldenTest`` writes the inputs (per case and step: task losses, presence,
gradient rows, losses after the step, epoch means) and Java's outputs to a JSON file, and runs this
module with ``CHORUS_WEIGHTING_GOLDEN`` naming it; without it these tests are skipped.

Each run drives :func:`chorus.torch.weighting` through ``backward`` on a linear stand-in model: one
float64 shared parameter ``theta`` (at 0) and ``L_t = c_t + g_t . theta``, so that ``dL_t/dtheta`` is the
golden gradient row and ``dL/dc_t`` is the weight the task's loss received. RLW's and PCGrad's random
draws are replayed from Java's (the generators differ).

Where a LibMTL checkout is named by ``LIBMTL_SOURCE`` (see clients/python/tests/libmtl/README.md), the
same inputs also go through LibMTL's own weighting classes: ``test_libmtl_*`` below.
"""
from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest
import torch

import chorus.torch as ct

TOLERANCE = 1e-6
_PATH = os.environ.get("CHORUS_WEIGHTING_GOLDEN")
GOLDEN = json.loads(Path(_PATH).read_text()) if _PATH else {"cases": [], "runs": []}
CASES = {c["name"]: c for c in GOLDEN["cases"]}
RUNS = GOLDEN["runs"]

needs_golden = pytest.mark.skipif(
    not _PATH, reason="CHORUS_WEIGHTING_GOLDEN is not set: PythonWeightingGoldenTest writes the file and runs this")


class Replay:
    """Hands out recorded draws in order, as the weightings' random source."""

    def __init__(self, draws: list) -> None:
        self.normals = [step for step in draws if step and not isinstance(step[0], list)]
        self.orders = [order for step in draws if step and isinstance(step[0], list) for order in step]

    def normal(self, n: int) -> list[float]:
        draw = self.normals.pop(0)
        assert len(draw) == n
        return draw

    def permutation(self, n: int) -> list[int]:
        order = self.orders.pop(0)
        assert len(order) == n
        return order


def assert_close(what: str, actual, expected, floor: float = 1.0, tolerance: float = TOLERANCE) -> float:
    """``max |actual - expected| <= tolerance * max(floor, max |expected|)``; returns the difference."""
    actual = torch.as_tensor(actual, dtype=torch.float64)
    expected = torch.as_tensor(expected, dtype=torch.float64)
    assert actual.shape == expected.shape, what
    scale = max(floor, float(expected.abs().max()) if expected.numel() else 0.0)
    error = float((actual - expected).abs().max()) if expected.numel() else 0.0
    assert error <= tolerance * scale, f"{what}: largest difference {error:.3g}, allowed {tolerance * scale:.3g}"
    return error


def linear_step(case: dict, s: int, theta: torch.Tensor):
    """The leaf losses ``c`` and the per-task losses ``c_t + g_t . theta`` (None where absent)."""
    c = torch.tensor(case["losses"][s], dtype=torch.float64, requires_grad=True)
    g = torch.tensor(case["gradients"][s], dtype=torch.float64)
    losses = [c[t] + g[t] @ theta if present else None for t, present in enumerate(case["present"][s])]
    return c, g, losses


@needs_golden
@pytest.mark.parametrize("run", RUNS, ids=[f"{r['method']}-{r['case']}" for r in RUNS])
def test_python_matches_java(run: dict) -> None:
    case = CASES[run["case"]]
    tasks = [f"task{t}" for t in range(len(case["losses"][0]))]
    theta = torch.zeros(len(case["gradients"][0][0]), dtype=torch.float64, requires_grad=True)
    w = ct.weighting(run["method"], tasks, [theta], **run["options"])
    if run["draws"]:
        w.method.random = Replay(run["draws"])
    per_epoch = GOLDEN["stepsPerEpoch"]
    sums = [0.0] * len(tasks)
    counts = [0] * len(tasks)
    for s, expected in enumerate(run["outputs"]):
        c, g, losses = linear_step(case, s, theta)
        result = w.backward(dict(zip(tasks, losses)))
        what = f"{run['method']} on {run['case']}, step {s}"
        present = torch.tensor(case["present"][s])
        if "weights" in expected:
            assert isinstance(result, ct.Weights), what
            assert_close(what + " weights", result.weights, expected["weights"])
            assert_close(what + " dL/dc", c.grad[present], torch.tensor(expected["weights"], dtype=torch.float64)[present])
            assert_close(what + " shared gradient", theta.grad, torch.tensor(expected["weights"], dtype=torch.float64) @ g)
        else:
            assert isinstance(result, ct.SharedGradient), what
            floor = max(1.0, float(g.abs().max()))
            assert_close(what + " gradient", result.gradient, expected["gradient"], floor)
            assert_close(what + " theta.grad", theta.grad, expected["gradient"], floor)
            assert_close(what + " heads at weight 1", c.grad[present], torch.ones(int(present.sum())))
        theta.grad = None
        if w.needs_losses_after_step:
            w.after_step(case["lossesAfter"][s])
        for t, p in enumerate(case["present"][s]):
            if p:
                sums[t] += case["losses"][s][t]
                counts[t] += 1
        if (s + 1) % per_epoch == 0:
            w.end_epoch([sums[t] / counts[t] for t in range(len(tasks))])
            sums, counts = [0.0] * len(tasks), [0] * len(tasks)


def test_names_and_options_are_checked() -> None:
    theta = torch.zeros(3, requires_grad=True)
    assert ct.NAMES == ("equal", "fixed", "uncertainty", "dwa", "rlw", "gradnorm", "pcgrad", "mgda-ub",
                        "cagrad", "famo", "imtl", "aligned-mtl", "nash-mtl")
    assert ct.weighting("MGDA_UB", ["a", "b"], [theta]).name == "mgda-ub"
    with pytest.raises(ValueError, match="allowed: equal, fixed"):
        ct.weighting("gradvac", ["a", "b"], [theta])
    with pytest.raises(ValueError, match="pass weights="):
        ct.weighting("fixed", ["a", "b"], [theta])
    with pytest.raises(ValueError, match="no entry for tasks"):
        ct.weighting("fixed", ["a", "b"], [theta], weights={"a": 1.0})
    with pytest.raises(ValueError, match="learning_rate"):
        ct.weighting("uncertainty", ["a", "b"], [theta])
    with pytest.raises(TypeError, match="the options are"):
        ct.weighting("equal", ["a", "b"], [theta], temperature=2)
    with pytest.raises(ValueError, match="shared parameters"):
        ct.weighting("pcgrad", ["a", "b"], [])
    w = ct.weighting("fixed", ["a", "b"], [theta], **{"weights": [2.0, 0.5], "learning-rate": 0.1})
    with pytest.raises(ValueError, match="not among"):
        w.backward({"c": theta.sum()})


def _harness():
    spec = importlib.util.spec_from_file_location("libmtl_harness", Path(__file__).parent / "libmtl" / "harness.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
