"""Weightings that look at the task gradients: GradNorm, PCGrad, MGDA-UB and CAGrad, with the
min-norm solver of Sener and Koltun.

Each follows the Java class of the same method (``dev.chorus.mtl.train.weighting``) step for step;
the Java javadoc gives the paper, the defaults and the deviations from LibMTL.
"""
from __future__ import annotations

import math
from typing import Optional, Sequence

import torch

from ._core import (Adam, Method, SharedGradient, Step, TorchRandom, Weights, check_tasks, combine_rows,
                    dimension, dot, gram, present_rows, present_tasks, project_to_simplex, times)


class GradNorm(Method):
    """Chen et al. 2018: learned weights (from 1) take one Adam step per :meth:`combine` along
    ``sign(w_t ||g_t|| - target_t) ||g_t||``, ``target_t = mean(w ||g||) r_t^alpha``, ``alpha = 1.5``,
    ``r_t`` the inverse training rate against the task's loss at its first present step; then floored
    at 1e-6 and rescaled to their sum before the step. The weights returned are those before the update."""

    ALPHA = 1.5
    FLOOR = 1e-6
    needs_gradients = True

    def __init__(self, learning_rate: float, alpha: float = ALPHA) -> None:
        if not alpha >= 0:
            raise ValueError(f"alpha must be >= 0, was {alpha}")
        Adam(0, learning_rate)
        self.alpha = alpha
        self.learning_rate = learning_rate
        self.weights: Optional[list[float]] = None
        self.initial_loss: list[float] = []
        self._adam: Optional[Adam] = None

    def combine(self, step: Step) -> Weights:
        if self.weights is None:
            self.weights = [1.0] * step.tasks
            self.initial_loss = [math.nan] * step.tasks
            self._adam = Adam(step.tasks, self.learning_rate)
        check_tasks(step.tasks, len(self.weights))
        out = [0.0] * step.tasks
        for t in range(step.tasks):
            if step.present[t]:
                out[t] = self.weights[t]
                if math.isnan(self.initial_loss[t]):
                    self.initial_loss[t] = float(step.losses[t])
        self._update(step)
        return Weights(tuple(out))

    def _update(self, step: Step) -> None:
        active = [bool(step.present[t]) and self.initial_loss[t] > 0 and math.isfinite(step.losses[t])
                  for t in range(step.tasks)]
        idx = present_tasks(active)
        if len(idx) < 2:
            return
        norms = torch.linalg.vector_norm(present_rows(step, idx), dim=1).tolist()
        before = sum(self.weights[t] for t in idx)
        partial = loss_gradient([self.weights[t] for t in idx], norms, [step.losses[t] for t in idx],
                                [self.initial_loss[t] for t in idx], self.alpha)
        if partial is None:
            return
        gradient = [0.0] * step.tasks
        for k, t in enumerate(idx):
            gradient[t] = partial[k]
        self._adam.step(self.weights, gradient, active)
        for t in idx:
            self.weights[t] = max(self.weights[t], self.FLOOR)
        after = sum(self.weights[t] for t in idx)
        for t in idx:
            self.weights[t] *= before / after


def loss_gradient(weights: Sequence[float], grad_norms: Sequence[float], losses: Sequence[float],
                  initial_losses: Sequence[float], alpha: float) -> Optional[list[float]]:
    """d/dw of GradNorm's ``sum_t |w_t ||g_t|| - target_t|`` with the target held constant; None when the
    mean inverse training rate is not positive."""
    n = len(weights)
    mean_g = sum(weights[k] * grad_norms[k] / n for k in range(n))
    mean_ratio = sum(losses[k] / initial_losses[k] / n for k in range(n))
    if not mean_ratio > 0:
        return None
    out = []
    for k in range(n):
        target = mean_g * (losses[k] / initial_losses[k] / mean_ratio) ** alpha
        out.append(math.copysign(1.0, weights[k] * grad_norms[k] - target) * grad_norms[k]
                   if weights[k] * grad_norms[k] != target else 0.0)
    return out


class PcGrad(Method):
    """Yu et al. 2020: each task's gradient visits the others in a fresh random order and drops its
    component along any ``g_j`` it conflicts with; the shared gradient is the sum. Orders come from a
    ``torch.Generator`` seeded by the seed, one permutation of the present tasks per present task."""

    needs_gradients = True

    def __init__(self, seed: int) -> None:
        self.random = TorchRandom(seed)

    def combine(self, step: Step) -> SharedGradient:
        grads = present_rows(step, present_tasks(step.present))
        n = grads.shape[0]
        orders = [self.random.permutation(n) for _ in range(n)]
        if n == 0:
            return SharedGradient(torch.zeros(dimension(step), dtype=torch.float64))
        return SharedGradient(surgery(grads, orders))


def surgery(grads: torch.Tensor, orders: Sequence[Sequence[int]]) -> torch.Tensor:
    """``sum_i g_i^PC``, task ``i`` visiting the others in ``orders[i]`` (itself skipped)."""
    squared = (grads * grads).sum(1).tolist()
    total = torch.zeros_like(grads[0])
    for i in range(grads.shape[0]):
        pc = grads[i].clone()
        for j in orders[i]:
            if j == i or squared[j] == 0:
                continue
            conflict = float(pc @ grads[j])
            if conflict < 0:
                pc -= conflict / squared[j] * grads[j]
        total += pc
    return total


