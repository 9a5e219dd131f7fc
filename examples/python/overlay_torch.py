#!/usr/bin/env python3
"""Which tasks should share a network? Chorus searches it; this file trains each candidate in PyTorch.

The data are the overlay digits (two printed digits on one 36x36 image; tasks ``left`` and ``right``,
10 classes each), written by ``java -jar target/quarkus-app/quarkus-run.jar data overlay``. Every trial
Chorus hands out names the models to build (groups of tasks), the loss weighting and its weights, the
learning rate, epochs, batch size and trunk width, a seed and the rows to train, choose the epoch on
and test on. For each model this file builds a LeNet-like convolutional trunk shared by the group's tasks
and one 10-way head per task, trains it with the searched weighting (``chorus.torch``), reports each
epoch's validation accuracy (the study's pruner may stop the trial there) and returns, per task, the
validation and test accuracy at the epoch with the best validation accuracy. The single-task baselines
every gain is measured against come to the same function (``chorus.Worker`` asks for them).

    # with Chorus serving at :8080 and no worker processes of its own (-Dchorus.worker.processes=0)
    python3 examples/python/overlay_torch.py --study examples/python/overlay_torch.yaml \\
        --data datasets/overlay --report overlay-report.html

With ``--study`` it creates and starts that study, trains its trials until it is over, then prints
the Pareto front and the recommendation; without it, it is one more worker for any running study.
Needs the ``chorus`` package (clients/python), PyTorch, NumPy and Pillow.
"""
from __future__ import annotations

import argparse
import csv
import logging
import math
import pathlib
import sys
import time

import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.nn import functional as F

import chorus
import chorus.torch

log = logging.getLogger("overlay_torch")


class Images:
    """An image dataset as Chorus reads it: ``labels.csv`` with an ``image`` column (paths relative to
    the file's folder) and one column per task; row i of the file is row i of the study's split. Class
    labels are numbered as Chorus numbers them (the distinct values sorted, numerically when all are
    numbers); an empty cell is a missing label (-1)."""

    def __init__(self, folder: pathlib.Path, height: int = 36, width: int = 36):
        table = folder / "labels.csv"
        if not table.is_file():
            raise SystemExit(f"{table} is missing: write the data with "
                             f"'java -jar target/quarkus-app/quarkus-run.jar data overlay --out {folder}'")
        with table.open(newline="", encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if any(v.strip() for v in r.values())]
        pixels = np.empty((len(rows), 1, height, width), dtype=np.float32)
        for i, row in enumerate(rows):
            with Image.open(folder / row["image"].strip()) as image:
                gray = image.convert("L")
                if gray.size != (width, height):
                    gray = gray.resize((width, height), Image.BILINEAR)
                pixels[i, 0] = np.asarray(gray, dtype=np.float32) / 255.0
        self.x = torch.from_numpy(pixels)
        self.labels: dict[str, torch.Tensor] = {}
        self.classes: dict[str, int] = {}
        for column in rows[0].keys() - {"image"} if rows else ():
            cells = [r[column].strip() for r in rows]
            values = sorted({c for c in cells if c}, key=_class_order(cells))
            index = {v: k for k, v in enumerate(values)}
            self.labels[column] = torch.tensor([index.get(c, -1) for c in cells], dtype=torch.long)
            self.classes[column] = len(values)
        log.info("read %d images and the labels of %s from %s", len(rows), sorted(self.labels), table)

    def __len__(self) -> int:
        return self.x.shape[0]

    def part(self, rows: list[int], tasks: list[str]) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """The images and labels of ``rows`` (the split's row indices)."""
        index = torch.tensor(rows, dtype=torch.long)
        return self.x[index], {t: self.labels[t][index] for t in tasks}


def _class_order(cells: list[str]):
    def numeric(text: str) -> bool:
        try:
            float(text)
            return True
        except ValueError:
            return False
    return (lambda v: float(v)) if all(numeric(c) for c in cells if c) else (lambda v: v)


