"""The object a user trains with: a weighting method applied to a PyTorch model's losses and shared parameters."""
from __future__ import annotations

import math
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

import torch

from ._balancing_methods import AlignedMtl, Imtl, NashMtl
from ._core import Combination, Method, SharedGradient, Step, Weights
from ._gradient_methods import CaGrad, GradNorm, MgdaUb, PcGrad
from ._loss_methods import DynamicWeightAverage, Famo, RandomLossWeights, StaticWeights, Uncertainty

Losses = Union[Mapping[str, Optional[torch.Tensor]], Sequence[Optional[torch.Tensor]]]
Numbers = Union[Mapping[str, float], Sequence[float]]


class Weighting:
    """A weighting method for one model: call :meth:`backward` once per training step instead of
    ``loss.backward()``, then step the optimiser as usual.

    State kept across steps: the method's own (learned log-variances for ``uncertainty``, weights for
    ``gradnorm``, logits for ``famo``, log-scales for ``imtl``, the last two epochs' mean losses for
    ``dwa``, the previous weights for ``nash-mtl``, a seeded generator for ``rlw`` and ``pcgrad``), the
    step count and the epoch count. Make one instance per model and call it from one thread; the task
    count is fixed by ``tasks``.

    Epoch hooks: ``dwa`` needs :meth:`end_epoch` after every epoch (the others ignore it);
    ``famo`` needs :meth:`after_step` with the same batch's losses after ``optimizer.step()``
    (:attr:`needs_losses_after_step`).
    """

    def __init__(self, name: str, tasks: Sequence[str], shared_parameters: Sequence[torch.nn.Parameter],
                 method: Method) -> None:
        self.name = name
        self.tasks: tuple[str, ...] = tuple(tasks)
        self.shared_parameters = list(shared_parameters)
        self.method = method
        self.epoch = 0
        self.iteration = 0

    @property
    def needs_gradients(self) -> bool:
        """Whether :meth:`backward` takes one gradient per task of the shared parameters (one extra
        backward pass per task, kept as a float64 ``[tasks, parameters]`` matrix)."""
        return self.method.needs_gradients

    @property
    def needs_losses_after_step(self) -> bool:
        """Whether :meth:`after_step` must be called after each optimiser step (``famo``)."""
        return self.method.needs_losses_after_step

    def backward(self, losses: Losses) -> Combination:
        """Applies the method to this step's task losses and back-propagates.

        ``losses``: a dict from task name to a scalar tensor, or a sequence in task order; a task that is
        missing from the dict or None has no labelled row in this batch (weight 0, left out of gradient
        combinations, no state update). Gradients accumulate into ``.grad`` as ``loss.backward()`` does.

        Returns :class:`Weights` when the model's gradient is that of ``sum_t w_t L_t`` (equal, fixed,
        uncertainty, dwa, rlw, gradnorm, famo, nash-mtl), or :class:`SharedGradient` (pcgrad, mgda-ub,
        cagrad, imtl, aligned-mtl) when the shared parameters receive that flattened gradient and every
        other parameter the gradient of ``sum_t L_t`` (each task's head at weight 1, as in LibMTL).
        """
        tensors = self._in_task_order(losses)
        present = [t is not None for t in tensors]
        values = [float(t.detach()) if t is not None else 0.0 for t in tensors]
        gradients = self._task_gradients(tensors) if self.needs_gradients else None
        result = self.method.combine(Step(values, present, gradients, self.epoch, self.iteration))
        self.iteration += 1
        used = [(k, t) for k, t in enumerate(tensors) if t is not None]
        if not used:
            return result
        if isinstance(result, Weights):
            sum(result.weights[k] * t for k, t in used).backward()
        else:
            self._backward_shared(sum(t for _, t in used), result.gradient)
        return result

    def end_epoch(self, mean_losses: Numbers) -> None:
        """Each task's mean training loss over the epoch that just ended (NaN or missing: absent)."""
        self.method.end_epoch(self._numbers(mean_losses, "mean_losses"))
        self.epoch += 1

    def after_step(self, losses_after: Numbers) -> None:
        """The same batch's task losses after ``optimizer.step()``, for ``famo``; a no-op for the others."""
        self.method.after_step(self._numbers(losses_after, "losses_after"))

    def _in_task_order(self, losses: Losses) -> list[Optional[torch.Tensor]]:
        if isinstance(losses, Mapping):
            unknown = sorted(set(losses) - set(self.tasks))
            if unknown:
                raise ValueError(f"losses has tasks {unknown} that are not among this weighting's tasks {list(self.tasks)}")
            ordered = [losses.get(task) for task in self.tasks]
        else:
            ordered = list(losses)
            if len(ordered) != len(self.tasks):
                raise ValueError(f"losses has {len(ordered)} entries; give one per task, in the order {list(self.tasks)}")
        for task, loss in zip(self.tasks, ordered):
            if loss is not None and (not isinstance(loss, torch.Tensor) or loss.numel() != 1):
                raise ValueError(f"the loss of task {task!r} must be a scalar tensor (or None when absent)")
        return [None if loss is None else loss.reshape(()) for loss in ordered]

    def _numbers(self, numbers: Numbers, what: str) -> list[float]:
        if isinstance(numbers, Mapping):
            return [float(numbers[t]) if numbers.get(t) is not None else math.nan for t in self.tasks]
        out = [math.nan if v is None else float(v) for v in numbers]
        if len(out) != len(self.tasks):
            raise ValueError(f"{what} has {len(out)} entries; give one per task, in the order {list(self.tasks)}")
        return out

    def _task_gradients(self, tensors: list[Optional[torch.Tensor]]) -> torch.Tensor:
        params = self.shared_parameters
        size = sum(p.numel() for p in params)
        rows = torch.zeros(len(tensors), size, dtype=torch.float64, device=params[0].device)
        for k, loss in enumerate(tensors):
            if loss is None:
                continue
            grads = torch.autograd.grad(loss, params, retain_graph=True, allow_unused=True)
            rows[k] = torch.cat([torch.zeros(p.numel(), dtype=torch.float64, device=p.device) if g is None
                                 else g.reshape(-1).to(torch.float64) for p, g in zip(params, grads)])
        return rows

    def _backward_shared(self, total: torch.Tensor, gradient: torch.Tensor) -> None:
        before = [None if p.grad is None else p.grad.detach().clone() for p in self.shared_parameters]
        total.backward()
        offset = 0
        for p, saved in zip(self.shared_parameters, before):
            piece = gradient[offset:offset + p.numel()].reshape(p.shape).to(dtype=p.dtype, device=p.device)
            p.grad = piece if saved is None else saved + piece
            offset += p.numel()


