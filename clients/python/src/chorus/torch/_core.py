"""The contract every weighting method implements, and the small numerics they share.

A method sees one training step as a :class:`Step` (each task's loss, whether the task is present,
and for gradient methods one gradient row per task) and answers with a :class:`Weights` (back-propagate
``sum_t w_t L_t``) or a :class:`SharedGradient` (the shared parameters take this gradient, every task's
own parameters their loss at weight 1). This mirrors Java's ``dev.chorus.mtl.train.weighting.LossWeighting``
line for line, so that the golden tests can hold both to 1e-6 on the same inputs.

Numbers that concern a handful of tasks (Gram matrices, solvers, learned weights) are plain Python
floats, as Java's are doubles; vectors of the gradients' length are float64 tensors.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence, Union

import torch


@dataclass(frozen=True)
class Step:
    """One training step as a weighting sees it.

    Attributes:
        losses: each task's loss (0.0 when absent).
        present: whether the task has a labelled row in the batch; an absent task gets weight 0, takes
            no part in gradient combinations and does not update the method's state.
        gradients: for gradient methods, a float64 tensor ``[tasks, dim]``, row ``t`` the gradient of
            ``L_t`` with respect to the shared parameters, flattened (rows of absent tasks are ignored);
            otherwise None.
        epoch: 0-based epoch (the number of :meth:`Method.end_epoch` calls so far).
        iteration: 0-based step count since training started.
    """

    losses: Sequence[float]
    present: Sequence[bool]
    gradients: Optional[torch.Tensor] = None
    epoch: int = 0
    iteration: int = 0

    def __post_init__(self) -> None:
        if len(self.losses) != len(self.present) or (
                self.gradients is not None and self.gradients.shape[0] != len(self.losses)):
            raise ValueError("losses, present and gradients need one entry per task")

    @property
    def tasks(self) -> int:
        return len(self.losses)


@dataclass(frozen=True)
class Weights:
    """Back-propagate ``sum_t weights[t] * L_t``."""

    weights: tuple[float, ...]


@dataclass(frozen=True)
class SharedGradient:
    """The shared parameters take this flattened gradient; every task's own parameters their loss at weight 1."""

    gradient: torch.Tensor


Combination = Union[Weights, SharedGradient]


class Method:
    """One weighting method's per-run state. Subclasses override :meth:`combine` and, where they learn
    from it, :meth:`end_epoch` or :meth:`after_step`. Single-threaded; one instance per model."""

    needs_gradients: bool = False
    needs_losses_after_step: bool = False

    def combine(self, step: Step) -> Combination:
        raise NotImplementedError

    def end_epoch(self, mean_losses: Sequence[float]) -> None:
        """Each task's mean training loss over the epoch that ended (NaN where absent)."""

    def after_step(self, losses_after: Sequence[float]) -> None:
        """The same batch's losses after the optimiser step (only when :attr:`needs_losses_after_step`)."""


# --- helpers shared by the methods (Java's Vectors) -------------------------------------------------

def present_tasks(present: Sequence[bool]) -> list[int]:
    return [t for t, p in enumerate(present) if p]


def present_rows(step: Step, tasks: Sequence[int]) -> torch.Tensor:
    if step.gradients is None:
        raise ValueError("this weighting needs gradients: fill Step.gradients")
    return step.gradients[list(tasks)].to(torch.float64)


def dimension(step: Step) -> int:
    return 0 if step.gradients is None else int(step.gradients.shape[1])


def gram(rows: torch.Tensor) -> list[list[float]]:
    """``G[i][j] = rows[i] . rows[j]`` as Python floats."""
    return (rows @ rows.T).tolist() if rows.shape[0] else []


def combine_rows(coefficients: Sequence[float], rows: torch.Tensor, dim: int) -> torch.Tensor:
    out = torch.zeros(dim, dtype=torch.float64, device=rows.device)
    if rows.shape[0]:
        out += torch.tensor(list(coefficients), dtype=torch.float64, device=rows.device) @ rows
    return out


def dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b))


def times(m: Sequence[Sequence[float]], x: Sequence[float]) -> list[float]:
    return [dot(row, x) for row in m]


