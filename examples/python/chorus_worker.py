#!/usr/bin/env python3
"""An external trainer for Chorus in Python, with the standard library only.

It speaks Chorus's trial protocol over REST, as any worker in any language can:

1. ``POST /api/workers/claim`` waits (long poll) for a trial: 204 means none came, 200 carries the
   assignment (the trial, its claim id, the candidate's grouping as ``models``, the study's tasks,
   its YAML and base directory, the data's hash, a seed).
2. ``POST /api/trials/{id}/heartbeat`` at once, then every ``heartbeatSeconds``, on a background thread, keeps the
   claim's lease alive. A 409 on any call means the lease is lost: drop the trial and go on.
3. ``POST /api/trials/{id}/intermediate`` after each epoch with the validation metric of the model's
   tasks; the answer ``{"prune": true}`` means stop, and the trial ends with ``/prune``.
4. ``POST /api/trials/{id}/complete`` with two metrics per task, ``validation`` (on the validation
   rows, at the epoch kept: what the search ranks by) and ``test`` (the same model on the held-out
   test rows: reported, never chosen by), each naming its task's single-task baseline by the key the
   assignment gives (``tasks[].baselineHash``; the coordinator accepts no other); a baseline the
   coordinator does not have (``GET /api/baselines/{hash}`` is 404) is trained here and sent along.
   Values must lie in their metric's range (AUC, accuracy, F1 in [0, 1], RMSE and MAE >= 0, R² <= 1).
   A trial this worker cannot train ends with ``/fail``.

What it trains. For each model of the candidate (a group of tasks), one small multi-task model in
pure Python: the standardised numeric features x go through a linear map z = W x shared by the
group's tasks (width: the candidate's trunk width, at most the number of features), and each task
has a linear head on z: logistic regression for a binary task, softmax regression for a multiclass
one, linear regression (on the standardised label) for a regression one. Each task is therefore
still a linear model of x; what the tasks of a group share is W, learnt from all of their losses
(with fewer dimensions than features, a reduced-rank multi-task regression). Training is Adam on
mini-batches with the candidate's learning rate, epochs and batch size, and the losses weighted by
the candidate's weights when its weighting is ``fixed`` (equal otherwise). The epoch with the lowest
validation loss is kept and scored on the validation and the test rows with each task's metric. A task alone, trained
with the fixed settings in ``BASELINE``, is its baseline.

What it does not do, so that nothing here passes for more than it is:

* It reads one key of the study's YAML, ``dataset.csv.path``, with a small line parser (there is no
  YAML parser in the standard library): block style (``csv:`` then ``path: x`` below it) and flow
  style (``csv: { path: x }``). ``features``, ``categorical`` and ``sampling`` are not read; the
  features are the non-task columns whose cells are all numbers or missing, and text columns are
  left out (Chorus would one-hot encode them). ``--csv PATH`` names the file when the parser cannot.
* It trains CSV studies only; a synthetic or image study fails with a message saying so.
* It cannot recompute Chorus's data hash (taken over Chorus's encoding of the rows). It checks that
  the stored split indexes rows the file has, and sends its baselines under the coordinator's keys.
* The candidate's architecture, trunk depth, head depth, experts and weighting methods other than
  ``fixed`` are not modelled. Its baselines are its own, so results are comparable with each other
  but not with those of Chorus's own trainer: a study's baselines are keyed by the coordinator, so
  the first worker to send one sets it for the study; give a study one kind of worker.
* Connection errors and 5xx answers are retried with backoff for ``--retry-seconds``; a claim whose
  answer was lost that way stays with the dead claim until its lease runs out and it is requeued.

Usage::

    python3 chorus_worker.py --coordinator http://localhost:8080 [--name NAME] [--max-trials N]
                             [--idle-exit SECONDS] [--csv PATH] [--retry-seconds SECONDS]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import http.client
import json
import math
import os
import random
import re
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.request

@dataclasses.dataclass(frozen=True)
class Settings:
    """How one model is trained: shared width, Adam's learning rate, epochs and rows per step."""
    width: int
    learning_rate: float
    epochs: int
    batch_size: int


BASELINE = Settings(width=16, learning_rate=0.005, epochs=20, batch_size=32)
"""How every single-task baseline is trained, whatever the study searches. It trains with the
trial's own seed on the same split, so that each delta compares like with like (paired)."""


