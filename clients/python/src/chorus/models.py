"""What the API returns, as frozen dataclasses.

Field names are the API's in snake case (``deltaM`` is ``delta_m``). Fields the server adds later
are ignored, so an older client keeps working against a newer Chorus; :attr:`Report.raw` keeps the
whole report for the parts not typed here. Timestamps are timezone-aware :class:`datetime` values.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
import types
import typing
from typing import Any, Optional

FINISHED_STUDY_STATES = ("completed", "failed", "cancelled")
FINISHED_TRIAL_STATES = ("complete", "pruned", "failed")


@dataclasses.dataclass(frozen=True)
class TaskInfo:
    """A task of a study: its name, type, primary metric and whether that metric is maximized."""
    name: str
    type: str
    metric: str
    direction: str


@dataclasses.dataclass(frozen=True)
class StudyInfo:
    """A study as ``GET /api/studies/{id}`` shows it: settings and progress."""
    id: int
    name: str
    state: str
    sampler: str
    seed: int
    max_trials: int
    max_wall_clock_seconds: int
    tasks: list[TaskInfo]
    finished_trials: int
    best_delta_m: Optional[float]
    best_trial: Optional[int]
    error: Optional[str]
    created_at: Optional[_dt.datetime]
    started_at: Optional[_dt.datetime]
    finished_at: Optional[_dt.datetime]

    @property
    def finished(self) -> bool:
        """Whether the study is over: completed, failed or cancelled."""
        return self.state in FINISHED_STUDY_STATES


@dataclasses.dataclass(frozen=True)
class Settings:
    """The trunk's shape and the optimiser's settings a candidate trains with."""
    trunk_width: int
    trunk_depth: int
    learning_rate: float
    epochs: int
    batch_size: int


@dataclasses.dataclass(frozen=True)
class Candidate:
    """What a trial trains. ``groups[i]`` is the model of the study's i-th task; ``weights[i]`` its loss
    weight (used by the ``fixed`` weighting; 1.0 otherwise)."""
    groups: list[int]
    weights: list[float]
    weighting: str
    settings: Settings
    architecture: str
    head_depth: int
    experts: int


@dataclasses.dataclass(frozen=True)
class Score:
    """A metric, its single-task baseline's, and the relative delta in percent (positive: better)."""
    value: float
    baseline: float
    delta: float


@dataclasses.dataclass(frozen=True)
class TaskResult:
    """How one task fared in a trial, on the validation split (what the search ranks by) and on the
    held-out test split (reported only)."""
    task: str
    validation: Score
    test: Score
    baseline_hash: Optional[str]


@dataclasses.dataclass(frozen=True)
class TrialSnapshot:
    """A trial as ``GET /api/trials/{id}`` shows it. A snapshot: a later read may differ."""
    id: int
    study_id: int
    number: int
    generation: int
    replicate: int
    repeat_of: Optional[int]
    variant_of: Optional[int]
    candidate: Candidate
    state: str
    attempts: int
    worker: Optional[str]
    delta_m: Optional[float]
    test_delta_m: Optional[float]
    error: Optional[str]
    created_at: Optional[_dt.datetime]
    started_at: Optional[_dt.datetime]
    finished_at: Optional[_dt.datetime]
    results: list[TaskResult]

    @property
    def finished(self) -> bool:
        """Whether the trial is over: complete, pruned or failed."""
        return self.state in FINISHED_TRIAL_STATES


@dataclasses.dataclass(frozen=True)
class Interval:
    """A mean over ``runs`` complete runs with its 95 % interval (``low``/``high`` None for one run)."""
    mean: float
    runs: int
    low: Optional[float]
    high: Optional[float]


@dataclasses.dataclass(frozen=True)
class TaskDeltas:
    """A task's paired delta (%) on the validation and the test split, each with its interval."""
    validation: Interval
    test: Interval


@dataclasses.dataclass(frozen=True)
class Sharing:
    """The gain from sharing: Δm and per-task deltas against the tuned single-task references."""
    runs: int
    delta_m: Interval
    test_delta_m: Interval
    tasks: dict[str, TaskDeltas]


@dataclasses.dataclass(frozen=True)
class Reference:
    """A task's tuned single-task reference and its gain from tuning over the fixed baseline."""
    task: str
    trial_id: Optional[int]
    trial_number: Optional[int]
    runs: int
    tuning: Optional[TaskDeltas]