_OPTIONS = "weights (fixed), learning_rate (uncertainty, gradnorm, imtl) and seed (rlw, pcgrad)"


def _learning_rate(name: str, options: Mapping[str, Any]) -> float:
    if options.get("learning_rate") is None:
        raise ValueError(f"{name} learns its own weights at the model's learning rate: pass learning_rate=..., "
                         "e.g. trial.settings.learning_rate")
    return float(options["learning_rate"])


def _fixed_weights(tasks: Sequence[str], options: Mapping[str, Any]) -> list[float]:
    weights = options.get("weights")
    if weights is None:
        raise ValueError("fixed needs the candidate's per-task weights: pass weights=..., e.g. trial.weights")
    if isinstance(weights, Mapping):
        missing = [t for t in tasks if t not in weights]
        if missing:
            raise ValueError(f"weights has no entry for tasks {missing}")
        values = [float(weights[t]) for t in tasks]
    else:
        values = [float(w) for w in weights]
        if len(values) != len(tasks):
            raise ValueError(f"weights has {len(values)} entries; give one per task, in the order {list(tasks)}")
    if not all(math.isfinite(w) and w >= 0 for w in values):
        raise ValueError(f"weights must be finite and >= 0, were {values}")
    return values


_FACTORIES: dict[str, Callable[[Sequence[str], Mapping[str, Any]], Method]] = {
    "equal": lambda tasks, o: StaticWeights(None),
    "fixed": lambda tasks, o: StaticWeights(_fixed_weights(tasks, o)),
    "uncertainty": lambda tasks, o: Uncertainty(_learning_rate("uncertainty", o)),
    "dwa": lambda tasks, o: DynamicWeightAverage(),
    "rlw": lambda tasks, o: RandomLossWeights(int(o.get("seed", 0))),
    "gradnorm": lambda tasks, o: GradNorm(_learning_rate("gradnorm", o)),
    "pcgrad": lambda tasks, o: PcGrad(int(o.get("seed", 0))),
    "mgda-ub": lambda tasks, o: MgdaUb(),
    "cagrad": lambda tasks, o: CaGrad(),
    "famo": lambda tasks, o: Famo(),
    "imtl": lambda tasks, o: Imtl(_learning_rate("imtl", o)),
    "aligned-mtl": lambda tasks, o: AlignedMtl(),
    "nash-mtl": lambda tasks, o: NashMtl(),
}

NAMES: tuple[str, ...] = tuple(_FACTORIES)
"""The weighting names, as the study YAML's ``search.weighting`` spells them."""


def weighting(name: str, tasks: Sequence[str], shared_parameters: Iterable[torch.nn.Parameter],
              **options: Any) -> Weighting:
    """A fresh :class:`Weighting` for one model.

    Args:
        name: one of :data:`NAMES` (the YAML's names, e.g. ``trial.weighting``); case and ``_`` for ``-``
            do not matter.
        tasks: the model's task names, in the order its losses come.
        shared_parameters: the parameters all tasks share (the trunk); gradient methods combine the
            tasks' gradients of these.
        options: ``weights`` (``fixed``: the candidate's per-task weights, a dict by task or a sequence,
            e.g. ``trial.weights``), ``learning_rate`` (``uncertainty``, ``gradnorm``, ``imtl``: the
            model's learning rate, at which they learn their own weights) and ``seed`` (``rlw``,
            ``pcgrad``; default 0). ``learning-rate`` is accepted for ``learning_rate``. Options a method
            does not use are ignored, so one call can pass the trial's settings whatever the method.

    Raises:
        ValueError: for an unknown name, tasks that are empty or repeat, or a missing or bad option.
        TypeError: for an option that no method takes.
    """
    key = name.strip().lower().replace("_", "-")
    if key not in _FACTORIES:
        raise ValueError(f"unknown weighting {name!r}; allowed: {', '.join(NAMES)}")
    task_list = [str(t) for t in tasks]
    if not task_list or len(set(task_list)) != len(task_list):
        raise ValueError(f"tasks must be one or more distinct names, were {task_list}")
    normalised = {k.replace("-", "_"): v for k, v in options.items()}
    unknown = sorted(set(normalised) - {"weights", "learning_rate", "seed"})
    if unknown:
        raise TypeError(f"unknown options {unknown}; the options are {_OPTIONS}")
    params = list(shared_parameters)
    method = _FACTORIES[key](task_list, normalised)
    if method.needs_gradients and not params:
        raise ValueError(f"{key} combines the tasks' gradients of the shared parameters: pass them, "
                         "e.g. model.trunk.parameters()")
    return Weighting(key, task_list, params, method)