# ---------------------------------------------------------------------------------------------
# The protocol
# ---------------------------------------------------------------------------------------------

class LeaseLost(Exception):
    """409: the claim no longer holds the trial (its lease ran out, or it was finished)."""


class ProtocolError(Exception):
    """Another 4xx: the request was wrong; the coordinator's answer says why."""


class Unreachable(Exception):
    """The coordinator did not answer, or answered 5xx, for longer than the retry budget."""


class Pruned(Exception):
    """The study's pruner wants the trial stopped."""


class Coordinator:
    """The coordinator's REST API, one method per call of the trial protocol."""

    def __init__(self, url: str, retry_seconds: float, token: str | None = None):
        self.url = url.rstrip("/")
        self.retry_seconds = retry_seconds
        self.headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:  # a worker-role token; a coordinator on this machine's localhost needs none
            self.headers["Authorization"] = "Bearer " + token.strip()

    def claim(self, worker: str, wait_seconds: int) -> dict | None:
        """The next trial, waiting up to wait_seconds for one; None when none came (204)."""
        _, body = self._call("POST", "/api/workers/claim", {"worker": worker, "waitSeconds": wait_seconds},
                             timeout=wait_seconds + 30)
        return body

    def heartbeat(self, a: dict) -> None:
        """Renews the lease once, without retrying: the next heartbeat is the retry."""
        self._call("POST", f"/api/trials/{a['trialId']}/heartbeat", {"claim": a["claim"]}, retry=False)

    def report(self, a: dict, step: int, values: dict) -> bool:
        """Stores one epoch's validation values; True when the pruner wants the trial stopped."""
        _, body = self._call("POST", f"/api/trials/{a['trialId']}/intermediate",
                             {"claim": a["claim"], "step": step, "values": values})
        return bool(body and body.get("prune"))

    def has_baseline(self, hash_: str) -> bool:
        status, _ = self._call("GET", f"/api/baselines/{hash_}", missing_ok=True)
        return status == 200

    def split(self, study_id: int, replicate: int = 0) -> dict:
        """The rows a run trains on: train, validation and test row indices, and the data hash. Replicate 0
        is the study's stored split; a repeat (replicate > 0) gets resampled train and validation rows."""
        return self._call("GET", f"/api/studies/{study_id}/split?replicate={replicate}")[1]

    def complete(self, a: dict, results: list, baselines: list) -> None:
        # Finishing calls are idempotent per claim, so retrying one whose answer was lost is safe.
        self._call("POST", f"/api/trials/{a['trialId']}/complete",
                   {"claim": a["claim"], "results": results, "baselines": baselines})

    def prune(self, a: dict) -> None:
        self._call("POST", f"/api/trials/{a['trialId']}/prune", {"claim": a["claim"]})

    def fail(self, a: dict, error: str) -> None:
        self._call("POST", f"/api/trials/{a['trialId']}/fail", {"claim": a["claim"], "error": error})

    def release(self, a: dict, reason: str) -> None:
        """Gives the trial back to the queue (this worker is stopping)."""
        self._call("POST", f"/api/trials/{a['trialId']}/release", {"claim": a["claim"], "reason": reason},
                   retry=False)

    def _call(self, method: str, path: str, body: dict | None = None, timeout: float = 30,
              retry: bool = True, missing_ok: bool = False) -> tuple[int, dict | None]:
        """One call; (status, JSON body or None). Retries connection errors and 5xx with backoff."""
        data = None if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
        deadline = time.monotonic() + (self.retry_seconds if retry else 0)
        backoff = 0.25
        while True:
            request = urllib.request.Request(self.url + path, data=data, method=method, headers=self.headers)
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    text = response.read()
                    return response.status, json.loads(text) if text else None
            except urllib.error.HTTPError as e:
                answer = e.read().decode("utf-8", "replace")
                if e.code == 404 and missing_ok:
                    return 404, None
                if e.code == 409:
                    raise LeaseLost(_error_text(answer)) from None
                if e.code < 500:
                    raise ProtocolError(f"{method} {path}: HTTP {e.code}: {answer}") from None
                problem = f"HTTP {e.code}"
            except (urllib.error.URLError, http.client.HTTPException, OSError) as e:
                problem = str(getattr(e, "reason", e))
            if time.monotonic() + backoff > deadline:
                raise Unreachable(f"{method} {path} at {self.url}: {problem}")
            log(f"coordinator: {method} {path} failed ({problem}); retrying in {backoff:g} s")
            time.sleep(backoff)
            backoff = min(backoff * 2, 10)


