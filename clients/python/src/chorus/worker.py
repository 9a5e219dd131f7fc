"""A worker: claims trials from Chorus and runs your training function on each.

.. code-block:: python

    def train(trial):
        ...                                   # build trial.models, train on trial.split.train
        trial.report(epoch, {"task": 0.8})    # each epoch; raises chorus.Pruned when told to stop
        return {"task": chorus.Result(validation=0.81, test=0.79)}

    chorus.Worker("http://localhost:8080").run(train)
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from typing import Any, Optional

from ._http import Transport, token_from
from .errors import LeaseLost, Pruned, Unreachable
from .trial import Trial, check_results

log = logging.getLogger("chorus")

TrainFunction = Callable[[Trial], Mapping[str, Any]]


class Worker:
    """Claims trials of any running study (or of one, ``study=``) and trains each with ``train``.

    ``token`` defaults to ``CHORUS_WORKER_TOKEN``, then ``CHORUS_TOKEN`` (none is needed on the
    coordinator's own machine). Connection errors and 5xx answers are retried for ``retry_seconds``, so
    a worker rides out a coordinator restart.
    """

    def __init__(self, url: str, token: str | None = None, *, name: str | None = None,
                 study: int | None = None, retry_seconds: float = 600.0):
        self.name = name or f"python-{socket.gethostname()}-{os.getpid()}"
        self.study = study
        self._transport = Transport(url, token_from(token, "CHORUS_WORKER_TOKEN", "CHORUS_TOKEN"),
                                    retry_seconds=retry_seconds)

    def claim(self, wait_seconds: int = 30) -> Optional[Trial]:
        """The next trial, waiting up to ``wait_seconds`` (0 to 60) for one; None when none came.

        Its heartbeats start at once; :attr:`Trial.baselines_needed` is filled in.
        """
        body: dict[str, Any] = {"worker": self.name, "waitSeconds": int(wait_seconds)}
        if self.study is not None:
            body["study"] = self.study
        assignment = self._transport.json("POST", "/api/workers/claim", body, timeout=wait_seconds + 30)
        return None if assignment is None else self._trial(assignment)

    def _trial(self, assignment: dict) -> Trial:
        trial = Trial(self._transport, assignment)
        try:
            trial._find_needed_baselines()
        except BaseException:
            trial.stop_heartbeats()
            raise
        return trial

    def run(self, train: TrainFunction, *, max_trials: int | None = None,
            idle_exit: float | None = None) -> int:
        """Claims and trains trials until ``max_trials`` are done or none came for ``idle_exit`` seconds
        (both default: forever). Returns how many trials it finished.

        For each trial: ``train(trial)``'s return value (task name to :class:`chorus.Result` or
        ``(validation, test)``) completes it, in the same call as the claim of the next trial
        (``/complete-and-claim``) unless ``max_trials`` is reached; :class:`chorus.Pruned` out of it prunes it; any other
        exception fails it with its message and the worker goes on; Ctrl-C (KeyboardInterrupt), or SIGTERM
        when run in the main thread, gives it back to the queue and stops the worker. Each baseline the coordinator lacks is trained by calling
        ``train(trial.baseline(task))`` after the trial itself, and sent along.
        """
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _interrupt) if main else None  # kill, Kubernetes: as Ctrl-C
        try:
            return self._run(train, max_trials, idle_exit)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def _run(self, train: TrainFunction, max_trials: int | None, idle_exit: float | None) -> int:
        done, idle_since = 0, time.monotonic()
        handed: Optional[Trial] = None  # claimed with the last completion
        log.info("worker %s: claiming trials from %s", self.name, self._transport.url)
        while max_trials is None or done < max_trials:
            idle = time.monotonic() - idle_since
            if idle_exit is not None and idle >= idle_exit:
                log.info("worker %s: no trial for %g s; stopping after %d trial(s)", self.name, idle_exit, done)
                break
            wait = 30 if idle_exit is None else max(0, min(30, int(idle_exit - idle + 0.999)))
            trial, handed = (handed, None) if handed is not None else (self.claim(wait), None)
            if trial is None:
                continue
            last = max_trials is not None and done + 1 >= max_trials
            try:
                _, next_assignment = self._run_one(trial, train, None if last else wait)
                handed = None if next_assignment is None else self._trial(next_assignment)
            except KeyboardInterrupt:
                _give_back(trial, f"worker {self.name} was stopped (Ctrl-C)")
                raise
            done += 1
            idle_since = time.monotonic()
        if handed is not None:  # the loop ended with a trial claimed for it: give it back
            _give_back(handed, f"worker {self.name} stopped before it began the trial")
        return done

    def run_one(self, trial: Trial, train: TrainFunction) -> str:
        """Trains one claimed trial to its end; returns how it finished (complete, prune, fail, lost).
        KeyboardInterrupt and :class:`Unreachable` propagate (the trial is then still held)."""
        return self._run_one(trial, train, None)[0]

    def _run_one(self, trial: Trial, train: TrainFunction, next_wait: int | None) -> tuple[str, Optional[dict]]:
        """:meth:`run_one`; with ``next_wait``, a completion also claims the next trial, waiting up to
        that many seconds, and its assignment comes back (None when none came or the trial did not complete)."""
        handed = None
        what = f"study {trial.study_id} trial {trial.number} (id {trial.id})"
        started = time.monotonic()
        try:
            try:
                results = train(trial)
                if trial.should_prune:
                    raise Pruned("the pruner stopped it")  # train() caught Pruned and returned anyway
                results = check_results(trial, results)  # before the baselines cost any training
                baselines, seconds = {}, {}
                for task in trial.baselines_needed:
                    begun = time.monotonic()
                    baselines[task] = (train(trial.baseline(task)) or {}).get(task)
                    seconds[task] = time.monotonic() - begun
                next_claim = None
                if next_wait is not None:
                    next_claim = {"worker": self.name, "waitSeconds": int(next_wait)}
                    if self.study is not None:
                        next_claim["study"] = self.study
                handed = trial._complete(results, baselines, seconds, next_claim)
                log.info("%s: complete in %.1f s (%d baseline(s) trained)", what, time.monotonic() - started,
                         len(baselines))
            except Pruned as why:
                trial.prune()
                log.info("%s: pruned (%s)", what, why)
            return trial.finished or "lost", handed
        except LeaseLost as e:
            trial.stop_heartbeats()
            log.warning("%s: dropped, no longer held by this worker: %s", what, e.error)
            return "lost", None
        except (KeyboardInterrupt, Unreachable):
            raise
        except Exception as e:  # the trial's own problem: fail it, keep working
            error = f"{type(e).__name__}: {e}"
            log.error("%s: failed: %s\n%s", what, error, traceback.format_exc())
            try:
                trial.fail(error)
            except LeaseLost:
                trial.stop_heartbeats()
            return trial.finished or "lost", None


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _give_back(trial: Trial, reason: str) -> None:
    if trial.finished is not None:
        return
    try:
        trial.release(reason)
        log.warning("study %d trial %d: given back (%s)", trial.study_id, trial.number, reason)
    except Exception:  # the lease runs out on its own
        trial.stop_heartbeats()
