"""The worker and ask/tell against a real Chorus: claim, report, prune, fail, release, complete."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time

import pytest

import chorus
from conftest import fake_train


def trials_by_state(study):
    return sorted(t.state for t in study.trials())


def test_the_worker_completes_trials_and_trains_the_missing_baselines(client, make_study):
    study = make_study("worker", trials=2)
    train = fake_train(0.75)
    assert chorus.Worker(client.url, name="pytest-worker", study=study.id).run(train, max_trials=2,
                                                                                idle_exit=30) == 2
    assert trials_by_state(study) == ["complete", "complete"]
    first = train.seen[0]
    assert {t.name: (t.metric, t.direction) for t in first.tasks} == {
        "churned": ("auc", "maximize"), "upgraded": ("auc", "maximize")}
    assert sorted(n for m in first.models for n in m) == ["churned", "upgraded"]
    assert first.weighting in ("equal", "fixed") and set(first.weights) == {"churned", "upgraded"}
    assert first.architecture == "hard" and first.settings.epochs in (2, 3) and isinstance(first.seed, int)
    split = first.split
    assert split.train and split.validation and split.test
    assert not set(split.train) & set(split.test)
    baselines = [t for t in train.seen if t.is_baseline]
    assert sorted(b.models[0][0] for b in baselines) == ["churned", "upgraded"]
    assert all(b.settings.epochs == 2 and b.weighting == "equal" for b in baselines)
    for trial in study.trials():
        assert trial.worker == "pytest-worker"
        assert [r.validation.value for r in trial.results] == [0.75, 0.75]
        assert len(client.intermediate(trial.id)) == 3


def test_a_completion_claims_the_next_trial_in_the_same_call_but_not_past_max_trials(client, make_study):
    study = make_study("handover", trials=3)
    worker = chorus.Worker(client.url, name="handover", study=study.id)
    calls = []
    sent = worker._transport.json

    def spy(method, path, *args, **kwargs):
        calls.append(path.rsplit("/", 1)[-1])
        return sent(method, path, *args, **kwargs)

    worker._transport.json = spy
    assert worker.run(fake_train(0.8), max_trials=2, idle_exit=30) == 2
    assert calls.count("claim") == 1, calls  # the second trial came with the first one's completion
    assert calls.count("complete-and-claim") == 1 and calls.count("complete") == 1, calls
    trials = study.trials()
    assert sorted(t.state for t in trials) == ["complete", "complete", "waiting"]
    assert [t.attempts for t in trials if t.state == "waiting"] == [0]  # the last completion claimed nothing


def test_an_exception_in_train_fails_the_trial_with_its_message(client, make_study):
    study = make_study("fail", trials=2)

    def train(trial):
        raise RuntimeError("out of GPU memory on purpose")

    assert chorus.Worker(client.url, study=study.id).run(train, max_trials=2, idle_exit=30) == 2
    trials = study.trials()
    assert [t.state for t in trials] == ["failed", "failed"]
    assert all("RuntimeError: out of GPU memory on purpose" in t.error for t in trials)


def test_what_train_returns_is_checked_before_it_is_sent(client, make_study):
    study = make_study("invalid", trials=2)
    returns = iter([{"churned": (math.nan, 0.5), "upgraded": (0.5, 0.5)}, {"churned": (0.5, 0.5)}])

    def train(trial):
        if trial.is_baseline:
            return {trial.models[0][0]: (0.5, 0.5)}
        return next(returns)

    chorus.Worker(client.url, study=study.id).run(train, max_trials=2, idle_exit=30)
    errors = [t.error for t in study.trials()]
    assert "churned" in errors[0] and "finite" in errors[0], errors
    assert "no result for ['upgraded']" in errors[1], errors


def test_a_report_with_an_unknown_task_or_a_nan_is_refused_here(client, make_study):
    study = make_study("report-check", trials=2)
    trial = study.ask(timeout=30)
    with pytest.raises(ValueError, match="not a task of this trial"):
        trial.report(0, {"typo": 0.5})
    with pytest.raises(ValueError, match="finite"):
        trial.report(0, {"churned": math.inf})
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        trial.report(0, {"churned": 1.5})
    trial.report(0, {"churned": 0.5})
    study.tell(trial, error="checked")


def test_ctrl_c_gives_the_trial_back_and_stops_the_worker(client, make_study):
    study = make_study("release", trials=2)

    def train(trial):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        chorus.Worker(client.url, study=study.id).run(train)
    trials = study.trials()
    assert sorted(t.state for t in trials) == ["waiting", "waiting"]
    assert sorted(t.attempts for t in trials) == [0, 1]


def test_sigterm_gives_the_trial_back_like_ctrl_c(client, make_study, tmp_path):
    study = make_study("sigterm", trials=2)
    started = tmp_path / "started"
    script = f"""