def _error_text(answer: str) -> str:
    try:
        return json.loads(answer).get("error", answer)
    except (ValueError, AttributeError):
        return answer


class Heartbeat:
    """Renews a claim's lease every heartbeatSeconds on a daemon thread while the trial trains."""

    def __init__(self, coordinator: Coordinator, assignment: dict):
        self.coordinator = coordinator
        self.assignment = assignment
        self.every = max(1, assignment["heartbeatSeconds"])
        self.lost: str | None = None  # the coordinator's words, once the lease is lost
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def check(self) -> None:
        """Raises LeaseLost once a heartbeat has been refused: the training loop calls it often."""
        if self.lost is not None:
            raise LeaseLost(self.lost)

    def _run(self) -> None:
        # at once (a claim's first lease is short), then every heartbeatSeconds
        while True:
            try:
                self.coordinator.heartbeat(self.assignment)
            except LeaseLost as e:
                self.lost = str(e)
                return
            except (Unreachable, ProtocolError) as e:
                log(f"heartbeat for trial {self.assignment['trialId']} failed ({e}); trying again")
            if self._stop.wait(self.every):
                return


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------

class Unsupported(Exception):
    """A study this trainer cannot train; the trial fails with this message."""


MISSING = {"", "na", "n/a", "nan", "null"}


def csv_path(spec_yaml: str, base_dir: str) -> str:
    """dataset.csv.path from a study's YAML, resolved against base_dir (see the module docstring)."""
    block = _top_level_block(spec_yaml, "dataset")
    if block is None:
        raise Unsupported("the study's YAML has no top-level 'dataset:' key this parser can find; pass --csv")
    kind = re.search(r"\b(csv|synthetic|images)\s*:", block)
    if kind is None or kind.group(1) != "csv":
        raise Unsupported(f"this example trains CSV studies only; the study's dataset is "
                          f"{kind.group(1) if kind else 'of an unknown kind'}")
    path = re.search(r"\bpath\s*:\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s,}]+))", block[kind.end():])
    if path is None:
        raise Unsupported("found 'csv:' under 'dataset:' but no 'path:' after it; pass --csv")
    relative = next(g for g in path.groups() if g is not None)
    return relative if os.path.isabs(relative) else os.path.join(base_dir, relative)


def _top_level_block(yaml: str, key: str) -> str | None:
    """The text of a top-level key, from its line to the next top-level key, comments removed."""
    lines = [re.sub(r"(^|\s)#.*$", "", line) for line in yaml.splitlines()]
    for i, line in enumerate(lines):
        if re.match(rf"{key}\s*:", line):
            block = [line.split(":", 1)[1]]
            for following in lines[i + 1:]:
                if following[:1] not in ("", " ", "\t"):
                    break
                block.append(following)
            return "\n".join(block)
    return None


def missing(cell: str) -> bool:
    return cell.strip().lower() in MISSING


def number(cell: str) -> float | None:
    """The cell as a finite number, or None when it is not one."""
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) and "_" not in cell else None


