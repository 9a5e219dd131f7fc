"""The client against a real Chorus: create, steer, submit, read, wait, reports, and errors."""

from __future__ import annotations

import datetime
import io
import json

import pytest

import chorus
from conftest import CSV, fake_train, spec


def test_a_study_is_created_from_a_dict_yaml_text_or_a_file(client, make_study, tmp_path):
    from_dict = make_study("from-dict", start=False)
    text = client.study(from_dict.id).spec()
    path = tmp_path / "study.yaml"
    path.write_text(text.replace('"from-dict', '"from-file'))
    yaml_text = f"""
name: from-text
dataset:
  csv:
    path: {CSV}
tasks:
  - {{ name: churned, type: binary }}
  - {{ name: upgraded, type: binary }}
budget:
  max-trials: 2
"""
    for study in (from_dict, client.create_study(yaml_text), client.create_study(path),
                  client.create_study(str(path))):
        info = study.info()
        assert info.state == "created"
        assert isinstance(info.created_at, datetime.datetime) and info.created_at.tzinfo is not None
        assert all(isinstance(t, chorus.TaskInfo) for t in info.tasks)
        if study is not from_dict:
            study.cancel()
    assert [t.name for t in from_dict.info().tasks] == ["churned", "upgraded"]
    assert from_dict.info().tasks[0].direction == "maximize"


def test_start_pause_and_cancel_move_the_study_and_a_forbidden_move_is_a_conflict(make_study):
    study = make_study("steer", start=False)
    assert study.start().state == "running"
    assert study.pause().state == "paused"
    assert study.start().state == "running"
    assert study.cancel().state == "cancelled"
    with pytest.raises(chorus.Conflict) as caught:
        study.start()
    assert caught.value.status == 409 and "cancelled" in caught.value.error


def test_errors_carry_the_apis_problems(client, make_study):
    with pytest.raises(chorus.BadRequest) as caught:
        client.create_study("name: broken\ntasks: 3\n")
    assert caught.value.status == 400
    assert any("dataset" in p for p in caught.value.problems), caught.value.problems
    assert any("budget" in p for p in caught.value.problems), caught.value.problems
    assert "dataset" in str(caught.value)
    with pytest.raises(chorus.NotFound):
        client.study(987654321)
    study = make_study("bad-candidate")
    with pytest.raises(chorus.BadRequest) as bad:
        study.submit([["churned"], ["nonexistent"]])
    assert bad.value.problems or "nonexistent" in bad.value.error
    with pytest.raises(ValueError, match="pdf"):
        study.save_report("report.docx")
    with pytest.raises(chorus.ChorusError):
        chorus.Client("http://127.0.0.1:9").studies()


def test_a_submitted_candidate_runs_as_a_trial(make_study):
    # not started: a running study's coordinator may fill the whole budget before the submission
    study = make_study("submit", trials=3, start=False)
    submitted = study.submit([["churned", "upgraded"]], weighting="equal", epochs=2)
    assert isinstance(submitted, chorus.TrialSnapshot)
    assert submitted.candidate.groups == [0, 0] and submitted.candidate.settings.epochs == 2
    assert submitted.id in [t.id for t in study.trials()]


def test_front_recommendation_reports_and_wait_after_the_trials_are_done(client, make_study, tmp_path):
    study = make_study("results", trials=2)
    worker = chorus.Worker(client.url, name="pytest-results", study=study.id)
    assert worker.run(fake_train(0.8), max_trials=2, idle_exit=30) == 2

    out = io.StringIO()
    info = study.wait(timeout=60, poll_seconds=0.2, progress=True, stream=out)
    assert info.state == "completed" and info.finished_trials == 2
    assert "2/2 trials" in out.getvalue() and "[" in out.getvalue()

    trials = study.trials()
    assert [t.state for t in trials] == ["complete", "complete"]
    assert all(isinstance(r.validation, chorus.Score) for t in trials for r in t.results)
    assert client.intermediate(trials[0].id)

    front = study.front()
    assert front.members and isinstance(front.members[0], chorus.FrontMember)
    assert {n for g in front.members[0].groups for n in g} == {"churned", "upgraded"}
    report = study.report()
    assert [b.task for b in report.baselines] == ["churned", "upgraded"]
    assert report.front and "reproduction" in report.raw
    recommendation = study.recommendation()
    assert recommendation is None or isinstance(recommendation, chorus.Recommendation)
    # the references' gain from tuning, where one beat its fixed baseline: the same in the front and the answer
    assert front.tuning is None or isinstance(front.tuning.test_delta_m, chorus.Interval)
    assert recommendation is None or recommendation.tuning == front.tuning

    pdf = study.save_report(tmp_path / "report.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    html = study.save_report(tmp_path / "report.html")
    assert b"<html" in html.read_bytes().lower()
    saved = study.save_report(tmp_path / "report.txt", format="json")
    assert json.loads(saved.read_text())["study"]["id"] == study.id


def test_wait_times_out_with_what_is_left(make_study):
    study = make_study("timeout", start=False)
    with pytest.raises(TimeoutError, match="created"):
        study.wait(timeout=0.3, poll_seconds=0.1, progress=False)


def test_the_spec_helper_is_valid_yaml_for_chorus(client):
    study = client.create_study(spec("helper"))
    assert study.info().max_trials == 2
    study.cancel()
