"""Weightings that balance the tasks' gradients in closed form or by a bargaining solution: IMTL,
Aligned-MTL and Nash-MTL.

Each follows the Java class of the same method (``dev.chorus.mtl.train.weighting``) step for step;
the Java javadoc gives the paper, the defaults and the deviations from LibMTL.
"""
from __future__ import annotations

import math
from typing import Optional

import torch

from ._core import (Adam, Method, SharedGradient, Step, Weights, check_tasks, combine_rows, dimension,
                    dot, gram, present_rows, present_tasks, solve, times)
from ._gradient_methods import min_norm


class Imtl(Method):
    """Liu et al. 2021, IMTL-L and IMTL-G: learned log-scales ``s_t`` (from 0, one Adam step per
    :meth:`combine` at the model's learning rate along ``e^{s_t} L_t - 1``) scale the gradients,
    ``h_t = e^{s_t} g_t``, and the closed-form ``alpha`` makes ``sum alpha_t h_t`` project equally on
    every ``h_t / ||h_t||``. A task with a zero gradient takes no part; a singular system gives equal
    alphas."""

    needs_gradients = True

    def __init__(self, learning_rate: float) -> None:
        Adam(0, learning_rate)
        self.learning_rate = learning_rate
        self.log_scale: Optional[list[float]] = None
        self._adam: Optional[Adam] = None

    def combine(self, step: Step) -> SharedGradient:
        if self.log_scale is None:
            self.log_scale = [0.0] * step.tasks
            self._adam = Adam(step.tasks, self.learning_rate)
        check_tasks(step.tasks, len(self.log_scale))
        usable = [bool(step.present[t]) and step.gradients is not None
                  and float(torch.linalg.vector_norm(step.gradients[t])) > 0 for t in range(step.tasks)]
        idx = present_tasks(usable)
        scaled = present_rows(step, idx)
        for k, t in enumerate(idx):
            scaled[k] *= math.exp(self.log_scale[t])
        d = combine_rows(alphas(scaled), scaled, dimension(step))
        gradient = [math.exp(self.log_scale[t]) * step.losses[t] - 1 if step.present[t] else 0.0
                    for t in range(step.tasks)]
        self._adam.step(self.log_scale, gradient, step.present)
        return SharedGradient(d)


def alphas(h: torch.Tensor) -> list[float]:
    """IMTL-G's weights for the non-zero rows ``h``: ``alpha_{2..} = h_1 U^T (D U^T)^{-1}``,
    ``alpha_1 = 1 - sum``."""
    n = h.shape[0]
    if n <= 1:
        return [1.0] * n
    u = h / torch.linalg.vector_norm(h, dim=1, keepdim=True)
    d_rows = h[0:1] - h[1:]
    u_rows = u[0:1] - u[1:]
    a = (u_rows @ d_rows.T).tolist()
    b = (u_rows @ h[0]).tolist()
    x = solve(a, b)
    if x is None:
        return [1.0 / n] * n
    return [1 - sum(x)] + x


class AlignedMtl(Method):
    """Senushkin et al. 2023: with ``G G^T = V Lambda V^T`` (eigenvalues above ``max(lambda) n eps32``
    kept), ``B = sqrt(lambda_min) V Lambda^{-1/2} V^T`` and the update ``sum_t (1^T B)_t g_t``.
    Stateless."""

    EPS = float(torch.finfo(torch.float32).eps)
    needs_gradients = True

    def combine(self, step: Step) -> SharedGradient:
        grads = present_rows(step, present_tasks(step.present))
        n = grads.shape[0]
        if n == 0:
            return SharedGradient(torch.zeros(dimension(step), dtype=torch.float64))
        values, vectors = torch.linalg.eigh(torch.tensor(gram(grads), dtype=torch.float64))
        tol = max(float(values.max()), 0.0) * n * self.EPS
        keep = values > tol
        if not bool(keep.any()):
            return SharedGradient(torch.zeros(dimension(step), dtype=torch.float64))
        kept, basis = values[keep], vectors[:, keep]
        b = (basis * torch.sqrt(kept.min() / kept)) @ basis.T
        return SharedGradient(combine_rows(b.sum(0).tolist(), grads, dimension(step)))


