"""The client: create and steer studies, read their trials, front, recommendation and reports."""

from __future__ import annotations

import json
import os
import pathlib
import sys
import time
from collections.abc import Mapping
from typing import IO, Any, Optional, Union

from ._http import Transport, token_from
from ._progress import Progress
from .models import Front, Recommendation, Report, StudyInfo, TrialSnapshot, decode
from .trial import Trial

Spec = Union[str, os.PathLike, Mapping[str, Any]]

REPORT_FORMATS = ("json", "csv", "html", "pdf")


class Client:
    """Chorus's REST API for people and programs: ``Client("http://localhost:8080")``.

    ``token`` defaults to ``CHORUS_TOKEN`` (none is needed on Chorus's own machine, where loopback is
    the local admin). Errors raise :class:`chorus.ChorusError` with the API's ``problems``.
    """

    def __init__(self, url: str, token: str | None = None, *, retry_seconds: float = 0.0,
                 timeout: float = 60.0):
        self._transport = Transport(url, token_from(token, "CHORUS_TOKEN"), retry_seconds, timeout)

    @property
    def url(self) -> str:
        return self._transport.url

    def create_study(self, spec: Spec, *, start: bool = False) -> Study:
        """Creates a study from a search-space file: a path (str or Path) to a YAML file, the YAML text
        itself, or a dict (sent as JSON, which YAML reads alike). Relative data paths in it resolve
        against the *server's* working directory. A file that cannot run raises
        :class:`chorus.BadRequest` listing every problem by line and field."""
        text = _spec_text(spec)
        status, raw, _ = self._transport.raw("POST", "/api/studies", text.encode("utf-8"), "application/yaml",
                                             params={"start": "true"} if start else None)
        info = decode(StudyInfo, json.loads(raw))
        return Study(self, info.id, info)

    def study(self, study_id: int) -> Study:
        """The study with this id (a 404 raises :class:`chorus.NotFound`)."""
        return Study(self, study_id, self._info(study_id))

    def studies(self) -> list[StudyInfo]:
        """All studies, newest first."""
        return [decode(StudyInfo, s) for s in self._transport.json("GET", "/api/studies")]

    def trial(self, trial_id: int) -> TrialSnapshot:
        return decode(TrialSnapshot, self._transport.json("GET", f"/api/trials/{trial_id}"))

    def intermediate(self, trial_id: int) -> list[dict[str, float]]:
        """A trial's reported validation values, epoch by epoch (task name to value)."""
        return self._transport.json("GET", f"/api/trials/{trial_id}/intermediate")

    def _info(self, study_id: int) -> StudyInfo:
        return decode(StudyInfo, self._transport.json("GET", f"/api/studies/{study_id}"))