class Dataset:
    """A CSV file as this trainer sees it: numeric feature columns and one label column per task.

    Rows are the file's data rows in order (blank lines skipped), as Chorus numbers them in its
    split. Missing cells are None. Classification labels become class indices: the distinct values
    sorted (as numbers when they all are), numbered 0, 1, ...; class 1 is a binary task's positive.
    """

    def __init__(self, path: str, tasks: list[dict]):
        with open(path, newline="", encoding="utf-8-sig") as f:
            records = [[c.strip() for c in r] for r in csv.reader(f) if r and (len(r) > 1 or r[0].strip())]
        if len(records) < 2:
            raise Unsupported(f"{path} needs a header row and data rows")
        header, rows = records[0], records[1:]
        for n, row in enumerate(rows):
            if len(row) != len(header):
                raise Unsupported(f"{path}: data row {n} has {len(row)} fields, the header {len(header)}")
        column = {name: i for i, name in enumerate(header)}
        for t in tasks:
            if t["name"] not in column:
                raise Unsupported(f"{path} has no column for task {t['name']}; it has {header}")
        task_names = {t["name"] for t in tasks}

        self.path = path
        self.features = [name for name in header if name not in task_names
                         and _numeric_column([row[column[name]] for row in rows])]
        if not self.features:
            raise Unsupported(f"{path} has no numeric feature column (text columns are not read)")
        self.x = [[None if missing(row[column[f]]) else number(row[column[f]]) for f in self.features]
                  for row in rows]
        self.labels = {}
        self.classes = {}
        for t in tasks:
            cells = [row[column[t["name"]]] for row in rows]
            if t["type"] == "regression":
                self.labels[t["name"]] = [None if missing(c) else _label_number(c, path, t["name"]) for c in cells]
            else:
                self.classes[t["name"]], self.labels[t["name"]] = _class_indices(cells)
                if t["type"] == "binary" and len(self.classes[t["name"]]) > 2:
                    raise Unsupported(f"binary task {t['name']} has {len(self.classes[t['name']])} classes in {path}")

    def standardised(self, train: list[int]) -> list[list[float]]:
        """Every row's features minus the training rows' mean over their standard deviation; a
        missing value becomes 0 (the training mean)."""
        stats = []
        for j in range(len(self.features)):
            values = [self.x[i][j] for i in train if self.x[i][j] is not None]
            mean = sum(values) / len(values) if values else 0.0
            sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) if values else 0.0
            stats.append((mean, sd if sd > 0 else 1.0))
        return [[0.0 if v is None else (v - mean) / sd for v, (mean, sd) in zip(row, stats)] for row in self.x]


def _numeric_column(cells: list[str]) -> bool:
    present = [c for c in cells if not missing(c)]
    return bool(present) and all(number(c) is not None for c in present)


def _label_number(cell: str, path: str, task: str) -> float:
    value = number(cell)
    if value is None:
        raise Unsupported(f"{path}: regression task {task} has the label '{cell}', not a number")
    return value


def _class_indices(cells: list[str]) -> tuple[list[str], list[int | None]]:
    present = [c for c in cells if not missing(c)]
    key = number if all(number(c) is not None for c in present) else str  # "1" and "1.0": one class
    spelling = {}
    for c in present:
        spelling.setdefault(key(c), c)
    index = {value: i for i, value in enumerate(sorted(spelling))}
    return [spelling[value] for value in sorted(spelling)], [None if missing(c) else index[key(c)] for c in cells]


# ---------------------------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------------------------

class Task:
    """A task of the study with its labels, and for a regression task the training labels' scale."""

    def __init__(self, info: dict, data: Dataset, train: list[int]):
        self.name, self.type, self.metric = info["name"], info["type"], info["metric"]
        self.labels = data.labels[self.name]
        self.outputs = len(data.classes[self.name]) if self.type == "multiclass" else 1
        self.mean, self.sd = 0.0, 1.0
        if self.type == "regression":
            values = [self.labels[i] for i in train if self.labels[i] is not None]
            if values:
                self.mean = sum(values) / len(values)
                self.sd = math.sqrt(sum((v - self.mean) ** 2 for v in values) / len(values)) or 1.0

    def loss_and_gradient(self, scores: list[float], label: float) -> tuple[float, list[float]]:
        """The row's loss and its gradient with respect to the head's scores."""
        if self.type == "binary":
            p = sigmoid(scores[0])
            return -math.log(max(p if label == 1 else 1 - p, 1e-12)), [p - label]
        if self.type == "multiclass":
            p = softmax(scores)
            return -math.log(max(p[label], 1e-12)), [q - (1 if k == label else 0) for k, q in enumerate(p)]
        error = scores[0] - (label - self.mean) / self.sd
        return 0.5 * error * error, [error]

    def prediction(self, scores: list[float]):
        """What the metrics read: P(class 1), the class probabilities, or the predicted value."""
        if self.type == "binary":
            return sigmoid(scores[0])
        if self.type == "multiclass":
            return softmax(scores)
        return scores[0] * self.sd + self.mean


