"""Golden tests: chorus.torch gives the Java weightings' results on the same inputs, to 1e-6.

The Java test ``PythonWeightingGoldenTest`` writes the inputs (per case and step: task losses, presence,
gradient rows, losses after the step, epoch means) and Java's outputs to a JSON file, and runs this
module with ``CHORUS_WEIGHTING_GOLDEN`` naming it; without it these tests are skipped.

Each run drives :func:`chorus.torch.weighting` through ``backward`` on a linear stand-in model: one
float64 shared parameter ``theta`` (at 0) and ``L_t = c_t + g_t . theta``, so that ``dL_t/dtheta`` is the
golden gradient row and ``dL/dc_t`` is the weight the task's loss received. RLW's and PCGrad's random
draws are replayed from Java's (the generators differ).

The same inputs also go through LibMTL's own weighting classes (vendored under tests/libmtl/vendor, or the
checkout ``LIBMTL_SOURCE`` names; see clients/python/tests/libmtl/README.md): ``test_libmtl_*`` below.
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
import types
from pathlib import Path

import pytest

torch = pytest.importorskip("torch", reason="chorus.torch needs torch (the package's torch extra)")
import chorus.torch as ct  # noqa: E402

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


# --- against LibMTL, on the same inputs (the absent-task case left out: LibMTL has no absent tasks) ---

LIBMTL_CASES = [name for name in CASES if name != "t4-absent"]
MGDA_BOUND = 1e-4  # LibMTL's min-norm iteration stops at an L1 change of 1e-5, Chorus's at 1e-10
CAGRAD_BOUND = 1e-3  # LibMTL's SLSQP at scipy's default ftol 1e-6, Chorus's projected gradient to 1e-12


def _libmtl(name: str, case: dict):
    try:
        return _harness().instance(name, len(case["losses"][0]), len(case["gradients"][0][0]))
    except ImportError as e:
        pytest.skip(f"LibMTL's {name} cannot be loaded: {e}")


def _java(method: str, case: str) -> list[dict]:
    return next(r for r in RUNS if r["method"] == method and r["case"] == case)["outputs"]


def _epoch_means(case: dict) -> list[list[float]]:
    per = GOLDEN["stepsPerEpoch"]
    steps = case["losses"]
    return [[sum(steps[s][t] for s in range(e, e + per)) / per for t in range(len(steps[0]))]
            for e in range(0, len(steps), per)]


@needs_golden
@pytest.mark.parametrize("name", LIBMTL_CASES)
def test_libmtl_loss_weightings(name: str, monkeypatch) -> None:
    """EW, UW (its log-variances stepped by torch's Adam at the same rate), DWA, RLW (Java's draws for
    torch.randn) and FAMO give Java's loss weights at every step."""
    case = CASES[name]
    h = _harness()
    ew, uw, dwa, rlw, famo = (_libmtl(n, case) for n in ("EW", "UW", "DWA", "RLW", "FAMO"))
    uw_adam = torch.optim.Adam([uw.loss_scale], lr=0.05)
    draws = next(r for r in RUNS if r["method"] == "rlw" and r["case"] == name)["draws"]
    means = _epoch_means(case)
    import numpy as np
    dwa.train_loss_buffer = np.array(means).T
    for s in range(len(case["losses"])):
        losses, grads = case["losses"][s], case["gradients"][s]
        assert_close(f"EW step {s}", h.step(ew, losses, grads)[0], _java("equal", name)[s]["weights"])
        assert_close(f"UW step {s}", h.step(uw, losses, grads)[0], _java("uncertainty", name)[s]["weights"])
        uw_adam.step()
        uw_adam.zero_grad()
        dwa.epoch = s // GOLDEN["stepsPerEpoch"]
        assert_close(f"DWA step {s}", h.step(dwa, losses, grads, T=2.0)[0], _java("dwa", name)[s]["weights"])
        monkeypatch.setattr(torch, "randn", lambda n, draw=draws[s]: torch.tensor(draw))
        assert_close(f"RLW step {s}", h.step(rlw, losses, grads)[0], _java("rlw", name)[s]["weights"])
        monkeypatch.undo()
        _, _, weights = h.step(famo, losses, grads, FAMO_w_lr=0.025, FAMO_w_gamma=1e-3)
        assert_close(f"FAMO step {s}", weights, _java("famo", name)[s]["weights"])
        with h.float64():
            famo.update_w(torch.tensor(case["lossesAfter"][s]))