import pathlib, sys, time, chorus
def train(trial):
    pathlib.Path({str(started)!r}).write_text(str(trial.id))
    time.sleep(60)
try:
    chorus.Worker({client.url!r}, study={study.id}).run(train)
except KeyboardInterrupt:
    sys.exit(130)
"""
    worker = subprocess.Popen([sys.executable, "-c", script], env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        deadline = time.monotonic() + 30
        # write_text creates the file before it writes: wait for the id, not for the file
        while not (started.exists() and started.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started.exists() and started.read_text(), "the worker never started training"
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 130
    finally:
        worker.kill()
    trial = client.trial(int(started.read_text()))
    assert trial.state == "waiting" and trial.attempts == 1


def test_the_pruner_stops_a_trial_that_lags_behind(client, make_study):
    study = make_study("prune", trials=6, pruner="median")
    worker = chorus.Worker(client.url, name="pytest-prune", study=study.id)
    assert worker.run(fake_train(0.9, epochs=4), max_trials=4, idle_exit=30) == 4

    reached = []

    def lagging(trial):
        for epoch in range(4):
            reached.append(epoch)
            trial.report(epoch, {name: 0.1 for name in trial.task_names})
        return {name: (0.1, 0.1) for name in trial.task_names}

    assert worker.run(lagging, max_trials=1, idle_exit=30) == 1
    assert reached[-1] < 3, "the median pruner should stop it before its last epoch"
    assert trials_by_state(study).count("pruned") == 1
    assert trials_by_state(study).count("complete") == 4


def test_ask_and_tell_run_the_study_in_your_own_loop(client, make_study):
    other = make_study("ask-other", trials=2)
    study = make_study("ask", trials=3)
    told = []
    while (trial := study.ask(timeout=30)) is not None:
        assert trial.study_id == study.id  # never the other running study's trial
        trial.report(0, {"churned": 0.6})
        if len(told) == 0:
            baselines = {t: chorus.Result(0.6, 0.55) for t in trial.baselines_needed}
            study.tell(trial, {"churned": (0.7, 0.65), "upgraded": chorus.Result(0.7, 0.6)}, baselines=baselines)
        elif len(told) == 1:
            study.tell(trial, pruned=True)
        else:
            study.tell(trial, error="gave up on purpose")
        told.append(trial.finished)
        if len(told) == 3:
            break
    assert told == ["complete", "prune", "fail"]
    assert sorted(t.state for t in study.trials()) == ["complete", "failed", "pruned"]
    assert all(t.state == "waiting" for t in other.trials())
    assert study.wait(timeout=60, poll_seconds=0.2).state == "completed"
    assert study.ask(timeout=1) is None


def test_tell_refuses_what_is_not_one_outcome_or_misses_a_baseline(client, make_study):
    study = make_study("tell-check", trials=2)
    trial = study.ask(timeout=30)
    with pytest.raises(ValueError, match="exactly one"):
        study.tell(trial)
    if trial.baselines_needed:
        with pytest.raises(ValueError, match="no baseline"):
            study.tell(trial, {"churned": (0.7, 0.7), "upgraded": (0.7, 0.7)})
    with pytest.raises(ValueError, match="no result for"):
        study.tell(trial, {"churned": (0.7, 0.7)}, baselines={})
    trial.release("done checking")
    with pytest.raises(ValueError, match="already finished"):
        trial.prune()