def sigmoid(s: float) -> float:
    return 1 / (1 + math.exp(-s)) if s >= 0 else math.exp(s) / (1 + math.exp(s))


def softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    e = [math.exp(s - top) for s in scores]
    total = sum(e)
    return [v / total for v in e]


class GroupModel:
    """The tasks of one group: z = W x shared, then per task a linear head (rows of weights on z,
    the bias last) giving its scores."""

    def __init__(self, tasks: list[Task], features: int, width: int, rng: random.Random):
        self.tasks = tasks
        self.width = min(width, features)
        self.w = [[rng.gauss(0, 1 / math.sqrt(features)) for _ in range(features)] for _ in range(self.width)]
        self.heads = [[[0.0] * (self.width + 1) for _ in range(t.outputs)] for t in tasks]
        self.first_row = [self.width + sum(t.outputs for t in tasks[:k]) for k in range(len(tasks))]

    def parameters(self) -> list[list[float]]:
        """Every parameter row, W's first: what the optimiser updates in place."""
        return self.w + [row for head in self.heads for row in head]

    def scores(self, x: list[float]) -> tuple[list[float], list[list[float]]]:
        z = [sum(wj * xj for wj, xj in zip(row, x)) for row in self.w]
        return z, [[sum(vk * zk for vk, zk in zip(row, z)) + row[-1] for row in head] for head in self.heads]

    def loss(self, rows: list[int], x: list[list[float]], weights: list[float],
             gradient: list[list[float]] | None = None) -> float:
        """The weighted mean loss over rows (each task over its labelled rows); with gradient, adds
        the loss's gradient to it (rows shaped like parameters())."""
        counts = [sum(1 for i in rows if t.labels[i] is not None) for t in self.tasks]
        total = 0.0
        for i in rows:
            z, scores = self.scores(x[i])
            dz = [0.0] * self.width
            for t, (task, head) in enumerate(zip(self.tasks, self.heads)):
                label = task.labels[i]
                if label is None:
                    continue
                loss, g = task.loss_and_gradient(scores[t], label)
                scale = weights[t] / counts[t]
                total += scale * loss
                if gradient is None:
                    continue
                for c, row in enumerate(head):
                    gc = scale * g[c]
                    row_gradient = gradient[self.first_row[t] + c]
                    for k in range(self.width):
                        row_gradient[k] += gc * z[k]
                        dz[k] += gc * row[k]
                    row_gradient[-1] += gc
            if gradient is not None:
                for k in range(self.width):
                    for j, xj in enumerate(x[i]):
                        gradient[k][j] += dz[k] * xj
        return total

    def predictions(self, t: int, rows: list[int], x: list[list[float]]) -> tuple[list, list]:
        """(labels, predictions) of task t over those rows that carry its label."""
        labelled = [i for i in rows if self.tasks[t].labels[i] is not None]
        return ([self.tasks[t].labels[i] for i in labelled],
                [self.tasks[t].prediction(self.scores(x[i])[1][t]) for i in labelled])


class Adam:
    """Adam (Kingma and Ba, 2015) over rows of parameters, updated in place."""

    def __init__(self, parameters: list[list[float]], learning_rate: float):
        self.parameters, self.rate, self.steps = parameters, learning_rate, 0
        self.m = [[0.0] * len(p) for p in parameters]
        self.v = [[0.0] * len(p) for p in parameters]

    def step(self, gradient: list[list[float]], beta1=0.9, beta2=0.999, eps=1e-8) -> None:
        self.steps += 1
        c1, c2 = 1 - beta1 ** self.steps, 1 - beta2 ** self.steps
        for p, g, m, v in zip(self.parameters, gradient, self.m, self.v):
            for i, gi in enumerate(g):
                m[i] = beta1 * m[i] + (1 - beta1) * gi
                v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
                p[i] -= self.rate * (m[i] / c1) / (math.sqrt(v[i] / c2) + eps)