@dataclasses.dataclass(frozen=True)
class Tuning:
    """What the tuned references buy together: their Δm (%) over the fixed baselines, paired by replicate
    over the ``runs`` replicates every reference has; ``test_delta_m`` is the figure that may be claimed."""
    runs: int
    delta_m: Interval
    test_delta_m: Interval


@dataclasses.dataclass(frozen=True)
class FrontMember:
    """A trial on the Pareto front: its grouping by task names, Δm with intervals, per-task results."""
    trial_id: int
    number: int
    models: int
    groups: list[list[str]]
    weighting: str
    delta_m: float
    test_delta_m: Optional[float]
    results: list[TaskResult]
    violations: list[str]
    runs: int
    delta_m_interval: Optional[Interval]
    test_delta_m_interval: Optional[Interval]
    task_deltas: dict[str, TaskDeltas]
    sharing: Optional[Sharing]


@dataclasses.dataclass(frozen=True)
class Front:
    """``GET /api/studies/{id}/pareto``: the non-dominated complete trials, best Δm first."""
    study_id: int
    objectives: list[str]
    members: list[FrontMember]
    references: list[Reference]
    tuning: Optional[Tuning] = None  # None while every reference is the fixed baseline


@dataclasses.dataclass(frozen=True)
class Recommendation:
    """The configurations to pick, each with why: the fewest models that meet the acceptance policy,
    and the knee; ``verdict`` says in words what the data supports."""
    fewest_models: Optional[FrontMember]
    fewest_models_reason: Optional[str]
    knee: Optional[FrontMember]
    knee_reason: Optional[str]
    verdict: Optional[str]
    sharing_helps: bool
    train_separately: bool = False  # the verdict advises every task alone with its reference's settings
    tuning: Optional[Tuning] = None  # quoted by a verdict that says to train the tasks separately


@dataclasses.dataclass(frozen=True)
class Baseline:
    """A task trained alone: the reference of every delta, on the validation and the test split."""
    task: str
    metric: str
    direction: str
    validation: float
    test: float
    hash: str


@dataclasses.dataclass(frozen=True)
class Report:
    """``GET /api/studies/{id}/report``: the parts a program acts on, typed; ``raw`` holds all of it
    (negative transfer, stability, affinity, hypervolume, reproduction) as the API sent it."""
    baselines: list[Baseline]
    references: list[Reference]
    front: list[FrontMember]
    recommendation: Optional[Recommendation]
    generated_at: Optional[_dt.datetime]
    raw: dict = dataclasses.field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Report:
        return dataclasses.replace(decode(cls, {**data, "raw": {}}), raw=data)


@dataclasses.dataclass(frozen=True)
class Split:
    """The row indices a run trains (``train``), chooses its epoch (``validation``) and is tested on."""
    data_hash: str
    train: list[int]
    validation: list[int]
    test: list[int]


# ---------------------------------------------------------------------------------------------

def decode(cls: type, data: Any) -> Any:
    """``data`` (decoded JSON) as an instance of dataclass ``cls``, nested values included.

    A field ``delta_m`` reads the key ``deltaM``; keys without a field are ignored, and a field whose key
    is missing reads as None (its default, when it has one).
    """
    hints = typing.get_type_hints(cls)
    values = {}
    for f in dataclasses.fields(cls):
        key = _camel(f.name)
        if key in data:
            values[f.name] = _value(hints[f.name], data[key])
        elif f.name in data:
            values[f.name] = _value(hints[f.name], data[f.name])
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            values[f.name] = None
    return cls(**values)


def _value(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _value(inner[0], value) if len(inner) == 1 else value
    if origin is list:
        return [_value(args[0], v) for v in value]
    if origin is dict:
        return {k: _value(args[1], v) for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return decode(hint, value)
    if hint is _dt.datetime:
        return timestamp(value)
    if hint is float and isinstance(value, int):
        return float(value)
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def timestamp(text: str) -> _dt.datetime:
    """An ISO-8601 instant as Chorus writes it (``Z``, up to nanoseconds), on any Python >= 3.10."""
    text = text.replace("Z", "+00:00")
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    return _dt.datetime.fromisoformat(text)
