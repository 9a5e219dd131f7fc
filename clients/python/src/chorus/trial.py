"""A claimed trial, live: what to train, where to report epochs, and how to finish it.

Optuna's users know the split between a live trial and a frozen one; here :class:`Trial` is the live
one (it holds a claim and sends heartbeats) and :class:`chorus.TrialSnapshot` the frozen one.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import numbers
import threading
from collections.abc import Mapping
from typing import Any, Optional

from ._http import Transport
from .errors import LeaseLost, NotFound, Pruned, ChorusError
from .models import Candidate, Settings, Split, decode

log = logging.getLogger("chorus")

#: each metric's admissible values (as Chorus checks them): (lowest, highest)
METRIC_RANGES = {"auc": (0.0, 1.0), "accuracy": (0.0, 1.0), "f1": (0.0, 1.0), "macro_f1": (0.0, 1.0),
                 "log_loss": (0.0, math.inf),
                 "rmse": (0.0, math.inf), "mae": (0.0, math.inf), "r2": (-math.inf, 1.0)}


@dataclasses.dataclass(frozen=True)
class Result:
    """One task's metric at the epoch you kept (chosen on the validation rows, never on test): on the
    split's validation rows and, for the same parameters, on its test rows."""
    validation: float
    test: float


@dataclasses.dataclass(frozen=True)
class Task:
    """A task as a trainer needs it: its name, type (binary, multiclass, regression), primary metric,
    whether that metric is maximized or minimized, and the key of its single-task baseline for this run."""
    name: str
    type: str
    metric: str
    direction: str
    baseline_hash: str