def fit(tasks: list[Task], weights: list[float], x: list[list[float]], split: dict, settings: Settings,
        rng: random.Random, after_epoch) -> GroupModel:
    """Trains a GroupModel for settings.epochs epochs and returns it at its best validation loss.
    after_epoch(epoch, {task: validation metric}) runs after each epoch and may raise to stop."""
    model = GroupModel(tasks, len(x[0]), settings.width, rng)
    optimiser = Adam(model.parameters(), settings.learning_rate)
    train = list(split["train"])
    best, best_loss = None, math.inf
    for epoch in range(settings.epochs):
        rng.shuffle(train)
        for start in range(0, len(train), settings.batch_size):
            gradient = [[0.0] * len(p) for p in model.parameters()]
            model.loss(train[start:start + settings.batch_size], x, weights, gradient)
            optimiser.step(gradient)
        validation_loss = model.loss(split["validation"], x, weights)
        if validation_loss < best_loss or best is None:
            best, best_loss = [row[:] for row in model.parameters()], validation_loss
        after_epoch(epoch, {t.name: score(model, k, split["validation"], x) for k, t in enumerate(tasks)})
    for row, kept in zip(model.parameters(), best):
        row[:] = kept
    return model


# ---------------------------------------------------------------------------------------------
# Metrics (the conventions of Chorus's dev.chorus.mtl.train.Metrics, which are scikit-learn's)
# ---------------------------------------------------------------------------------------------

def predicted_class(p) -> int:
    """p >= 0.5 for a binary task's probability; the arg-max (first on ties) of class probabilities."""
    return (1 if p >= 0.5 else 0) if isinstance(p, float) else max(range(len(p)), key=p.__getitem__)


def accuracy(labels, predictions) -> float:
    return sum(y == predicted_class(p) for y, p in zip(labels, predictions)) / len(labels)


def auc(labels, predictions) -> float:
    """Area under the ROC curve (Mann-Whitney U, ties count one half); NaN with one class only."""
    ranked = sorted(zip(predictions, labels))
    positive_ranks, positives, i = 0.0, 0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        for _, y in ranked[i:j]:
            if y == 1:
                positive_ranks += (i + 1 + j) / 2
                positives += 1
        i = j
    negatives = len(ranked) - positives
    if positives == 0 or negatives == 0:
        return math.nan
    return (positive_ranks - positives * (positives + 1) / 2) / (positives * negatives)


def _class_f1(labels, classes, positive) -> float:
    tp = sum(y == positive and c == positive for y, c in zip(labels, classes))
    fp = sum(y != positive and c == positive for y, c in zip(labels, classes))
    fn = sum(y == positive and c != positive for y, c in zip(labels, classes))
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def f1(labels, predictions) -> float:
    return _class_f1(labels, [predicted_class(p) for p in predictions], 1)


def macro_f1(labels, predictions) -> float:
    """Mean F1 over the classes that occur in the labels or the predictions."""
    classes = [predicted_class(p) for p in predictions]
    present = sorted(set(labels) | set(classes))
    return sum(_class_f1(labels, classes, c) for c in present) / len(present)


def rmse(labels, predictions) -> float:
    return math.sqrt(sum((p - y) ** 2 for y, p in zip(labels, predictions)) / len(labels))


def mae(labels, predictions) -> float:
    return sum(abs(p - y) for y, p in zip(labels, predictions)) / len(labels)


def r2(labels, predictions) -> float:
    mean = sum(labels) / len(labels)
    residual = sum((y - p) ** 2 for y, p in zip(labels, predictions))
    total = sum((y - mean) ** 2 for y in labels)
    return (1.0 if residual == 0 else 0.0) if total == 0 else 1 - residual / total


METRICS = {"accuracy": accuracy, "auc": auc, "f1": f1, "macro_f1": macro_f1, "rmse": rmse, "mae": mae, "r2": r2}


def score(model: GroupModel, t: int, rows: list[int], x: list[list[float]]) -> float:
    """Task t's metric over those rows that carry its label; NaN when none does."""
    labels, predictions = model.predictions(t, rows, x)
    return METRICS[model.tasks[t].metric](labels, predictions) if labels else math.nan


# ---------------------------------------------------------------------------------------------
# Trials
# ---------------------------------------------------------------------------------------------

