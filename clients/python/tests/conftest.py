"""Fixtures: a real Chorus at ``CHORUS_URL`` and small studies on the repository's customers CSV.

``CHORUS_URL`` names the server (the JUnit test ``PythonClientTest`` starts one and sets it); without
it the tests are skipped, and under ``CI=true`` they fail. ``CHORUS_TEST_CSV`` is the CSV path as the
server resolves it (default ``datasets/customers.csv``, relative to the server's working directory).
"""

from __future__ import annotations

import os
import uuid

import pytest

import chorus

URL = os.environ.get("CHORUS_URL")
CSV = os.environ.get("CHORUS_TEST_CSV", "datasets/customers.csv")


# test files that need no server (the golden weighting tests read a file Java writes)
OFFLINE = {"test_weighting_golden.py"}


def pytest_collection_modifyitems(config, items):
    online = [item for item in items if item.path.name not in OFFLINE]
    if URL or not online:
        return
    if os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError("CHORUS_URL is not set: these tests need a running Chorus")
    skip = pytest.mark.skip(reason="set CHORUS_URL to a running Chorus to run the client tests")
    for item in online:
        item.add_marker(skip)


def spec(name: str, *, trials: int = 2, pruner: str = "none", tasks: tuple[str, ...] = ("churned", "upgraded")):
    """A small study as a dict: binary tasks of the customers CSV, random sampler, no repeats."""
    return {
        "name": f"{name}-{uuid.uuid4().hex[:6]}",
        "seed": 11,
        "dataset": {"csv": {"path": CSV}},
        "tasks": [{"name": t, "type": "binary"} for t in tasks],
        "search": {"sampler": "random", "population": trials, "epochs": {"min": 2, "max": 3},
                   "pruner": pruner},
        "baseline": {"epochs": 2},
        "evaluation": {"repeats": 1, "stability": False, "confirm": "off"},
        "budget": {"max-trials": trials, "max-minutes": 10},
    }


@pytest.fixture
def client() -> chorus.Client:
    return chorus.Client(URL)


@pytest.fixture
def make_study(client):
    """Creates studies (started unless told otherwise) and cancels those still open at the end."""
    made: list[chorus.Study] = []

    def make(name: str, start: bool = True, **options) -> chorus.Study:
        study = client.create_study(spec(name, **options), start=start)
        made.append(study)
        return study

    yield make
    for study in made:
        if not study.info().finished:
            try:
                study.cancel()
            except chorus.Conflict:  # it finished between the two calls
                pass


def fake_train(value: float = 0.7, epochs: int = 3):
    """A train function that trains nothing: it reports ``value`` per epoch and returns it per task."""
    seen: list[chorus.Trial] = []

    def train(trial: chorus.Trial):
        seen.append(trial)
        for epoch in range(epochs):
            trial.report(epoch, {name: value for name in trial.task_names})
        return {name: chorus.Result(validation=value, test=value - 0.05) for name in trial.task_names}

    train.seen = seen
    return train