class Trial:
    """A trial this process holds a claim on, until it is completed, pruned, failed or released.

    What to train: :attr:`models` (task names per model), :attr:`weighting` and :attr:`weights`,
    :attr:`architecture`, :attr:`settings`, :attr:`head_depth`, :attr:`experts`, on :attr:`split`'s rows
    with :attr:`seed`. A heartbeat thread renews the claim's lease from construction until the trial is
    finished; once a heartbeat is refused, :meth:`report` raises :class:`LeaseLost`.

    A *baseline trial* (:attr:`is_baseline`) trains one task alone with the study's baseline settings;
    :class:`chorus.Worker` makes one for each baseline the coordinator lacks, and its results are sent
    with the trial's (see :meth:`baseline`).
    """

    def __init__(self, transport: Transport, assignment: dict, *, heartbeats: bool = True):
        self._transport = transport
        self.assignment: dict = assignment
        """The assignment as the coordinator sent it (the trial protocol's claim answer)."""
        self.id: int = assignment["trialId"]
        self.study_id: int = assignment["studyId"]
        self.number: int = assignment["number"]
        self.claim: str = assignment["claim"]
        self.seed: int = assignment["seed"]
        self.replicate: int = assignment.get("replicate", 0)
        self.candidate: Candidate = decode(Candidate, assignment["candidate"])
        self.models: list[list[str]] = [list(m) for m in assignment["models"]]
        self.tasks: list[Task] = [decode(Task, t) for t in assignment["tasks"]]
        self.spec_yaml: str = assignment.get("specYaml", "")
        self.base_dir: str = assignment.get("baseDir", "")
        self.data_hash: str = assignment.get("dataHash", "")
        baseline = assignment.get("baseline")
        self.baseline_settings: Optional[Settings] = decode(Settings, baseline) if baseline else None
        self.is_baseline = False
        self.baselines_needed: list[str] = []
        """Tasks whose single-task baseline the coordinator lacks: the trial's completion must bring them."""
        self._split: Optional[Split] = None
        self._finished: Optional[str] = None
        self._pruned = False
        self._lost: Optional[str] = None
        self._stop = threading.Event()
        self._beats: Optional[threading.Thread] = None
        if heartbeats:
            self._beats = threading.Thread(target=self._beat, name=f"chorus-heartbeat-{self.id}", daemon=True)
            self._beats.start()

    # --- what to train ---------------------------------------------------------------------------

    @property
    def task_names(self) -> list[str]:
        """The study's tasks this trial trains, in study order."""
        trained = {name for model in self.models for name in model}
        return [t.name for t in self.tasks if t.name in trained]

    @property
    def weighting(self) -> str:
        """How losses are combined within a model: a name of the YAML (equal, fixed, uncertainty, ...)."""
        return self.candidate.weighting

    @property
    def weights(self) -> dict[str, float]:
        """Task name to loss weight (the ``fixed`` weighting's; 1.0 under the others)."""
        return {t.name: w for t, w in zip(self.tasks, self.candidate.weights) if t.name in self.task_names}

    @property
    def architecture(self) -> str:
        return self.candidate.architecture

    @property
    def settings(self) -> Settings:
        return self.candidate.settings

    @property
    def head_depth(self) -> int:
        return self.candidate.head_depth

    @property
    def experts(self) -> int:
        return self.candidate.experts

    @property
    def split(self) -> Split:
        """The rows this run trains on (fetched once): the data's row indices, by part."""
        if self._split is None:
            data = self._transport.json("GET", f"/api/studies/{self.study_id}/split",
                                        params={"replicate": self.replicate})
            self._split = decode(Split, data)
            if self.data_hash and self._split.data_hash != self.data_hash:
                raise ChorusError(f"study {self.study_id}'s data changed between this claim and its split")
        return self._split

    def task(self, name: str) -> Task:
        """The task called ``name``."""
        for t in self.tasks:
            if t.name == name:
                return t
        raise KeyError(f"no task {name!r} in this study; its tasks are {[t.name for t in self.tasks]}")

    def baseline(self, task: str) -> Trial:
        """The baseline trial of ``task``: the task alone, one model, ``equal`` weighting, the study's
        baseline settings, the same seed and rows. Reports from it are not sent (baselines are not pruned)."""
        if self.baseline_settings is None:
            raise ChorusError("this Chorus does not send the study's baseline settings with an assignment; "
                              "update the coordinator")
        twin = Trial.__new__(Trial)
        twin.__dict__.update(self.__dict__)
        self.task(task)  # a KeyError naming the tasks, for a name that is none
        twin.models = [[task]]
        twin.candidate = dataclasses.replace(self.candidate, groups=[0] * len(self.tasks),
                                             weights=[1.0] * len(self.tasks), weighting="equal",
                                             settings=self.baseline_settings, architecture="hard",
                                             head_depth=0, experts=0)
        twin.is_baseline = True
        twin.baselines_needed = []
        twin._parent = self
        return twin

    # --- during training -------------------------------------------------------------------------

    def report(self, epoch: int, values: Mapping[str, float]) -> None:
        """Reports one epoch's validation metric per task (task name to value; some tasks are enough).

        Raises :class:`chorus.Pruned` when the study's pruner wants the trial stopped, :class:`LeaseLost`
        when the claim no longer holds the trial, and ValueError naming what is wrong with ``values``.
        On a baseline trial it only checks the lease.
        """
        self._check_lease()
        if self.is_baseline:
            return
        if not isinstance(epoch, numbers.Integral) or isinstance(epoch, bool) or epoch < 0:
            raise ValueError(f"epoch must be a whole number from 0, was {epoch!r}")
        checked = _metrics(self, values, "report")
        if not checked:
            raise ValueError("report at least one task's value, e.g. trial.report(epoch, {'task': 0.8})")
        answer = self._transport.json("POST", f"/api/trials/{self.id}/intermediate",
                                      {"claim": self.claim, "step": int(epoch), "values": checked}, protocol=True)
        if answer and answer.get("prune"):
            self._pruned = True
            raise Pruned(f"trial {self.number} of study {self.study_id}: the pruner stopped it at epoch {epoch}")

    @property
    def should_prune(self) -> bool:
        """Whether a report was answered with "stop"."""
        return getattr(self, "_parent", self)._pruned

    # --- finishing -------------------------------------------------------------------------------

    def complete(self, results: Mapping[str, Any], baselines: Mapping[str, Any] | None = None,
                 baseline_seconds: Mapping[str, float] | None = None) -> None:
        """Finishes the trial with one :class:`Result` (or ``(validation, test)``) per task.

        ``baselines`` maps each task of :attr:`baselines_needed` to its baseline's result, trained as
        :meth:`baseline` describes; ``baseline_seconds`` how long each took (0 when not given).
        Raises ValueError, before anything is sent, when a task is missing or unknown, or a value is
        not finite or outside its metric's range.
        """
        self._complete(results, baselines, baseline_seconds, None)

    def _complete(self, results: Mapping[str, Any], baselines: Mapping[str, Any] | None,
                  baseline_seconds: Mapping[str, float] | None, next_claim: dict | None) -> Optional[dict]:
        """:meth:`complete`; with ``next_claim`` ({worker, waitSeconds, study}) in one call with the claim
        of the worker's next trial (``/complete-and-claim``), whose assignment it returns (None: none came)."""
        checked = check_results(self, results)
        sent_baselines = []
        given = dict(baselines or {})
        missing = [t for t in self.baselines_needed if t not in given]
        if missing:
            raise ValueError(f"the coordinator has no baseline for {missing}: train each task alone as "
                             f"trial.baseline(task) says and pass baselines={{task: Result(validation, test)}}")
        for name, result in _results(self, given, "baselines", list(given)).items():
            if self.task(name).baseline_hash and self._has_baseline(self.task(name).baseline_hash):
                continue  # another worker stored it meanwhile; a stored one is never replaced
            seconds = float((baseline_seconds or {}).get(name, 0.0))
            sent_baselines.append({"hash": self.task(name).baseline_hash, "task": name,
                                   "validation": result.validation, "test": result.test,
                                   "trainSeconds": max(0.0, round(seconds, 3))})
        body = {"claim": self.claim, "baselines": sent_baselines,
                "results": [{"task": name, "validation": r.validation, "test": r.test,
                             "baselineHash": self.task(name).baseline_hash} for name, r in checked.items()]}
        if next_claim is None:
            self._finish("complete", body)
            return None
        answer = self._finish("complete-and-claim", dict(body, next=next_claim), timeout=next_claim["waitSeconds"] + 30)
        return (answer or {}).get("next")

    def prune(self) -> None:
        """Finishes the trial as pruned; the epochs it reported stay."""
        self._finish("prune", {"claim": self.claim})

    def fail(self, error: str) -> None:
        """Finishes the trial as failed, for good, with ``error`` as the reason."""
        self._finish("fail", {"claim": self.claim, "error": str(error)})

    def release(self, reason: str = "given back") -> None:
        """Gives the trial back to the queue (this process stops); it waits for another worker."""
        self._finish("release", {"claim": self.claim, "reason": str(reason)}, retry=False)

    @property
    def finished(self) -> Optional[str]:
        """How this process finished the trial (complete, prune, fail, release), or None."""
        return self._finished

    def _finish(self, how: str, body: dict, retry: bool = True, timeout: float | None = None) -> Any:
        if self.is_baseline:
            raise ValueError("a baseline trial is not finished on its own: its result goes with its trial's")
        if self._finished is not None:
            raise ValueError(f"trial {self.number} of study {self.study_id} is already finished ({self._finished})")
        try:
            answer = self._transport.json("POST", f"/api/trials/{self.id}/{how}", body, protocol=True, retry=retry,
                                          timeout=timeout)
            self._finished = "complete" if how == "complete-and-claim" else how
            return answer
        finally:
            if self._finished is not None or not retry:
                self.stop_heartbeats()

    def stop_heartbeats(self) -> None:
        """Stops renewing the lease (the trial is finished, or given up)."""
        self._stop.set()
        if self._beats is not None and self._beats is not threading.current_thread():
            self._beats.join(timeout=5)

    def _has_baseline(self, hash_: str) -> bool:
        try:
            self._transport.json("GET", f"/api/baselines/{hash_}")
            return True
        except NotFound:
            return False

    def _find_needed_baselines(self) -> None:
        self.baselines_needed = [t.name for t in self.tasks
                                 if t.name in self.task_names and not self._has_baseline(t.baseline_hash)]

    def _check_lease(self) -> None:
        lost = getattr(self, "_parent", self)._lost
        if lost is not None:
            raise LeaseLost(lost, 409)

    def _beat(self) -> None:
        every = max(1.0, float(self.assignment.get("heartbeatSeconds", 10)))
        while True:  # at once (a claim's first lease is short), then every heartbeatSeconds
            try:
                self._transport.json("POST", f"/api/trials/{self.id}/heartbeat", {"claim": self.claim},
                                     protocol=True, retry=False, timeout=every)
            except LeaseLost as e:
                self._lost = e.error
                log.warning("trial %d of study %d: lease lost: %s", self.number, self.study_id, e.error)
                return
            except ChorusError as e:
                log.warning("trial %d of study %d: heartbeat failed (%s); trying again", self.number,
                            self.study_id, e)
            if self._stop.wait(every):
                return

    def __repr__(self) -> str:
        kind = "baseline " if self.is_baseline else ""
        return (f"<chorus.Trial {kind}{self.number} of study {self.study_id}: models {self.models}, "
                f"{self.weighting}, {self.architecture}>")


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{where}: a number, was {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{where}: a finite number, was {number} (NaN or infinite: check the training)")
    return number


def _metrics(trial: Trial, values: Mapping[str, Any], what: str) -> dict[str, float]:
    if not isinstance(values, Mapping):
        raise ValueError(f"{what}: a mapping of task name to value, was {type(values).__name__}")
    problems, checked = [], {}
    for name, value in values.items():
        if name not in trial.task_names:
            problems.append(f"{what}[{name!r}]: not a task of this trial; its tasks are {trial.task_names}")
            continue
        try:
            checked[name] = _in_range(trial.task(name), _number(value, f"{what}[{name!r}]"), f"{what}[{name!r}]")
        except ValueError as e:
            problems.append(str(e))
    if problems:
        raise ValueError("; ".join(problems))
    return checked


def _in_range(task: Task, value: float, where: str) -> float:
    low, high = METRIC_RANGES.get(task.metric, (-math.inf, math.inf))
    if not low <= value <= high:
        bounds = f"in [{low:g}, {high:g}]" if math.isfinite(low) and math.isfinite(high) else (
            f">= {low:g}" if math.isfinite(low) else f"<= {high:g}")
        raise ValueError(f"{where}: {task.metric} must be {bounds}, was {value}")
    return value


def check_results(trial: Trial, results: Any) -> dict[str, Result]:
    """What ``train`` returned for ``trial``, checked: one finite, in-range Result per task; a ValueError
    naming every problem otherwise."""
    return _results(trial, results, "results", trial.task_names)


def _results(trial: Trial, given: Mapping[str, Any], what: str, expected: list[str]) -> dict[str, Result]:
    """``given`` checked and normalised to Results: every expected task once, finite, in range."""
    if not isinstance(given, Mapping):
        raise ValueError(f"{what}: return a mapping of task name to Result(validation, test), "
                         f"was {type(given).__name__}")
    problems, checked = [], {}
    missing = [t for t in expected if t not in given]
    if missing:
        problems.append(f"{what}: no result for {missing}; give one per task: {expected}")
    for name, value in given.items():
        where = f"{what}[{name!r}]"
        if name not in trial.task_names:
            problems.append(f"{where}: not a task of this trial; its tasks are {trial.task_names}")
            continue
        if isinstance(value, Result):
            pair = (value.validation, value.test)
        elif isinstance(value, Mapping) and {"validation", "test"} <= set(value):
            pair = (value["validation"], value["test"])
        elif isinstance(value, (tuple, list)) and len(value) == 2:
            pair = tuple(value)
        else:
            problems.append(f"{where}: Result(validation, test) or a (validation, test) pair, was {value!r}")
            continue
        try:
            task = trial.task(name)
            checked[name] = Result(*(_in_range(task, _number(v, f"{where}.{part}"), f"{where}.{part}")
                                     for v, part in zip(pair, ("validation", "test"))))
        except ValueError as e:
            problems.append(str(e))
    if problems:
        raise ValueError("; ".join(problems))
    return {name: checked[name] for name in trial.task_names if name in checked}