class Trainer:
    """Trains claimed trials; keeps each data file and study split it has read."""

    def __init__(self, coordinator: Coordinator, csv_override: str | None):
        self.coordinator = coordinator
        self.csv_override = csv_override
        self._datasets = {}
        self._splits = {}

    def train(self, a: dict, heartbeat: Heartbeat) -> tuple[list, list]:
        """Trains the candidate's models and any missing baselines; (results, baselines) for
        /complete. Raises Pruned, LeaseLost, or Unsupported and other errors to fail the trial."""
        for info in a["tasks"]:
            if info["metric"] not in METRICS:
                raise Unsupported(f"task {info['name']}: metric {info['metric']} is not implemented here; "
                                  f"this example knows {sorted(METRICS)}")
        data = self._dataset(a)
        split = self._split(a, data)
        x = data.standardised(split["train"])
        tasks = {info["name"]: Task(info, data, split["train"]) for info in a["tasks"]}
        order = [info["name"] for info in a["tasks"]]
        candidate = a["candidate"]
        fixed = candidate["weighting"] == "fixed"
        settings = Settings(width=candidate["settings"]["trunkWidth"],
                            learning_rate=candidate["settings"]["learningRate"],
                            epochs=candidate["settings"]["epochs"], batch_size=candidate["settings"]["batchSize"])
        rng = random.Random(a["seed"])

        def report(epoch, values):
            heartbeat.check()
            finite = {name: v for name, v in values.items() if math.isfinite(v)}
            if finite and self.coordinator.report(a, epoch, finite):
                raise Pruned(f"at epoch {epoch}")

        validation, test = {}, {}
        for group in a["models"]:
            weights = [candidate["weights"][order.index(name)] if fixed else 1.0 for name in group]
            model = fit([tasks[name] for name in group], weights, x, split, settings, rng, report)
            for k, name in enumerate(group):
                validation[name] = _finite(score(model, k, split["validation"], x), name, tasks[name].metric,
                                           "validation")
                test[name] = _finite(score(model, k, split["test"], x), name, tasks[name].metric)

        results, baselines = [], []
        for info in a["tasks"]:
            name = info["name"]
            hash_ = info["baselineHash"]  # the coordinator's key: it accepts no other
            if not self.coordinator.has_baseline(hash_):
                started = time.monotonic()
                alone = fit([tasks[name]], [1.0], x, split, BASELINE, random.Random(a["seed"]),
                            lambda epoch, values: heartbeat.check())
                baselines.append({
                    "hash": hash_, "task": name,
                    "validation": _finite(score(alone, 0, split["validation"], x), name, tasks[name].metric,
                                          "validation"),
                    "test": _finite(score(alone, 0, split["test"], x), name, tasks[name].metric),
                    "trainSeconds": round(time.monotonic() - started, 3)})
            results.append({"task": name, "validation": validation[name], "test": test[name],
                            "baselineHash": hash_})
        # another worker may have stored one meanwhile: a stored baseline is never replaced, and other
        # values for it would be refused (409), so only those still missing go along
        return results, [b for b in baselines if not self.coordinator.has_baseline(b["hash"])]

    def _dataset(self, a: dict) -> Dataset:
        path = self.csv_override or csv_path(a["specYaml"], a["baseDir"])
        key = (path, os.path.getmtime(path), json.dumps(a["tasks"], sort_keys=True))
        if key not in self._datasets:
            self._datasets[key] = Dataset(path, a["tasks"])
        return self._datasets[key]

    def _split(self, a: dict, data: Dataset) -> dict:
        key = (a["studyId"], a.get("replicate", 0))
        if key not in self._splits:
            self._splits[key] = self.coordinator.split(*key)
        split = self._splits[key]
        if split["dataHash"] != a["dataHash"]:
            raise Unsupported(f"study {a['studyId']}'s data changed between the split and this claim")
        rows = split["train"] + split["validation"] + split["test"]
        if max(rows) >= len(data.x):
            raise Unsupported(f"{data.path} has {len(data.x)} rows but the study's split indexes row {max(rows)}: "
                              f"this is not the file the coordinator split")
        return split


def _finite(value: float, task: str, metric: str, rows: str = "test") -> float:
    if not math.isfinite(value):
        raise ValueError(f"{metric} of task {task} is undefined on the {rows} rows "
                         f"(no labelled row, or an AUC over a single class)")
    return value


