"""Weightings that look at the losses only: equal, fixed, uncertainty, DWA, RLW and FAMO.

Each class follows the Java class of the same method (``dev.chorus.mtl.train.weighting``); its
docstring states the method and the state it keeps, the Java javadoc the paper's details and the
deviations from LibMTL.
"""
from __future__ import annotations

import math
from typing import Optional, Sequence

from ._core import Adam, Method, Step, TorchRandom, Weights, check_tasks, softmax


class StaticWeights(Method):
    """``equal`` (``weights`` None: every present task counts once) and ``fixed`` (the candidate's
    searched weights). Stateless."""

    def __init__(self, weights: Optional[Sequence[float]]) -> None:
        self.weights = None if weights is None else list(weights)

    def combine(self, step: Step) -> Weights:
        return Weights(tuple((1.0 if self.weights is None else self.weights[t]) if step.present[t] else 0.0
                             for t in range(step.tasks)))


class Uncertainty(Method):
    """Kendall, Gal and Cipolla 2018, in LibMTL's ``UW`` form: learned log-variances ``s_t`` (from -0.5),
    weight ``1 / (2 exp(s_t))``; ``s_t`` take one Adam step per :meth:`combine` at the model's learning
    rate along ``1/2 - L_t / (2 exp(s_t))``, after the weights of that step are read."""

    INITIAL_LOG_VARIANCE = -0.5

    def __init__(self, learning_rate: float) -> None:
        Adam(0, learning_rate)  # validates now rather than at the first step
        self.learning_rate = learning_rate
        self.log_variance: Optional[list[float]] = None
        self._adam: Optional[Adam] = None

    def combine(self, step: Step) -> Weights:
        if self.log_variance is None:
            self.log_variance = [self.INITIAL_LOG_VARIANCE] * step.tasks
            self._adam = Adam(step.tasks, self.learning_rate)
        check_tasks(step.tasks, len(self.log_variance))
        weights = [0.0] * step.tasks
        gradient = [0.0] * step.tasks
        for t in range(step.tasks):
            if step.present[t]:
                weights[t] = 1 / (2 * math.exp(self.log_variance[t]))
                gradient[t] = 0.5 - step.losses[t] * weights[t]
        self._adam.step(self.log_variance, gradient, step.present)
        return Weights(tuple(weights))


class DynamicWeightAverage(Method):
    """Liu, Johns and Davison 2019: weight 1 for the first two epochs, then ``K softmax(r / T)`` with
    ``r_t = L_t(e-1) / L_t(e-2)`` from the means given to :meth:`end_epoch`, ``T = 2``. A task without a
    finite positive mean in either epoch weighs 1 and the softmax runs over the others."""

    TEMPERATURE = 2.0

    def __init__(self, temperature: float = TEMPERATURE) -> None:
        if not temperature > 0:
            raise ValueError(f"temperature must be positive, was {temperature}")
        self.temperature = temperature
        self.previous: Optional[list[float]] = None
        self.last: Optional[list[float]] = None

    def combine(self, step: Step) -> Weights:
        weights = self._epoch_weights(step.tasks)
        return Weights(tuple(w if p else 0.0 for w, p in zip(weights, step.present)))

    def end_epoch(self, mean_losses: Sequence[float]) -> None:
        self.previous, self.last = self.last, [float(v) for v in mean_losses]

    def _epoch_weights(self, tasks: int) -> list[float]:
        weights = [1.0] * tasks
        if self.previous is None:
            return weights
        check_tasks(len(self.last), tasks)
        check_tasks(len(self.previous), tasks)
        rated = [_usable(self.previous[t]) and _usable(self.last[t]) for t in range(tasks)]
        rate = [self.last[t] / self.previous[t] / self.temperature if rated[t] else 0.0 for t in range(tasks)]
        count = sum(rated)
        z = softmax(rate, rated)
        return [count * z[t] if rated[t] else 1.0 for t in range(tasks)]


def _usable(mean_loss: float) -> bool:
    return math.isfinite(mean_loss) and mean_loss > 0


class RandomLossWeights(Method):
    """Lin et al. 2022 (LibMTL's ``RLW``): each step draws ``lambda_t ~ N(0, 1)`` for every task, present
    or not, and weighs the present tasks by ``softmax(lambda)`` over them (summing to 1)."""

    def __init__(self, seed: int) -> None:
        self.random = TorchRandom(seed)

    def combine(self, step: Step) -> Weights:
        draws = self.random.normal(step.tasks)
        return Weights(tuple(softmax(draws, step.present)))


class Famo(Method):
    """Liu, Liang, Stone and Liu 2023 (LibMTL's ``FAMO``): logits ``xi`` (from 0), ``z = softmax(xi)``,
    loss weights ``z_t / (c L_t)`` with ``c = sum z_t / L_t``. :meth:`after_step` takes the same batch's
    losses after the optimiser step and moves ``xi`` one Adam step (learning rate 0.025, coupled weight
    decay 0.001) along ``z * (delta - z . delta)``, ``delta = log L(before) - log L(after)``. Losses are
    clamped at 0 and shifted by 1e-8."""

    LOGIT_LEARNING_RATE = 0.025
    GAMMA = 1e-3
    EPS = 1e-8

    def __init__(self, learning_rate: float = LOGIT_LEARNING_RATE, gamma: float = GAMMA) -> None:
        Adam(0, learning_rate, gamma)
        self.learning_rate = learning_rate
        self.gamma = gamma
        self.logits: Optional[list[float]] = None
        self._adam: Optional[Adam] = None
        self._before: Optional[list[float]] = None
        self._present_before: Optional[list[bool]] = None

    needs_losses_after_step = True

    def combine(self, step: Step) -> Weights:
        if self.logits is None:
            self.logits = [0.0] * step.tasks
            self._adam = Adam(step.tasks, self.learning_rate, self.gamma)
        check_tasks(step.tasks, len(self.logits))
        z = softmax(self.logits, step.present)
        c = sum(z[t] / _shifted(step.losses[t]) for t in range(step.tasks) if step.present[t])
        weights = tuple(z[t] / (c * _shifted(step.losses[t])) if step.present[t] else 0.0
                        for t in range(step.tasks))
        self._before = [float(v) for v in step.losses]
        self._present_before = list(step.present)
        return Weights(weights)

    def after_step(self, losses_after: Sequence[float]) -> None:
        if self._before is None:
            return
        check_tasks(len(losses_after), len(self.logits))
        after = [float(v) for v in losses_after]
        active = [p and math.isfinite(a) and math.isfinite(b)
                  for p, a, b in zip(self._present_before, after, self._before)]
        z = softmax(self.logits, active)
        delta = [math.log(_shifted(self._before[t])) - math.log(_shifted(after[t])) if active[t] else 0.0
                 for t in range(len(after))]
        mean = sum(z[t] * delta[t] for t in range(len(after)) if active[t])
        gradient = [z[t] * (delta[t] - mean) if active[t] else 0.0 for t in range(len(after))]
        self._adam.step(self.logits, gradient, active)
        self._before = None
        self._present_before = None


def _shifted(loss: float) -> float:
    return max(loss, 0.0) + Famo.EPS