def check_tasks(given: int, expected: int) -> None:
    if given != expected:
        raise ValueError(f"step has {given} tasks but the first step had {expected}; "
                         "make a new weighting per model")


def project_to_simplex(y: Sequence[float]) -> list[float]:
    """Euclidean projection onto the probability simplex (sort-based, Duchi et al. 2008)."""
    n = len(y)
    ordered = sorted(y)
    total = 0.0
    theta = 0.0
    for i in range(n - 1, -1, -1):
        total += ordered[i]
        candidate = (total - 1) / (n - i)
        if i == 0 or ordered[i - 1] <= candidate:
            theta = candidate
            break
    return [max(v - theta, 0.0) for v in y]


def solve(a: list[list[float]], b: list[float]) -> Optional[list[float]]:
    """``x`` with ``a x = b`` by Gaussian elimination with partial pivoting (overwrites ``a``, ``b``);
    None when a pivot is below ``1e-12`` times the largest entry, as Java decides singularity."""
    m = len(b)
    scale = max((abs(v) for row in a for v in row), default=0.0)
    for col in range(m):
        pivot = max(range(col, m), key=lambda r: abs(a[r][col]))
        if not abs(a[pivot][col]) > 1e-12 * scale:
            return None
        a[col], a[pivot] = a[pivot], a[col]
        b[col], b[pivot] = b[pivot], b[col]
        for r in range(col + 1, m):
            f = a[r][col] / a[col][col]
            for c in range(col, m):
                a[r][c] -= f * a[col][c]
            b[r] -= f * b[col]
    x = [0.0] * m
    for r in range(m - 1, -1, -1):
        s = b[r] - sum(a[r][c] * x[c] for c in range(r + 1, m))
        x[r] = s / a[r][r]
    return x


def softmax(values: Sequence[float], over: Sequence[bool]) -> list[float]:
    """Softmax of ``values`` over the entries where ``over`` is true; 0 elsewhere."""
    top = max((v for v, o in zip(values, over) if o), default=0.0)
    exps = [math.exp(v - top) if o else 0.0 for v, o in zip(values, over)]
    total = sum(exps)
    return [e / total if total > 0 else 0.0 for e in exps]


class Adam:
    """Adam (Kingma and Ba 2015) on a list of floats a method learns itself, one step count per
    coordinate so that a coordinate left out of a step keeps its moments; coupled L2 weight decay as
    ``torch.optim.Adam(weight_decay=...)``."""

    BETA1, BETA2, EPS = 0.9, 0.999, 1e-8

    def __init__(self, size: int, learning_rate: float, weight_decay: float = 0.0) -> None:
        if not (learning_rate > 0 and math.isfinite(learning_rate)):
            raise ValueError(f"learning_rate must be positive and finite, was {learning_rate}")
        if not weight_decay >= 0:
            raise ValueError(f"weight decay must be >= 0, was {weight_decay}")
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.m = [0.0] * size
        self.v = [0.0] * size
        self.steps = [0] * size

    def step(self, params: list[float], gradient: Sequence[float], active: Optional[Sequence[bool]]) -> None:
        for i in range(len(params)):
            if active is not None and not active[i] or not math.isfinite(gradient[i]):
                continue
            g = gradient[i] + self.weight_decay * params[i]
            self.steps[i] += 1
            self.m[i] = self.BETA1 * self.m[i] + (1 - self.BETA1) * g
            self.v[i] = self.BETA2 * self.v[i] + (1 - self.BETA2) * g * g
            m_hat = self.m[i] / (1 - self.BETA1 ** self.steps[i])
            v_hat = self.v[i] / (1 - self.BETA2 ** self.steps[i])
            params[i] -= self.learning_rate * m_hat / (math.sqrt(v_hat) + self.EPS)


class TorchRandom:
    """The draws of RLW and PCGrad, from a ``torch.Generator`` seeded by the seed. Java draws from its own
    generator (``SplittableRandom``); the golden tests hand both sides the same draws instead."""

    def __init__(self, seed: int) -> None:
        self._generator = torch.Generator().manual_seed(seed)

    def normal(self, n: int) -> list[float]:
        return torch.randn(n, generator=self._generator, dtype=torch.float64).tolist()

    def permutation(self, n: int) -> list[int]:
        return torch.randperm(n, generator=self._generator).tolist()