class GroupNet(nn.Module):
    """One model of a candidate: a LeNet-like trunk (as Chorus's own image trunk: 5x5 convolutions of 16
    and 32 filters, each followed by ReLU and a 2x2 max pool, then a linear layer of ``width`` units and
    ReLU) shared by the group's tasks, and one linear head per task."""

    def __init__(self, tasks: list[str], classes: dict[str, int], width: int, size: tuple[int, int]):
        super().__init__()
        h, w = size
        flat = 32 * (((h - 4) // 2 - 4) // 2) * (((w - 4) // 2 - 4) // 2)
        self.tasks = list(tasks)
        self.trunk = nn.Sequential(
            nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(flat, width), nn.ReLU())
        self.heads = nn.ModuleList(nn.Linear(width, classes[t]) for t in self.tasks)

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        z = self.trunk(x)
        return {t: head(z) for t, head in zip(self.tasks, self.heads)}


def losses(outputs: dict[str, torch.Tensor], labels: dict[str, torch.Tensor]) -> dict[str, torch.Tensor | None]:
    """Each task's mean cross-entropy over its labelled rows; None for a task without one in the batch."""
    out: dict[str, torch.Tensor | None] = {}
    for task, logits in outputs.items():
        known = labels[task] >= 0
        out[task] = F.cross_entropy(logits[known], labels[task][known]) if known.any() else None
    return out


@torch.no_grad()
def accuracy(net: GroupNet, x: torch.Tensor, labels: dict[str, torch.Tensor]) -> dict[str, float]:
    """Each task's accuracy over its labelled rows (0 when it has none)."""
    net.eval()
    outputs = net(x)
    net.train()
    result = {}
    for task, logits in outputs.items():
        known = labels[task] >= 0
        hits = (logits.argmax(dim=1)[known] == labels[task][known]).sum().item()
        result[task] = hits / max(1, int(known.sum()))
    return result


class Model:
    """One group's network, optimiser and weighting, trained epoch by epoch, remembering the results of
    its best epoch on validation (the mean accuracy of its tasks)."""

    def __init__(self, trial: chorus.Trial, tasks: list[str], data: Images):
        s = trial.settings
        self.tasks = tasks
        self.net = GroupNet(tasks, data.classes, s.trunk_width, tuple(data.x.shape[2:]))
        self.optimizer = torch.optim.Adam(self.net.parameters(), lr=s.learning_rate)
        # the searched weighting, by the YAML's name: it combines the task losses (or, for the gradient
        # methods, the tasks' gradients of the shared trunk) in place of loss.backward()
        self.weighting = chorus.torch.weighting(trial.weighting, tasks, self.net.trunk.parameters(),
                                                weights=trial.weights, learning_rate=s.learning_rate,
                                                seed=trial.seed)
        self.best_score = -math.inf
        self.best: dict[str, chorus.Result] = {}

    def train_epoch(self, x: torch.Tensor, y: dict[str, torch.Tensor], batch_size: int,
                    generator: torch.Generator) -> None:
        order = torch.randperm(x.shape[0], generator=generator)
        sums = {t: 0.0 for t in self.tasks}
        counts = {t: 0 for t in self.tasks}
        for start in range(0, x.shape[0], batch_size):
            rows = order[start:start + batch_size]
            labels = {t: y[t][rows] for t in self.tasks}
            self.optimizer.zero_grad()
            batch_losses = losses(self.net(x[rows]), labels)
            self.weighting.backward(batch_losses)
            self.optimizer.step()
            if self.weighting.needs_losses_after_step:  # famo: the same batch's losses after the step
                with torch.no_grad():
                    after = losses(self.net(x[rows]), labels)
                self.weighting.after_step({t: None if v is None else float(v) for t, v in after.items()})
            for t, v in batch_losses.items():
                if v is not None:
                    sums[t] += float(v)
                    counts[t] += 1
        self.weighting.end_epoch({t: sums[t] / counts[t] if counts[t] else math.nan for t in self.tasks})

    def evaluate(self, validation, test) -> dict[str, float]:
        """This epoch's validation accuracy per task; keeps the epoch when it is the best so far."""
        val = accuracy(self.net, *validation)
        score = sum(val.values()) / len(val)
        if score > self.best_score:
            tst = accuracy(self.net, *test)
            self.best_score = score
            self.best = {t: chorus.Result(validation=val[t], test=tst[t]) for t in self.tasks}
        return val


class OverlayTraining:
    """The ``train(trial)`` function Chorus's worker calls: for trials and baselines alike."""

    def __init__(self, data: Images):
        self.data = data

    def __call__(self, trial: chorus.Trial) -> dict[str, chorus.Result]:
        for task in trial.tasks:
            if task.name in trial.task_names and (task.type != "multiclass" or task.metric != "accuracy"):
                raise ValueError(f"this example trains multiclass tasks scored by accuracy; {task.name} is "
                                 f"{task.type} with {task.metric}")
            if task.name in trial.task_names and task.name not in self.data.labels:
                raise ValueError(f"the data has no column {task.name!r}; its columns are {sorted(self.data.labels)}")
        split = trial.split
        highest = max(split.train + split.validation + split.test)
        if highest >= len(self.data):
            raise ValueError(f"the study's rows go up to {highest} but the data has {len(self.data)} rows: "
                             "point --data at the folder the study was made on")
        started = time.monotonic()
        torch.manual_seed(trial.seed)  # the models' initial weights
        generator = torch.Generator().manual_seed(trial.seed)  # the batches' order
        tasks = trial.task_names
        x, y = self.data.part(split.train, tasks)
        validation = self.data.part(split.validation, tasks)
        test = self.data.part(split.test, tasks)
        models = [Model(trial, group, self.data) for group in trial.models]
        for epoch in range(trial.settings.epochs):
            values: dict[str, float] = {}
            for model in models:
                model.train_epoch(x, {t: y[t] for t in model.tasks}, trial.settings.batch_size, generator)
                values.update(model.evaluate(*(_only(p, model.tasks) for p in (validation, test))))
            trial.report(epoch, values)  # raises chorus.Pruned when the pruner says stop: let it go up
        results = {t: r for model in models for t, r in model.best.items()}
        what = "baseline" if trial.is_baseline else f"trial {trial.number}"
        log.info("%s: %s, %s, lr %.4f, %d epochs, width %d: %s (%.1f s)", what,
                 " | ".join("+".join(g) for g in trial.models), trial.weighting, trial.settings.learning_rate,
                 trial.settings.epochs, trial.settings.trunk_width,
                 ", ".join(f"{t} {r.validation:.3f} / {r.test:.3f}" for t, r in results.items()),
                 time.monotonic() - started)
        return results


def _only(part, tasks):
    x, labels = part
    return x, {t: labels[t] for t in tasks}


def print_outcome(study: chorus.Study, report: str | None) -> None:
    """The study's state, its Pareto front (delta-m in % against the single-task baselines, with its 95 %
    interval over the runs) and the recommendation's verdict; saves the report when asked."""
    info = study.info()
    print(f"study {study.id} ({info.name}): {info.state}, {info.finished_trials} trials finished")
    for m in study.front().members:
        print(f"  front: {' | '.join('+'.join(g) for g in m.groups)} ({m.weighting}, trial {m.number}): "
              f"validation delta-m {_interval(m.delta_m, m.delta_m_interval)}, "
              f"test delta-m {_interval(m.test_delta_m, m.test_delta_m_interval)}; test accuracy "
              + ", ".join(f"{r.task} {r.test.value:.3f}" for r in m.results))
    recommendation = study.recommendation()
    if recommendation is not None:
        print(f"  fewest models: {recommendation.fewest_models_reason}")
        print(f"  verdict: {recommendation.verdict}")
    if report:
        print(f"  report: {study.save_report(report).resolve()}")


def _interval(mean: float | None, interval: chorus.Interval | None) -> str:
    if mean is None:
        return "n/a"
    if interval is None or interval.low is None:
        return f"{mean:+.2f} %"
    return f"{mean:+.2f} % [{interval.low:+.2f}, {interval.high:+.2f}] over {interval.runs} runs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://localhost:8080", help="the running Chorus")
    parser.add_argument("--data", default="datasets/overlay", type=pathlib.Path,
                        help="the folder of labels.csv and images/ (default datasets/overlay)")
    parser.add_argument("--study", help="create and start this study file, train it to the end, print its front")
    parser.add_argument("--report", help="with --study: save the report here (.html, .pdf, .csv or .json)")
    parser.add_argument("--name", help="the worker's name, as trials record it")
    parser.add_argument("--threads", type=int, default=1, help="PyTorch CPU threads (default 1)")
    parser.add_argument("--idle-exit", type=float, default=None,
                        help="without --study: stop when no trial came for this many seconds")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    torch.set_num_threads(max(1, args.threads))
    train = OverlayTraining(Images(args.data))
    if args.study is None:
        chorus.Worker(args.url, name=args.name).run(train, idle_exit=args.idle_exit)
        return 0
    study = chorus.Client(args.url).create_study(pathlib.Path(args.study), start=True)
    print(f"study {study.id} created and started from {args.study}")
    worker = chorus.Worker(args.url, name=args.name, study=study.id)
    began = time.monotonic()
    while not study.info().finished:  # one trial at a time, so the loop ends with the study
        worker.run(train, max_trials=1, idle_exit=5)
    print(f"trained for {time.monotonic() - began:.0f} s")
    print_outcome(study, args.report)
    return 0 if study.info().state == "completed" else 1


if __name__ == "__main__":
    sys.exit(main())