def run_trial(coordinator: Coordinator, trainer: Trainer, a: dict) -> None:
    """Runs one claimed trial to its end and prints one line about it."""
    started = time.monotonic()
    what = f"study {a['studyId']} trial {a['number']} (id {a['trialId']})"
    models = " | ".join("+".join(group) for group in a["models"])
    try:
        with Heartbeat(coordinator, a) as heartbeat:
            try:
                results, baselines = trainer.train(a, heartbeat)
            except Pruned as why:
                coordinator.prune(a)
                log(f"{what}: pruned {why} after {time.monotonic() - started:.1f} s; models {models}")
                return
            coordinator.complete(a, results, baselines)
        metrics = ", ".join(f"{r['task']} {m['metric']} validation {r['validation']:.3f} test {r['test']:.3f}" for r, m in zip(results, a["tasks"]))
        log(f"{what}: complete in {time.monotonic() - started:.1f} s; models {models}; {metrics}; "
            f"{len(baselines)} baseline(s) trained")
    except LeaseLost as e:
        log(f"{what}: dropped, no longer ours: {e}")
    except (KeyboardInterrupt, Unreachable):
        raise
    except Exception as e:  # anything else is the trial's own problem: fail it, keep working
        error = f"{type(e).__name__}: {e}"
        try:
            coordinator.fail(a, error)
            log(f"{what}: failed: {error}")
        except LeaseLost:
            log(f"{what}: failed ({error}), and no longer ours")


# ---------------------------------------------------------------------------------------------
# The worker loop
# ---------------------------------------------------------------------------------------------

def work(coordinator: Coordinator, name: str, max_trials: int | None, idle_exit: float | None,
         csv_override: str | None) -> int:
    """Claims and runs trials until max_trials are done or none came for idle_exit seconds."""
    trainer = Trainer(coordinator, csv_override)
    done, idle_since = 0, time.monotonic()
    while max_trials is None or done < max_trials:
        idle = time.monotonic() - idle_since
        if idle_exit is not None and idle >= idle_exit:
            log(f"worker {name}: no trial for {idle_exit:g} s; exiting after {done} trial(s)")
            return done
        wait = 30 if idle_exit is None else max(0, min(30, math.ceil(idle_exit - idle)))
        a = coordinator.claim(name, wait)
        if a is None:
            continue
        try:
            run_trial(coordinator, trainer, a)
        except KeyboardInterrupt:
            try:
                coordinator.release(a, f"worker {name} was stopped")
                log(f"study {a['studyId']} trial {a['number']} (id {a['trialId']}): given back, worker stopped")
            except (LeaseLost, ProtocolError, Unreachable):
                pass  # the lease runs out on its own
            raise
        done += 1
        idle_since = time.monotonic()
    log(f"worker {name}: {done} trial(s) done; exiting")
    return done


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def log(line: str) -> None:
    print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A Chorus worker in Python: claims trials of CSV studies "
                                                 "from a coordinator and trains them.")
    parser.add_argument("--coordinator", required=True, help="the coordinator's URL, e.g. http://localhost:8080")
    parser.add_argument("--name", default=f"python-{socket.gethostname()}-{os.getpid()}",
                        help="this worker's name, as trials record it (default python-HOST-PID)")
    parser.add_argument("--max-trials", type=int, help="exit after this many trials (default: no limit)")
    parser.add_argument("--idle-exit", type=float, metavar="SECONDS",
                        help="exit when no trial came for this long (default: never)")
    parser.add_argument("--csv", metavar="PATH", help="the study's CSV file, instead of the one its YAML names")
    parser.add_argument("--retry-seconds", type=float, default=600,
                        help="how long to retry an unreachable coordinator (default 600)")
    args = parser.parse_args(argv)
    coordinator = Coordinator(args.coordinator, args.retry_seconds, os.environ.get("CHORUS_WORKER_TOKEN"))
    signal.signal(signal.SIGTERM, _interrupt)  # kill, systemd, Kubernetes: stop as on Ctrl-C
    log(f"worker {args.name}: claiming trials from {coordinator.url}")
    try:
        work(coordinator, args.name, args.max_trials, args.idle_exit, args.csv)
    except Unreachable as e:
        log(f"worker {args.name}: coordinator unreachable for {args.retry_seconds:g} s, giving up: {e}")
        return 1
    except KeyboardInterrupt:
        log(f"worker {args.name}: stopped")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