@needs_golden
@pytest.mark.parametrize("name", LIBMTL_CASES)
def test_libmtl_gradient_weightings(name: str) -> None:
    """PCGrad (Java's orders for random.shuffle), IMTL (log-scales stepped by torch's Adam), Aligned-MTL,
    MGDA-UB (loss+; LibMTL's alphas on the raw rows) and CAGrad give Java's shared gradient at every step,
    MGDA-UB and CAGrad within their solvers' bounds."""
    case = CASES[name]
    h = _harness()
    pcgrad, imtl, aligned, mgda, cagrad = (_libmtl(n, case) for n in ("PCGrad", "IMTL", "Aligned_MTL", "MGDA", "CAGrad"))
    orders = iter(order for step in next(r for r in RUNS if r["method"] == "pcgrad" and r["case"] == name)["draws"]
                  for order in step)
    sys_random = sys.modules["LibMTL.weighting.PCGrad"].random
    sys.modules["LibMTL.weighting.PCGrad"].random = types.SimpleNamespace(shuffle=lambda xs: xs.__setitem__(slice(None), next(orders)))
    imtl_adam = torch.optim.Adam([imtl.loss_scale], lr=0.05)
    try:
        for s in range(len(case["losses"])):
            losses, grads = case["losses"][s], case["gradients"][s]
            floor = max(1.0, max(abs(v) for row in grads for v in row))
            rows = torch.tensor(grads, dtype=torch.float64)
            assert_close(f"PCGrad step {s}", h.step(pcgrad, losses, grads)[1], _java("pcgrad", name)[s]["gradient"], floor)
            assert_close(f"IMTL step {s}", h.step(imtl, losses, grads)[1], _java("imtl", name)[s]["gradient"], floor)
            imtl_adam.step()
            imtl_adam.zero_grad()
            assert_close(f"Aligned-MTL step {s}", h.step(aligned, losses, grads)[1],
                         _java("aligned-mtl", name)[s]["gradient"], floor)
            alpha = torch.as_tensor(h.step(mgda, losses, grads, mgda_gn="loss+")[0], dtype=torch.float64)
            assert_close(f"MGDA-UB step {s}", alpha @ rows, _java("mgda-ub", name)[s]["gradient"], floor, MGDA_BOUND)
            assert_close(f"CAGrad step {s}", h.step(cagrad, losses, grads, calpha=0.5, rescale=1)[1],
                         _java("cagrad", name)[s]["gradient"], floor, CAGRAD_BOUND)
    finally:
        sys.modules["LibMTL.weighting.PCGrad"].random = sys_random


@needs_golden
@pytest.mark.parametrize("name", LIBMTL_CASES)
def test_libmtl_gradnorm_loss_gradient(name: str) -> None:
    """GradNorm: LibMTL learns logits l with w = T softmax(l); at equal logits its gradient of the GradNorm
    loss is Chorus's gradient with respect to w, less its mean (the softmax's Jacobian). The weights after
    an update differ by design (docs/python-weightings.md)."""
    case = CASES[name]
    h = _harness()
    import numpy as np
    from chorus.torch._gradient_methods import loss_gradient
    for s in range(1, len(case["losses"])):
        gradnorm = _libmtl("GradNorm", case)
        gradnorm.epoch = 1
        gradnorm.train_loss_buffer = np.array([case["losses"][0]]).T
        losses, grads = case["losses"][s], case["gradients"][s]
        returned, _, _ = h.step(gradnorm, losses, grads, alpha=1.5)
        assert_close(f"GradNorm weights step {s}", returned, [1.0] * len(losses))
        norms = torch.linalg.vector_norm(torch.tensor(grads, dtype=torch.float64), dim=1).tolist()
        d = torch.tensor(loss_gradient([1.0] * len(losses), norms, losses, case["losses"][0], 1.5), dtype=torch.float64)
        assert_close(f"GradNorm d/dlogits step {s}", gradnorm.loss_scale.grad, d - d.mean(), max(norms))


NASH_BOUND = 1e-3  # LibMTL's ECOS sequence, and its float32 weights, against Newton to a residual of 1e-10


@needs_golden
@pytest.mark.parametrize("name", LIBMTL_CASES)
def test_libmtl_nash_mtl(name: str) -> None:
    """Nash-MTL (no gradient clipping, ``max_norm=0``, as Chorus leaves clipping to the trainer) gives
    Java's weights within ECOS's tolerance and float32; it needs cvxpy and ecos."""
    try:
        _harness().load("Nash_MTL")
    except ImportError as e:
        pytest.skip(f"LibMTL's Nash_MTL cannot be loaded: {e}")
    case = CASES[name]
    nash = _libmtl("Nash_MTL", case)
    for s in range(len(case["losses"])):
        returned, _, _ = _harness().step(nash, case["losses"][s], case["gradients"][s],
                                         update_weights_every=1, optim_niter=20, max_norm=0.0)
        assert_close(f"Nash-MTL step {s}", returned, _java("nash-mtl", name)[s]["weights"], 1.0, NASH_BOUND)