class MgdaUb(Method):
    """Sener and Koltun 2018: the min-norm point of the hull of the gradients divided by ``L_t ||g_t||``
    (``loss+``), its weights applied to the raw gradients. Stateless."""

    needs_gradients = True

    def __init__(self, normalization: str = "loss+") -> None:
        if normalization not in ("none", "l2", "loss", "loss+"):
            raise ValueError(f"normalization must be none, l2, loss or loss+, was {normalization!r}")
        self.normalization = normalization

    def combine(self, step: Step) -> SharedGradient:
        tasks = present_tasks(step.present)
        raw = present_rows(step, tasks)
        normalised = raw.clone()
        for k, t in enumerate(tasks):
            norm = float(torch.linalg.vector_norm(raw[k]))
            gn = {"none": 1.0, "l2": norm, "loss": step.losses[t], "loss+": step.losses[t] * norm}[self.normalization]
            normalised[k] *= 1 / gn if gn > 0 and math.isfinite(gn) else 1.0
        alpha = min_norm(gram(normalised))
        return SharedGradient(combine_rows(alpha, raw, dimension(step)))


MAX_ITER = 250
STOP_CRIT = 1e-10


def min_norm(g: list[list[float]]) -> list[float]:
    """``alpha`` in the simplex minimising ``||sum alpha_t v_t||^2`` for the Gram matrix ``g``: the best
    pair in closed form, then the Frank-Wolfe-like iteration, to an L1 change of 1e-10."""
    n = len(g)
    if n <= 1:
        return [1.0] * n
    sol = [0.0] * n
    best = math.inf
    for i in range(n):
        for j in range(i + 1, n):
            gamma, cost = _from_two(g[i][i], g[i][j], g[j][j])
            if cost < best:
                best = cost
                sol = [0.0] * n
                sol[i], sol[j] = gamma, 1 - gamma
    if n < 3:
        return sol
    for _ in range(MAX_ITER):
        nxt = _next_point(sol, [-v for v in times(g, sol)])
        gamma, _ = _from_two(dot(sol, times(g, sol)), dot(sol, times(g, nxt)), dot(nxt, times(g, nxt)))
        new = [gamma * s + (1 - gamma) * x for s, x in zip(sol, nxt)]
        if sum(abs(a - b) for a, b in zip(new, sol)) < STOP_CRIT:
            return sol
        sol = new
    return sol


def _from_two(v1v1: float, v1v2: float, v2v2: float) -> tuple[float, float]:
    if v1v2 >= v1v1:
        return 0.999, v1v1
    if v1v2 >= v2v2:
        return 0.001, v2v2
    gamma = -1.0 * ((v1v2 - v2v2) / (v1v1 + v2v2 - 2 * v1v2))
    return gamma, v2v2 + gamma * (v1v2 - v2v2)


def _next_point(cur: list[float], grad: list[float]) -> list[float]:
    n = len(cur)
    mean = sum(v / n for v in grad)
    proj = [v - mean for v in grad]
    tm1 = [-c / p for c, p in zip(cur, proj) if p < 0 and -c / p > 1e-7]
    tm2 = [(1 - c) / p for c, p in zip(cur, proj) if p > 0 and (1 - c) / p > 1e-7]
    t = min(tm1) if tm1 else 1.0
    if tm2:
        t = min(t, min(tm2))
    return project_to_simplex([p * t + c for p, c in zip(proj, cur)])


class CaGrad(Method):
    """Liu et al. 2021 (``c = 0.5``, rescaled by ``1 / (1 + c^2)``): ``d = g0 + c ||g0|| / ||g_w|| g_w`` with
    ``w`` the dual's minimiser over the simplex, found by projected gradient with backtracking on the Gram
    matrix scaled to a unit largest diagonal (the authors use SLSQP). Stateless."""

    C = 0.5
    MAX_ITER = 2000
    needs_gradients = True

    def __init__(self, c: float = C, rescale: bool = True) -> None:
        if not (c >= 0 and math.isfinite(c)):
            raise ValueError(f"c must be finite and >= 0, was {c}")
        self.c = c
        self.rescale = rescale

    def combine(self, step: Step) -> SharedGradient:
        grads = present_rows(step, present_tasks(step.present))
        n = grads.shape[0]
        if n == 0:
            return SharedGradient(torch.zeros(dimension(step), dtype=torch.float64))
        d = grads.mean(0)
        if self.c > 0:
            w = self.solve_dual(gram(grads))
            gw = combine_rows(w, grads, dimension(step))
            d = d + self.c * float(torch.linalg.vector_norm(grads.mean(0))) / (float(torch.linalg.vector_norm(gw)) + 1e-8) * gw
        return SharedGradient(d / (1 + self.c * self.c) if self.rescale else d)

    def solve_dual(self, a: list[list[float]]) -> list[float]:
        n = len(a)
        scale = max(a[i][i] for i in range(n))
        x = [1.0 / n] * n
        if not scale > 0 or n == 1:
            return x
        m = [[v / scale for v in row] for row in a]
        ab = times(m, x)
        k = self.c * math.sqrt(dot(x, ab) + 1e-8) + 1e-8

        def objective(p: list[float]) -> float:
            return dot(p, ab) + k * math.sqrt(dot(p, times(m, p)) + 1e-8)

        step = 1.0
        f = objective(x)
        for _ in range(self.MAX_ITER):
            ax = times(m, x)
            root = math.sqrt(dot(x, ax) + 1e-8)
            grad = [ab[i] + k * ax[i] / root for i in range(n)]
            step *= 2
            while True:
                nxt = project_to_simplex([x[i] - step * grad[i] for i in range(n)])
                f_next = objective(nxt)
                dx = [nxt[i] - x[i] for i in range(n)]
                linear = sum(grad[i] * dx[i] + dx[i] * dx[i] / (2 * step) for i in range(n))
                moved = sum(abs(v) for v in dx)
                if f_next <= f + linear + 1e-15 or step < 1e-12:
                    break
                step /= 2
            x, f = nxt, f_next
            if moved < 1e-12:
                break
        return x