class NashMtl(Method):
    """Navon et al. 2022: the weights solving ``alpha_t (G alpha)_t = 1`` for the Gram matrix ``G`` of
    the present tasks' gradients, by damped Newton on ``b^T (G/||G||_F) b / 2 - sum log b`` and
    ``alpha = b / sqrt(||G||_F)``, accepted at a residual of 1e-10; otherwise, and when no direction
    improves every task, each task keeps its previous weight (starting at 1). Returned as loss weights."""

    MAX_NEWTON = 500
    TOLERANCE = 1e-10
    needs_gradients = True

    def __init__(self) -> None:
        self.previous: Optional[list[float]] = None

    def combine(self, step: Step) -> Weights:
        if self.previous is None:
            self.previous = [1.0] * step.tasks
        check_tasks(step.tasks, len(self.previous))
        idx = present_tasks(step.present)
        alpha = bargain(gram(present_rows(step, idx)))
        weights = [0.0] * step.tasks
        for k, t in enumerate(idx):
            if alpha is not None:
                self.previous[t] = alpha[k]
            weights[t] = self.previous[t]
        return Weights(tuple(weights))


def bargain(g_raw: list[list[float]]) -> Optional[list[float]]:
    """The solution of ``alpha_i (G alpha)_i = 1``, ``alpha > 0``, or None when there is none or it is
    not reached to :attr:`NashMtl.TOLERANCE`."""
    n = len(g_raw)
    frobenius = math.sqrt(sum(dot(row, row) for row in g_raw))
    if n == 0 or not frobenius > 0 or not math.isfinite(frobenius):
        return None
    g = [[v / frobenius for v in row] for row in g_raw]
    start = min_norm(g)
    if not all(v > 1e-12 for v in times(g, start)):
        return None
    beta = _newton(g, start)
    if beta is None:
        return None
    alpha = [v / math.sqrt(frobenius) for v in beta]
    return alpha if residual(g_raw, alpha) <= NashMtl.TOLERANCE else None


def residual(g: list[list[float]], alpha: list[float]) -> float:
    """``max_i |alpha_i (G alpha)_i - 1|``."""
    errors = [abs(a * ga - 1) for a, ga in zip(alpha, times(g, alpha))]
    return math.inf if any(math.isnan(e) for e in errors) else max(errors, default=0.0)


def _objective(g: list[list[float]], b: list[float]) -> float:
    return dot(b, times(g, b)) / 2 - sum(math.log(v) for v in b)


def _newton(g: list[list[float]], min_norm_weights: list[float]) -> Optional[list[float]]:
    n = len(g)
    b = [0.5 * w + 0.5 / n for w in min_norm_weights]
    ray = math.sqrt(n / dot(b, times(g, b)))
    b = [v * ray for v in b]
    value = _objective(g, b)
    iteration = 0
    while iteration < NashMtl.MAX_NEWTON and residual(g, b) > 1e-14:
        iteration += 1
        gb = times(g, b)
        grad = [gb[i] - 1 / b[i] for i in range(n)]
        hessian = [[g[i][j] + (1 / (b[i] * b[i]) if i == j else 0.0) for j in range(n)] for i in range(n)]
        root = [math.sqrt(hessian[i][i]) for i in range(n)]
        rhs = [-grad[i] / root[i] for i in range(n)]
        scaled = [[hessian[i][j] / (root[i] * root[j]) for j in range(n)] for i in range(n)]
        step = solve(scaled, rhs)
        if step is None:
            return None
        step = [step[i] / root[i] for i in range(n)]
        slope = dot(grad, step)
        if not slope < 0 or -slope < 1e-30:
            break
        quadratic = -slope < 1.0 / 16
        t = 1.0
        accepted = False
        while t > 1e-12:
            candidate = [b[i] + t * step[i] for i in range(n)]
            if all(v > 0 for v in candidate):
                nxt = _objective(g, candidate)
                if quadratic or nxt <= value + 0.25 * t * slope:
                    b, value, accepted = candidate, nxt, True
                    break
            t /= 2
        if not accepted:
            break
    return b if all(v > 0 and math.isfinite(v) for v in b) else None