class Study:
    """A handle on one study: steer it, read it, wait for it, or run its trials with ask and tell."""

    def __init__(self, client: Client, study_id: int, info: StudyInfo | None = None):
        self.client = client
        self.id = study_id
        self._last = info
        self._t = client._transport

    def __repr__(self) -> str:
        return f"<chorus.Study {self.id}{' ' + self._last.name if self._last else ''}>"

    # --- state -----------------------------------------------------------------------------------

    def info(self) -> StudyInfo:
        """The study as it is now: state, progress, best Δm."""
        self._last = self.client._info(self.id)
        return self._last

    @property
    def state(self) -> str:
        return self.info().state

    def start(self) -> StudyInfo:
        """Starts a created study or resumes a paused one (a move its state forbids: :class:`Conflict`)."""
        return self._move("start")

    def pause(self) -> StudyInfo:
        """Pauses a running study: running trials finish, no new ones start."""
        return self._move("pause")

    def cancel(self) -> StudyInfo:
        """Cancels the study for good; its waiting trials fail."""
        return self._move("cancel")

    def _move(self, how: str) -> StudyInfo:
        self._last = decode(StudyInfo, self._t.json("POST", f"/api/studies/{self.id}/{how}"))
        return self._last

    def spec(self) -> str:
        """The search-space file exactly as submitted."""
        return self._t.raw("GET", f"/api/studies/{self.id}/spec", accept="application/yaml")[1].decode("utf-8")

    # --- candidates and trials -------------------------------------------------------------------

    def submit(self, groups: list[list[str]], *, weighting: str | None = None,
               weights: Mapping[str, float] | None = None, **settings: Any) -> TrialSnapshot:
        """Submits a candidate of your own: its models by task names; the rest defaults from the study's
        search space and must lie in it. ``settings``: trunk_width, trunk_depth, learning_rate, epochs,
        batch_size, architecture, head_depth, experts."""
        body: dict[str, Any] = {"groups": [list(g) for g in groups]}
        if weighting is not None:
            body["weighting"] = weighting
        if weights is not None:
            body["weights"] = dict(weights)
        for key, value in settings.items():
            head, *rest = key.split("_")
            body[head + "".join(p.capitalize() for p in rest)] = value
        return decode(TrialSnapshot, self._t.json("POST", f"/api/studies/{self.id}/trials", body))

    def trials(self, *, states: list[str] | None = None, sort: str = "number") -> list[TrialSnapshot]:
        """Every trial of the study (all pages), in ``sort`` order (number, deltaM, models, finished;
        a leading ``-`` sorts descending), only those in ``states`` when given."""
        found: list[TrialSnapshot] = []
        page = 0
        while True:
            params = {"page": page, "size": 500, "sort": sort}
            if states:
                params["state"] = ",".join(states)
            answer = self._t.json("GET", f"/api/studies/{self.id}/trials", params=params)
            found += [decode(TrialSnapshot, t) for t in answer["items"]]
            if not answer["items"] or len(found) >= answer["total"]:
                return found
            page += 1

    # --- results ---------------------------------------------------------------------------------

    def front(self) -> Front:
        """The Pareto front: members with their groups, Δm with intervals, per-task results."""
        return decode(Front, self._t.json("GET", f"/api/studies/{self.id}/pareto"))

    def report(self) -> Report:
        """The Pareto report as data (format json)."""
        return Report.from_json(self._t.json("GET", f"/api/studies/{self.id}/report", params={"format": "json"}))

    def recommendation(self) -> Optional[Recommendation]:
        """The recommended configurations with their reasons and intervals, and the verdict."""
        return self.report().recommendation

    def save_report(self, path: str | os.PathLike, format: str | None = None) -> pathlib.Path:
        """Saves the report to ``path`` as pdf, html, csv or json (by default from the file's suffix)."""
        target = pathlib.Path(path)
        kind = (format or target.suffix.lstrip(".")).lower()
        if kind not in REPORT_FORMATS:
            raise ValueError(f"format must be one of {', '.join(REPORT_FORMATS)} (or the file's suffix); "
                             f"was {kind or 'none'!r} for {target}")
        _, raw, _ = self._t.raw("GET", f"/api/studies/{self.id}/report", params={"format": kind}, accept="*/*")
        target.write_bytes(raw)
        return target

    def wait(self, *, poll_seconds: float = 2.0, timeout: float | None = None,
             progress: bool | None = None, stream: IO[str] | None = None) -> StudyInfo:
        """Waits until the study is completed, failed or cancelled and returns it then.

        Shows a progress bar on ``stream`` (default stderr) when it is a terminal, or when ``progress``
        is True. Raises TimeoutError after ``timeout`` seconds.
        """
        out = stream or sys.stderr
        bar = Progress(out) if (progress if progress is not None else out.isatty()) else None
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while True:
                info = self.info()
                if bar:
                    bar.show(info)
                if info.finished:
                    return info
                if deadline is not None and time.monotonic() >= deadline:
                    raise TimeoutError(f"study {self.id} is still {info.state} after {timeout:g} s "
                                       f"({info.finished_trials} of {info.max_trials} trials finished)")
                time.sleep(poll_seconds if deadline is None else
                           max(0.0, min(poll_seconds, deadline - time.monotonic())))
        finally:
            if bar:
                bar.close()

    # --- ask and tell ----------------------------------------------------------------------------

    def ask(self, *, worker: str = "python-ask", timeout: float | None = None) -> Optional[Trial]:
        """The study's next trial to train, claimed for you (its heartbeats run on their own thread).

        Waits for one while the study is not over (a created or paused study has none to give until it
        is started); returns None once it is completed, failed or cancelled, or after ``timeout`` seconds.
        Finish it with :meth:`tell`.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait = 30 if deadline is None else int(max(0.0, min(30.0, deadline - time.monotonic())))
            assignment = self._t.json("POST", "/api/workers/claim",
                                      {"worker": worker, "waitSeconds": wait, "study": self.id},
                                      timeout=wait + 30)
            if assignment is not None:
                trial = Trial(self._t, assignment)
                try:
                    trial._find_needed_baselines()
                except BaseException:
                    trial.release("ask() could not read the trial's baselines")
                    raise
                return trial
            if self.info().finished or (deadline is not None and time.monotonic() >= deadline):
                return None

    def tell(self, trial: Trial, results: Mapping[str, Any] | None = None, *,
             baselines: Mapping[str, Any] | None = None, pruned: bool = False,
             error: str | None = None) -> None:
        """Finishes a trial from :meth:`ask`: with ``results`` (task name to :class:`chorus.Result` or
        ``(validation, test)``, plus ``baselines`` for :attr:`Trial.baselines_needed`), as pruned, or as
        failed with ``error``. Exactly one of the three."""
        if sum((results is not None, pruned, error is not None)) != 1:
            raise ValueError("tell(trial, results), tell(trial, pruned=True) or tell(trial, error='why'): "
                             "exactly one of them")
        if trial.study_id != self.id:
            raise ValueError(f"trial {trial.number} belongs to study {trial.study_id}, not to study {self.id}")
        if pruned:
            trial.prune()
        elif error is not None:
            trial.fail(error)
        else:
            trial.complete(results, baselines)


def _spec_text(spec: Spec) -> str:
    if isinstance(spec, Mapping):
        return json.dumps(spec, allow_nan=False)
    if isinstance(spec, os.PathLike):
        return pathlib.Path(spec).read_text(encoding="utf-8")
    if isinstance(spec, str):
        if "\n" not in spec and spec.strip().endswith((".yaml", ".yml")):
            return pathlib.Path(spec).read_text(encoding="utf-8")  # FileNotFoundError names the path
        return spec
    raise TypeError(f"spec: a path to a YAML file, the YAML text or a dict; was {type(spec).__name__}")


